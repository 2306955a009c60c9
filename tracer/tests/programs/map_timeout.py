from concurrent.futures import ThreadPoolExecutor, TimeoutError
import time


def nap(seconds):
    time.sleep(seconds)
    return seconds


with ThreadPoolExecutor(max_workers=3) as executor:
    got = []
    try:
        for result in executor.map(nap, [0.05, 0.15, 0.8], timeout=0.4):
            got.append(result)
    except TimeoutError:
        print("timed out after", got)
