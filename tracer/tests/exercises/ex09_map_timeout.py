from concurrent.futures import ThreadPoolExecutor, TimeoutError
import time
import random

def variable_task(n, seed):
  rng = random.Random(seed)
  delay = rng.uniform(0.05, 0.5)
  time.sleep(delay)
  return n, delay

# TODO: Run 10 tasks with executor.map(timeout=0.2).
# Collect as many results as complete within the timeout.
# Catch TimeoutError for tasks that don't finish in time.
# Return (results_got, timed_out_count).

def run_with_timeout():
  tasks = list(range(10))
  results_got = 0
  timed_out = 0
  with ThreadPoolExecutor(max_workers=10) as executor:
      gen = executor.map(variable_task, tasks, tasks, timeout=0.2)
      while True:
          try:
              result = next(gen)
              results_got += 1
          except StopIteration:
              break
          except TimeoutError:
              timed_out += 1
              break
  # Remaining tasks count as timed out
  timed_out += 10 - results_got - timed_out
  return results_got, timed_out

got, timed_out = run_with_timeout()
print(f'Got: {got}, Timed out: {timed_out}')
print(f'Total: {got + timed_out}')
