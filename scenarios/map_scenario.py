from concurrent.futures import ThreadPoolExecutor
import time

@constants@

def slow_double(n):
    time.sleep(DELAY)
    return n * 2


def parallel_double(numbers):
    with ThreadPoolExecutor(max_workers=MAX_WORKERS) as executor:
        return list(executor.map(slow_double, numbers))


result = parallel_double(list(range(1, NUMBERS + 1)))
print(result)
