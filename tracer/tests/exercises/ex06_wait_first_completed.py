from concurrent.futures import ThreadPoolExecutor, wait, FIRST_COMPLETED
import time

def slow_search(haystack, needle, delay):
  time.sleep(delay)
  return needle in haystack, haystack[:20]

# TODO: Submit 4 search tasks with different datasets and delays.
# Use wait(FIRST_COMPLETED) to get the first result.
# Cancel remaining tasks.
# Return (first_result, cancelled_count).

def first_result_wins():
  searches = [
      (['a', 'b', 'c', 'x', 'y'], 'x', 0.2),
      (['p', 'q', 'r'], 'r', 0.1),   # fastest
      (['m', 'n', 'o', 'x'], 'z', 0.3),
      (['d', 'e', 'f'], 'f', 0.4),
  ]
  with ThreadPoolExecutor(max_workers=4) as executor:
      futures = [executor.submit(slow_search, h, n, d) for h, n, d in searches]
      done, not_done = wait(futures, return_when=FIRST_COMPLETED)

      first = list(done)[0].result()
      cancelled = sum(1 for f in not_done if f.cancel())
      return first, cancelled

first, cancelled = first_result_wins()
print(f'First result: {first}')
print(f'Cancelled: {cancelled}')
