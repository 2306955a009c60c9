"""What runs in a ProcessPoolExecutor's worker processes, whatever the start method.

The parent's hooks hand every worker process this module's worker_main as its target, and every
work item's callable wrapped in a TracedCall. Both travel by pickle, by name (spawn and forkserver
pickle the process object; every start method pickles the call items), so a worker imports this
module from the parent's sys.path and nothing else of the tracer. A TracedCall unpickles as the
program's callable itself, stamping `started` on the way: the call then runs exactly as CPython
runs it, with no tracer frame in its traceback.
"""

from . import _events, _labels
from ._events import emit

_running = 0  # the task this worker runs now, between its `started` and its end


class TracedCall:
    """A process-pool work item's callable, as the parent holds it (see the module's docstring)."""

    __slots__ = ("fn", "task")

    def __init__(self, fn, task):
        self.fn = fn
        self.task = task

    def __call__(self, *args, **kwargs):
        return self.fn(*args, **kwargs)

    def __reduce__(self):
        return _unpickle_started, (self.fn, self.task)


def _unpickle_started(fn, task):
    # Runs on the worker's main thread, inside call_queue.get(), just before the call runs.
    global _running
    if _events.role == "worker":
        _running = task
        emit("started", task)
    return fn


def worker_main(pool, *args):
    """A worker process's target in place of CPython's _process_worker(*args). Its main thread."""
    import concurrent.futures.process as process

    name = None
    try:
        _events.role = "worker"
        _hook_results(process)
        _events.current_lane(pool)
        name = _events.shorten(_events._process_name())
        emit("worker_started", 0, name)
    except Exception as e:
        _events.diagnose("worker %s is not traced: %s: %s" % (name, type(e).__name__, e))
    try:
        return process._process_worker(*args)
    finally:
        if name is not None:
            emit("worker_stopped", 0, name)


def _hook_results(process):
    send_back = process._sendback_result

    def _sendback_result(result_queue, work_id, result=None, exception=None, **kwargs):
        # The call returned or raised: its end, stamped before the parent can hear of it.
        global _running
        task = _running
        _running = 0
        if task:
            if exception is not None:
                emit("failed", task, _labels.exception_label(getattr(exception, "exc", exception)))
            else:
                emit("finished", task)
        return send_back(result_queue, work_id, result=result, exception=exception, **kwargs)

    process._sendback_result = _sendback_result
