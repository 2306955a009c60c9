from concurrent.futures import ThreadPoolExecutor
import time
import threading

# shutdown(wait=True) blocks until all futures complete.
# shutdown(wait=False) returns immediately (tasks may still run).
# shutdown(cancel_futures=True) (Python 3.9+) cancels pending tasks.

submitted = []
completed = []
lock = threading.Lock()

def slow_task(task_id, duration):
  time.sleep(duration)
  with lock:
      completed.append(task_id)
  return task_id

# TODO: Create an executor, submit 10 slow tasks (0.1-0.5s each).
# After submitting, call shutdown(wait=True).
# Verify all submitted tasks that were running completed.
# Return (submitted_count, completed_count).

def test_graceful_shutdown():
  submitted.clear()
  completed.clear()
  executor = ThreadPoolExecutor(max_workers=4)

  # Submit tasks
  futures = []
  for i in range(10):
      f = executor.submit(slow_task, i, 0.05 * (i % 4 + 1))
      with lock:
          submitted.append(i)
      futures.append(f)

  # TODO: Shutdown gracefully
  executor.shutdown(wait=True)
  return len(submitted), len(completed)

s, c = test_graceful_shutdown()
print(f'Submitted: {s}, Completed: {c}')
print(f'All completed: {s == c}')
