from concurrent.futures import ThreadPoolExecutor, Future
import threading
import time
import random

# Build a RetryExecutor that wraps ThreadPoolExecutor.
# Each submitted task retries up to max_retries times on exception.
# Uses exponential backoff between retries.

class RetryExecutor:
  def __init__(self, max_workers=4, max_retries=3, base_delay=0.01):
      self._executor = ThreadPoolExecutor(max_workers=max_workers)
      self.max_retries = max_retries
      self.base_delay = base_delay

  def submit(self, fn, *args, **kwargs):
      return self._executor.submit(self._retry_wrapper, fn, args, kwargs)

  def _retry_wrapper(self, fn, args, kwargs):
      last_exc = None
      for attempt in range(self.max_retries + 1):
          try:
              return fn(*args, **kwargs)
          except Exception as e:
              last_exc = e
              if attempt < self.max_retries:
                  time.sleep(self.base_delay * (2 ** attempt))
      raise last_exc

  def shutdown(self, wait=True):
      self._executor.shutdown(wait=wait)

  def __enter__(self):
      return self

  def __exit__(self, *args):
      self.shutdown()

# Test: flaky function that fails on first 2 attempts
attempt_counters = {}
lock = threading.Lock()

def flaky(task_id):
  with lock:
      attempt_counters[task_id] = attempt_counters.get(task_id, 0) + 1
      attempt = attempt_counters[task_id]
  if attempt < 3:
      raise RuntimeError(f'Task {task_id} attempt {attempt} failed')
  return task_id * 10

if __name__ == '__main__':
  with RetryExecutor(max_workers=4, max_retries=3) as executor:
      futures = [executor.submit(flaky, i) for i in range(5)]
      results = [f.result() for f in futures]

  print(f'Results: {sorted(results)}')
  print(f'All succeeded after retries: {sorted(results) == [0, 10, 20, 30, 40]}')
