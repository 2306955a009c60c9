from concurrent.futures import ThreadPoolExecutor, as_completed
import time
import random

def variable_work(item, seed):
  rng = random.Random(seed)
  time.sleep(rng.uniform(0.05, 0.25))
  return item, item ** 2

# TODO: Submit 8 tasks using executor.submit.
# Use as_completed to process results as they arrive (fastest first).
# Return the items in completion order.

def process_as_completed():
  items = list(range(1, 9))
  order = []
  with ThreadPoolExecutor(max_workers=8) as executor:
      futures = {executor.submit(variable_work, i, i): i for i in items}
      for future in as_completed(futures):
          item, square = future.result()
          order.append(item)
  return order

order = process_as_completed()
print(f'Completion order: {order}')
print(f'All 8 processed: {sorted(order) == list(range(1, 9))}')
