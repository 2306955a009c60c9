from concurrent.futures import ThreadPoolExecutor
import time

def slow_double(n):
  time.sleep(0.1)
  return n * 2

# TODO: Use ThreadPoolExecutor.map() to double all numbers in parallel.
# Return the results as a list.

def parallel_double(numbers):
  with ThreadPoolExecutor(max_workers=5) as executor:
      return list(executor.map(slow_double, numbers))

result = parallel_double([1, 2, 3, 4, 5])
print(result)
