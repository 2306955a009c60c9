from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
import time


def nap(seconds):
    time.sleep(seconds)
    return seconds


with ThreadPoolExecutor(max_workers=1) as executor:
    first = executor.submit(nap, 0.2)
    second = executor.submit(nap, 0.01)
    third = executor.submit(nap, 0.01)
    print(third.cancel())
    print(third.cancel())
    done, not_done = wait([first, second], return_when=FIRST_COMPLETED)
    print(first in done, first.cancel())
