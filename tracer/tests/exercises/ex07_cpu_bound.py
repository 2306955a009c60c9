from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
import time
import math

def cpu_work(n):
  # CPU-intensive: compute sum of primes up to n
  primes = [i for i in range(2, n) if all(i % j != 0 for j in range(2, int(math.sqrt(i)) + 1))]
  return len(primes)

# TODO: Compare ThreadPoolExecutor vs ProcessPoolExecutor for this CPU-bound task.
# Run cpu_work for [500, 1000, 1500, 2000] using both.
# Return (thread_time_ms, process_time_ms, results_match).

def compare_executors():
  numbers = [500, 1000, 1500, 2000]

  t0 = time.perf_counter()
  with ThreadPoolExecutor(max_workers=4) as ex:
      thread_results = list(ex.map(cpu_work, numbers))
  t_ms = (time.perf_counter() - t0) * 1000

  t0 = time.perf_counter()
  with ProcessPoolExecutor(max_workers=4) as ex:
      process_results = list(ex.map(cpu_work, numbers))
  p_ms = (time.perf_counter() - t0) * 1000

  return t_ms, p_ms, thread_results == process_results

if __name__ == '__main__':
  t_ms, p_ms, match = compare_executors()
  print(f'Thread pool: {t_ms:.0f}ms')
  print(f'Process pool: {p_ms:.0f}ms')
  print(f'Results match: {match}')
