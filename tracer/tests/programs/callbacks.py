from concurrent.futures import ThreadPoolExecutor
import time


def nap(seconds):
    time.sleep(seconds)
    return seconds


def fine(future):
    pass


def broken(future):
    raise RuntimeError("this callback fails")


with ThreadPoolExecutor(max_workers=1) as executor:
    future = executor.submit(nap, 0.05)
    future.add_done_callback(broken)
    future.add_done_callback(fine)
print(future.result())
future.add_done_callback(fine)
