# Labels: long arguments are cut short, keyword arguments shown, a failing __repr__ survived, and an
# exception message that is not valid UTF-8 text still makes a valid trace.
from concurrent.futures import ThreadPoolExecutor


class Stubborn:
    def __repr__(self):
        raise RuntimeError("no repr for you")


def take(*args, **kwargs):
    return len(args) + len(kwargs)


def fail():
    raise ValueError("bad byte \udcff here")


with ThreadPoolExecutor(max_workers=1) as executor:
    print(executor.submit(take, "x" * 1000, key=list(range(100))).result())
    print(executor.submit(take, Stubborn()).result())
    print(executor.submit(take).result())
    print(type(executor.submit(fail).exception()).__name__)
