from concurrent.futures import ThreadPoolExecutor, Future
import threading
import time
import random

@constants@

class RetryExecutor:
    def __init__(self, max_workers=4, max_retries=3, base_delay=0.01):
        self._executor = ThreadPoolExecutor(max_workers=max_workers)
        self.max_retries = max_retries
        self.base_delay = base_delay

    def submit(self, fn, *args, **kwargs):
        if TIMER_BACKOFF:
            return self._submit_with_timer(fn, args, kwargs)
        return self._executor.submit(self._retry_wrapper, fn, args, kwargs)

    def _retry_wrapper(self, fn, args, kwargs):
        # The page's design: the worker itself sleeps through the backoff.
        last_exc = None
        for attempt in range(self.max_retries + 1):
            try:
                return fn(*args, **kwargs)
            except Exception as e:
                last_exc = e
                if attempt < self.max_retries:
                    time.sleep(self.base_delay * (2 ** attempt))
        raise last_exc

    def _submit_with_timer(self, fn, args, kwargs):
        # The variation: a timer thread waits out the backoff, so the worker is free meanwhile.
        outcome = Future()

        def attempt(k):
            self._executor.submit(fn, *args, **kwargs).add_done_callback(lambda f: settle(f, k))

        def settle(f, k):
            if f.exception() is None:
                outcome.set_result(f.result())
            elif k < self.max_retries:
                threading.Timer(self.base_delay * (2 ** k), attempt, (k + 1,)).start()
            else:
                outcome.set_exception(f.exception())

        attempt(0)
        return outcome

    def shutdown(self, wait=True):
        self._executor.shutdown(wait=wait)

    def __enter__(self):
        return self

    def __exit__(self, *args):
        self.shutdown()


attempt_counters = {}
draws = {}
lock = threading.Lock()


def flaky(task_id):
    with lock:
        attempt_counters[task_id] = attempt_counters.get(task_id, 0) + 1
        attempt = attempt_counters[task_id]
        if FAILURES == 'first-two':  # the page's: attempts 1 and 2 fail
            fails = attempt < 3
        else:  # 'random': one draw per attempt from the task's own generator
            fails = draws.setdefault(task_id, random.Random(SEED * 1000 + task_id)).random() < FAILURE_PROBABILITY
    time.sleep(WORK)
    if fails:
        raise RuntimeError(f'Task {task_id} attempt {attempt} failed')
    return task_id * 10


if __name__ == '__main__':
    with RetryExecutor(max_workers=MAX_WORKERS, max_retries=MAX_RETRIES, base_delay=BASE_DELAY) as executor:
        futures = [executor.submit(flaky, i) for i in range(TASKS)]
        results, errors = [], []
        for f in futures:
            try:
                results.append(f.result())
            except RuntimeError as e:  # the page lets this end the program
                errors.append(str(e))

    print(f'Results: {sorted(results)}')
    if errors:
        print(f'Failed after retries: {errors}')
    else:
        print(f'All succeeded after retries: {sorted(results) == [i * 10 for i in range(TASKS)]}')
