from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
import time


def nap(seconds):
    time.sleep(seconds)
    return seconds


if __name__ == "__main__":
    threads = ThreadPoolExecutor(max_workers=1)
    futures = [threads.submit(nap, 0.1) for _ in range(5)]
    while not futures[0].running():
        time.sleep(0.001)
    threads.shutdown(wait=True, cancel_futures=True)
    print([f.cancelled() for f in futures])

    processes = ProcessPoolExecutor(max_workers=1)
    futures = [processes.submit(nap, 0.2) for _ in range(8)]
    processes.shutdown(wait=True, cancel_futures=True)
    print(any(f.cancelled() for f in futures), all(f.done() for f in futures))
