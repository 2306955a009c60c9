from concurrent.futures import ThreadPoolExecutor, TimeoutError
import random
import time

@constants@

def variable_task(n, seed):
    if DELAYS == 'random':  # the page's: a generator seeded with the task's number
        rng = random.Random(seed)
        delay = rng.uniform(SHORTEST, LONGEST)
    else:  # 'staircase': each task a step longer than the one before
        delay = (n + 0.5) * STEP
    time.sleep(delay)
    return n, delay


def run_with_timeout():
    tasks = list(range(TASKS))
    results_got = 0
    timed_out = 0
    with ThreadPoolExecutor(max_workers=MAX_WORKERS) as executor:
        gen = executor.map(variable_task, tasks, tasks, timeout=TIMEOUT)  # the deadline starts now
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
    timed_out += TASKS - results_got - timed_out
    return results_got, timed_out


got, timed_out = run_with_timeout()
print(f'Got: {got}, Timed out: {timed_out}')
print(f'Total: {got + timed_out}')
