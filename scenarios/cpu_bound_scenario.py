from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
import math
import multiprocessing
import sys
import time

@constants@
# GIL = False stands for free-threaded Python: run this with python3.13t -X gil=0 to see it.


def cpu_work(n):
    # CPU-intensive: count the primes below n by trial division
    primes = [i for i in range(2, n) if all(i % j != 0 for j in range(2, int(math.sqrt(i)) + 1))]
    return len(primes)


def compare_executors():
    numbers = [n * SCALE for n in (500, 1000, 1500, 2000)]
    t_ms = p_ms = thread_results = process_results = None

    if POOLS in ('both', 'thread'):
        t0 = time.perf_counter()
        with ThreadPoolExecutor(max_workers=MAX_WORKERS) as ex:
            thread_results = list(ex.map(cpu_work, numbers))
        t_ms = (time.perf_counter() - t0) * 1000

    if POOLS in ('both', 'process'):
        t0 = time.perf_counter()
        context = multiprocessing.get_context(START_METHOD)
        with ProcessPoolExecutor(max_workers=MAX_WORKERS, mp_context=context) as ex:
            process_results = list(ex.map(cpu_work, numbers))
        p_ms = (time.perf_counter() - t0) * 1000

    return t_ms, p_ms, thread_results == process_results


if __name__ == '__main__':
    sys.setswitchinterval(SWITCH_INTERVAL)
    t_ms, p_ms, match = compare_executors()
    if t_ms is not None:
        print(f'Thread pool: {t_ms:.0f}ms')
    if p_ms is not None:
        print(f'Process pool: {p_ms:.0f}ms')
    if POOLS == 'both':
        print(f'Results match: {match}')
