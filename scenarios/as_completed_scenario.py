from concurrent.futures import ThreadPoolExecutor, as_completed
import random
import time

@constants@

def variable_work(item, seed):
    if ORDER == 'random':  # the page's: a generator seeded with the item
        rng = random.Random(seed)
        delay = rng.uniform(SHORTEST, LONGEST)
    else:  # spread evenly from the first item to the last
        rank = 0 if ITEMS == 1 else (item - 1) / (ITEMS - 1)
        delay = SHORTEST + (LONGEST - SHORTEST) * (rank if ORDER == 'fastest-first' else 1 - rank)
    time.sleep(delay)
    return item, item ** 2


def process_as_completed():
    items = list(range(1, ITEMS + 1))
    order = []
    with ThreadPoolExecutor(max_workers=MAX_WORKERS) as executor:
        futures = {executor.submit(variable_work, i, i): i for i in items}
        for future in as_completed(futures):  # whichever is done first comes first
            item, square = future.result()
            order.append(item)
    return order


order = process_as_completed()
print(f'Completion order: {order}')
print(f'All {ITEMS} processed: {sorted(order) == list(range(1, ITEMS + 1))}')
