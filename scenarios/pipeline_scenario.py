from concurrent.futures import ThreadPoolExecutor
import time

@constants@

def stage1_fetch(item):
    time.sleep(FETCH_DELAY)  # stage one: wait for the data
    return item * 2


def stage2_process(fetched):
    time.sleep(PROCESS_DELAY)  # stage two: work on it
    return fetched ** 2


def run_pipeline(items):
    with ThreadPoolExecutor(max_workers=MAX_WORKERS) as executor:
        stage1_futures = [executor.submit(stage1_fetch, i) for i in items]
        stage1_results = [f.result() for f in stage1_futures]  # the barrier between the stages

        stage2_futures = [executor.submit(stage2_process, r) for r in stage1_results]
        return [f.result() for f in stage2_futures]


results = run_pipeline(list(range(1, ITEMS + 1)))
print(sorted(results))
