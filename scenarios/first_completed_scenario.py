from concurrent.futures import ThreadPoolExecutor, wait, FIRST_COMPLETED
import time

@constants@

def slow_search(haystack, needle, delay):
    time.sleep(delay * SCALE)
    return needle in haystack, haystack[:20]


def first_result_wins():
    searches = [
        (['a', 'b', 'c', 'x', 'y'], 'x', 0.2),
        (['p', 'q', 'r'], 'r', 0.1),  # fastest
        (['m', 'n', 'o', 'x'], 'z', 0.3),
        (['d', 'e', 'f'], 'f', 0.4),
    ]
    with ThreadPoolExecutor(max_workers=MAX_WORKERS) as executor:
        futures = [executor.submit(slow_search, h, n, d) for h, n, d in searches]
        done, not_done = wait(futures, return_when=FIRST_COMPLETED)

        first = list(done)[0].result()
        # only a search still waiting in the queue can be cancelled
        cancelled = sum(1 for f in not_done if f.cancel())
        return first, cancelled


first, cancelled = first_result_wins()
print(f'First result: {first}')
print(f'Cancelled: {cancelled}')
