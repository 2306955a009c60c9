# Subclasses of ThreadPoolExecutor and of Future, and a future the program completes itself.
import threading
from concurrent.futures import Future, ThreadPoolExecutor


class CountingExecutor(ThreadPoolExecutor):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.count = 0

    def submit(self, fn, /, *args, **kwargs):
        self.count += 1
        return super().submit(fn, *args, **kwargs)


class Job(Future):
    def __init__(self, name):
        super().__init__()
        self.name = name


def complete(job, go):
    go.wait()
    job.set_running_or_notify_cancel()
    job.set_result(job.name.upper())


with CountingExecutor(max_workers=2, thread_name_prefix="counting") as executor:
    futures = [executor.submit(pow, 2, n) for n in range(4)]
    print([f.result() for f in futures], executor.count)

job = Job("made by hand")
go = threading.Event()
completer = threading.Thread(target=complete, args=(job, go), name="completer")
completer.start()
go.set()
print(job.result())
completer.join()
unused = Job("never used")
print(unused.done())
