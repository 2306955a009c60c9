from concurrent.futures import ThreadPoolExecutor
import time

def compute(base, power):
  time.sleep(0.05)
  return base ** power

# TODO: Submit 4 computations using executor.submit().
# Collect the futures and retrieve results.
# Return results as a list.

def parallel_compute():
  tasks = [(2, 10), (3, 5), (5, 4), (10, 3)]
  with ThreadPoolExecutor(max_workers=4) as executor:
      futures = [executor.submit(compute, b, p) for b, p in tasks]
      return [f.result() for f in futures]

print(parallel_compute())
