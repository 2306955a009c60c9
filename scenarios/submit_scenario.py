from concurrent.futures import ThreadPoolExecutor
import time

@constants@

def compute(base, power):
    time.sleep(DELAY)
    return base ** power


def parallel_compute():
    tasks = [(2, 10), (3, 5), (5, 4), (10, 3)]
    with ThreadPoolExecutor(max_workers=MAX_WORKERS) as executor:
        futures = [executor.submit(compute, b, p) for b, p in tasks]
        return [f.result() for f in futures]


print(parallel_compute())
