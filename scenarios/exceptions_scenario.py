from concurrent.futures import ThreadPoolExecutor
import time

@constants@

def risky_task(n):
    time.sleep(DELAY)  # 0 on the page: the task fails or succeeds at once
    if n % FAIL_EVERY == 0:
        raise ValueError(f'Bad value: {n}')
    return n * 10


def run_with_error_handling():
    successes = []
    errors = []
    with ThreadPoolExecutor(max_workers=MAX_WORKERS) as executor:
        futures = {executor.submit(risky_task, n): n for n in range(1, TASKS + 1)}
        for future in futures:
            exc = future.exception()  # waits, and hands the error back instead of raising it
            if exc:
                errors.append(str(exc))
            else:
                successes.append(future.result())
    return successes, errors


successes, errors = run_with_error_handling()
print('Successes:', sorted(successes))
print('Errors:', sorted(errors))
