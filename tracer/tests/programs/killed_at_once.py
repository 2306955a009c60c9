# Submits eight sleepers and says so at once: killed right after, its events are still queued.
import time
from concurrent.futures import ThreadPoolExecutor

if __name__ == "__main__":
    pool = ThreadPoolExecutor(max_workers=2)
    futures = [pool.submit(time.sleep, 60) for _ in range(8)]
    print("ready", flush=True)
    time.sleep(60)
