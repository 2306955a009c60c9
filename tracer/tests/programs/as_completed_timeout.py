from concurrent.futures import ThreadPoolExecutor, TimeoutError, as_completed
import time


def nap(seconds):
    time.sleep(seconds)
    return seconds


with ThreadPoolExecutor(max_workers=2) as executor:
    futures = [executor.submit(nap, 0.05), executor.submit(nap, 0.8)]
    seen = []
    try:
        for future in as_completed(futures, timeout=0.4):
            seen.append(future.result())
    except TimeoutError as e:
        print("timeout:", e, seen)
