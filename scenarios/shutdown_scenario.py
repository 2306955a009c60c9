from concurrent.futures import ThreadPoolExecutor
import threading
import time

@constants@
submitted = []
completed = []
lock = threading.Lock()


def slow_task(task_id, duration):
    time.sleep(duration)
    with lock:
        completed.append(task_id)
    return task_id


def test_graceful_shutdown():
    submitted.clear()
    completed.clear()
    executor = ThreadPoolExecutor(max_workers=MAX_WORKERS)

    futures = []
    for i in range(TASKS):
        f = executor.submit(slow_task, i, UNIT * (i % 4 + 1))
        with lock:
            submitted.append(i)
        futures.append(f)

    time.sleep(PAUSE)
    executor.shutdown(wait=WAIT, cancel_futures=CANCEL_FUTURES)
    with lock:
        return len(submitted), len(completed)


s, c = test_graceful_shutdown()
print(f'Submitted: {s}, Completed: {c}')
print(f'All completed: {s == c}')
