from concurrent.futures import ThreadPoolExecutor
import time

# Build a two-stage pipeline where stage 2 depends on stage 1 results.
# Stage 1: fetch data (simulate I/O)
# Stage 2: process data (CPU work)

def stage1_fetch(item):
  time.sleep(0.05)
  return item * 2

def stage2_process(fetched):
  time.sleep(0.03)
  return fetched ** 2

# TODO: For each item in 1..5:
# Submit stage1_fetch, then when it completes, submit stage2_process.
# Run all stage1 concurrently, then all stage2 concurrently.
# Return final results sorted.

def run_pipeline(items):
  with ThreadPoolExecutor(max_workers=5) as executor:
      stage1_futures = [executor.submit(stage1_fetch, i) for i in items]
      stage1_results = [f.result() for f in stage1_futures]

      stage2_futures = [executor.submit(stage2_process, r) for r in stage1_results]
      return [f.result() for f in stage2_futures]

results = run_pipeline(list(range(1, 6)))
print(sorted(results))
