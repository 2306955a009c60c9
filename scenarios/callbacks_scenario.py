from concurrent.futures import ThreadPoolExecutor
import threading
import time

@constants@
completed = []
lock = threading.Lock()


def work(n):
    time.sleep(DELAY)
    return n * n


def on_done(future):  # runs on the worker thread that finished the task
    with lock:
        completed.append(future.result())


def test_callbacks():
    completed.clear()
    with ThreadPoolExecutor(max_workers=MAX_WORKERS) as executor:
        for n in range(1, TASKS + 1):
            f = executor.submit(work, n)
            f.add_done_callback(on_done)
    return sorted(completed)


print(test_callbacks())
