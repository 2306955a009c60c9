# A task's exception re-raised in the parent, uncaught: the traceback carries the worker's part.
import multiprocessing
import sys
from concurrent.futures import ProcessPoolExecutor


def divide(a, b):
    return a / b


def run(context):
    with ProcessPoolExecutor(max_workers=1, mp_context=context) as executor:
        return executor.submit(divide, 1, 0).result()


if __name__ == "__main__":
    run(multiprocessing.get_context(sys.argv[1]))
