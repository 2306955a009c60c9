# A process pool under the start method given on the command line: functions defined here are
# pickled by name, so spawn and forkserver workers import this file again as __mp_main__.
import multiprocessing
import sys
from concurrent.futures import ProcessPoolExecutor

calls = []


def square(n):
    if n == 3:
        raise ValueError(f"no squares of {n}")
    return n * n


def noted(future):
    calls.append(future.result())


if __name__ == "__main__":
    context = multiprocessing.get_context(sys.argv[1])
    with ProcessPoolExecutor(max_workers=2, mp_context=context) as executor:
        futures = [executor.submit(square, n) for n in range(6)]
        futures[0].add_done_callback(noted)
        results = []
        for future in futures:
            try:
                results.append(future.result())
            except ValueError as e:
                results.append(str(e))
        print(results)
        print(list(executor.map(square, [4, 5, 6, 7, 8], chunksize=2)))
    print(calls)
