# The process pool's odd ends: a result that cannot be pickled back (the worker's call returned, the
# future fails), and a worker that dies in a call (the pool breaks).
import multiprocessing
import os
import sys
import threading
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool


def unpicklable():
    return threading.Lock()


def die():
    os._exit(7)


if __name__ == "__main__":
    context = multiprocessing.get_context(sys.argv[1])
    with ProcessPoolExecutor(max_workers=1, mp_context=context) as executor:
        print(type(executor.submit(unpicklable).exception()).__name__)
        print(executor.submit(pow, 2, 5).result())
    with ProcessPoolExecutor(max_workers=1, mp_context=context) as executor:
        dying = executor.submit(die)
        try:
            dying.result()
        except BrokenProcessPool as e:
            print("broken:", e)
