from concurrent.futures import ThreadPoolExecutor
import time


def fail(key):
    time.sleep(0.05)  # so that result() waits, traced or not (its traceback says where it was)
    return {}[key]


def outer():
    with ThreadPoolExecutor(max_workers=1) as executor:
        return executor.submit(fail, "missing").result()


try:
    outer()
except KeyError as e:
    raise RuntimeError("the task failed") from e
