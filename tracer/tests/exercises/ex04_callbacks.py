from concurrent.futures import ThreadPoolExecutor
import time
import threading

completed = []
lock = threading.Lock()

def work(n):
  time.sleep(0.05)
  return n * n

def on_done(future):
  with lock:
      completed.append(future.result())

# TODO: Submit 5 tasks and attach on_done as a callback using add_done_callback.
# Wait for all tasks, then print sorted completed results.

def test_callbacks():
  completed.clear()
  with ThreadPoolExecutor(max_workers=5) as executor:
      for n in range(1, 6):
          f = executor.submit(work, n)
          f.add_done_callback(on_done)
  return sorted(completed)

print(test_callbacks())
