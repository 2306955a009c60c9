"""Three threads, eight downloads of seeded random length; one of them fails.

Run it as CPython does (python3 examples/thread_pool_as_completed.py), or drawn:
    poolscope examples/thread_pool_as_completed.py
"""
import random
import time
from concurrent.futures import ThreadPoolExecutor, as_completed


def download(page):
    time.sleep(random.Random(page).uniform(0.05, 0.25))
    if page == 5:
        raise ConnectionError(f"page {page}: connection reset")
    return f"page {page}: {page * 1000} bytes"


with ThreadPoolExecutor(max_workers=3) as pool:
    pending = {pool.submit(download, page): page for page in range(8)}
    for future in as_completed(pending):
        try:
            print(future.result())
        except ConnectionError as error:
            print("failed:", error)
