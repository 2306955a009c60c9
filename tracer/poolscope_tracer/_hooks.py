"""Hooks into concurrent.futures in the traced program's own process (the parent).

Where the program's exceptions pass, the hooks add no frame of their own, so the program's
tracebacks stay as CPython prints them:
- a Future's condition is switched to a subclass whose wait() stamps the caller's block and whose
  notify_all() stamps the terminal event (set_result, set_exception and cancel call it under the
  future's lock, right after the state changes and before any done-callback runs);
- a _Waiter's event is switched the same way, for wait() and as_completed();
- done-callbacks are stamped by the list they are kept in, which _invoke_callbacks iterates.
Plain wrappers remain only where nothing of the program's is raised through them: Future.__init__
(where a future gets its id and, inside submit(), its `submitted` event),
set_running_or_notify_cancel, cancel, add_done_callback, the pool thread's main function, shutdown,
the process pool's work items and the start of its worker processes.

The modules are patched when the program first imports them (a program that never imports
concurrent.futures keeps it unimported), through a finder placed first on sys.meta_path.
Functions the program imports by name (`from concurrent.futures import wait`) are CPython's own and
need no patching: they reach the patched classes.
"""

import functools
import itertools
import os
import sys
import threading

from . import _child, _events, _labels
from ._events import current_lane, emit, emit_at, escape, now

THREAD = 1
PROCESS = 2

enabled = False  # True in the traced program's process once start() ran; never in its children
program_file = None  # the program's absolute path, as its code objects name it

_next_task = itertools.count(1).__next__
_pool_lock = threading.Lock()
_pool_numbers = itertools.count(1)
_process_pool_numbers = itertools.count(0)
_notes = set()

_API = {}  # id(code) -> the call a caller blocks in ("result", "map"...); outermost frame wins
_SUBMIT = {}  # id(code of Executor.submit) -> THREAD or PROCESS
_END = {}  # id(code of set_result / set_exception / cancel) -> the terminal kind it stands for
_INVOKE_CALLBACKS = None  # Future._invoke_callbacks' code
_CPYTHON_DIR = None  # concurrent/futures/, whose own cancel() calls (map's cleanup) are no user's
_DONE_STATES = ()
_process_chunk = None
_process_worker = None

_Condition = threading.Condition
_Event = threading.Event


def _disable_in_child():
    global enabled
    enabled = False


os.register_at_fork(after_in_child=_disable_in_child)


def note(text):
    """A remark for the trace's metadata (once per text), never printed."""
    if text not in _notes:
        _notes.add(text)
        _events.write_object({"warning": text})


# --- where in the program ------------------------------------------------------------------------


def program_line(frame):
    """The line of the nearest frame, from `frame` outwards, that runs the program's file; 0 if none."""
    prog = program_file
    while frame is not None:
        if frame.f_code.co_filename == prog:
            return frame.f_lineno
        frame = frame.f_back
    return 0


def _block_begin(task, name, frame):
    """Stamps caller_blocked, unless this thread is blocked already (shutdown inside __exit__...).

    Walks out from `frame` to the program's frame; the outermost API frame on the way names the
    call (result() inside map's iterator is "map"). Returns what _block_end needs, or None. Never
    raises: it runs inside CPython's own code.
    """
    try:
        return _find_block(task, name, frame)
    except Exception as e:
        _events.internal_error(e)
        return None


def _find_block(task, name, frame):
    tls = _events._tls
    if getattr(tls, "blocked", False):
        return None
    prog = program_file
    line = 0
    while frame is not None:
        code = frame.f_code
        if code.co_filename == prog:
            line = frame.f_lineno
            break
        found = _API.get(id(code))
        if found is not None:
            name = found
        frame = frame.f_back
    if name is None:
        return None
    tls.blocked = True
    emit("caller_blocked", task, name, line)
    return task, name, line


def _block_end(block):
    try:
        _events._tls.blocked = False
        emit("caller_resumed", block[0], block[1], block[2])
    except Exception as e:
        _events.internal_error(e)


# --- the future's condition and callbacks --------------------------------------------------------


class _TracedCondition(threading.Condition):
    """A Future's condition. Future.__init__ switches the instance's class and sets these."""

    _ps_task = 0
    _ps_kind = 0  # 0: a future made outside an executor's submit(); THREAD; PROCESS

    def wait(self, timeout=None):
        if not enabled or (timeout is not None and timeout <= 0):
            return _Condition.wait(self, timeout)
        # Only result() and exception() wait here, and only when the future is not done yet.
        block = _block_begin(self._ps_task, None, sys._getframe(1))
        if block is None:
            return _Condition.wait(self, timeout)
        try:
            return _Condition.wait(self, timeout)
        finally:
            _block_end(block)

    def notify_all(self):
        if enabled:
            try:
                frame = sys._getframe(1)
                kind = _END.get(id(frame.f_code))
                if kind is not None:
                    _stamp_end(self, kind, frame)
            except Exception as e:
                _events.internal_error(e)
        _Condition.notify_all(self)


def _stamp_end(cond, kind, frame):
    # Runs on the thread that completes the future, under the future's lock.
    task = cond._ps_task
    _submit_if_standalone(cond)
    if kind == "cancelled":
        emit("cancelled", task, _cancel_label(frame), program_line(frame))
        return
    label = ""
    if kind == "failed":
        label = _labels.exception_label(frame.f_locals.get("exception"))
    if cond._ps_kind == PROCESS:
        # The worker stamped the call's end on its own lane; this is the parent learning of it.
        emit("result_set" if kind == "finished" else "exception_set", task, label)
    elif cond._ps_kind == THREAD:
        emit(kind, task, label)
    else:
        emit(kind, task, label, program_line(frame))


def _cancel_label(cancel_frame):
    """Who cancelled: "cancel" (the program), "map" (map's cleanup) or "shutdown" (cancel_futures)."""
    frame = cancel_frame.f_back
    while frame is not None and frame.f_code is _cancel.__code__:
        frame = frame.f_back
    if frame is None or not frame.f_code.co_filename.startswith(_CPYTHON_DIR):
        return "cancel"
    name = frame.f_code.co_name
    if name in ("result_iterator", "_result_or_cancel"):
        return "map"
    if "shut" in name:  # shutdown(), or the process pool's manager thread (flag_executor_shutting_down)
        return "shutdown"
    return name


def _submit_if_standalone(cond):
    # A future made by the program itself (not by submit) is stamped `submitted` with the time of
    # its creation once something happens to it; futures that are never used stay out of the trace.
    lazy = cond.__dict__.pop("_ps_lazy", None)
    if lazy is not None:
        emit_at(lazy[0], "submitted", cond._ps_task, lazy[2], lazy[3], lazy[1], 0)


class _CallbackList(list):
    """A Future's _done_callbacks: iterated by _invoke_callbacks, it stamps each callback's run."""

    __slots__ = ("_ps_task",)

    def __init__(self, task):
        list.__init__(self)
        self._ps_task = task

    def __iter__(self):
        # Only _invoke_callbacks' loop is stamped; anything else iterating the list gets the list.
        if not enabled or not self or sys._getframe(1).f_code is not _INVOKE_CALLBACKS:
            return list.__iter__(self)
        return self._stamped()

    def _stamped(self):
        # Runs on the thread that runs the callbacks; the code between two yields is one callback.
        task = self._ps_task
        for fn in list.__iter__(self):
            try:
                label = _labels.callable_label(fn)
                line = _callback_line(fn)
                emit("callback_started", task, label, line)
            except Exception as e:
                _events.internal_error(e)
                label = None
            yield fn
            if label is not None:
                emit("callback_finished", task, label, line)


def _callback_line(fn):
    code = getattr(fn, "__code__", None)
    if code is not None and getattr(code, "co_filename", None) == program_file:
        return code.co_firstlineno
    return 0


class _TracedEvent(threading.Event):
    """The event wait() and as_completed() block on (a _Waiter's)."""

    def wait(self, timeout=None):
        if not enabled or self.is_set() or (timeout is not None and timeout <= 0):
            return _Event.wait(self, timeout)
        block = _block_begin(0, None, sys._getframe(1))
        if block is None:
            return _Event.wait(self, timeout)
        try:
            return _Event.wait(self, timeout)
        finally:
            _block_end(block)


# --- the patches -----------------------------------------------------------------------------------


def _patch_base(base):
    global _INVOKE_CALLBACKS, _CPYTHON_DIR, _DONE_STATES
    global _orig_future_init, _orig_set_running, _orig_cancel, _orig_add_done_callback, _orig_waiter_init
    Future = base.Future
    _INVOKE_CALLBACKS = Future._invoke_callbacks.__code__
    _CPYTHON_DIR = os.path.dirname(base.__file__) + os.sep
    _DONE_STATES = (base.CANCELLED, base.CANCELLED_AND_NOTIFIED, base.FINISHED)
    _END[id(Future.set_result.__code__)] = "finished"
    _END[id(Future.set_exception.__code__)] = "failed"
    _END[id(Future.cancel.__code__)] = "cancelled"
    _API[id(Future.result.__code__)] = "result"
    _API[id(Future.exception.__code__)] = "exception"
    _API[id(base.wait.__code__)] = "wait"
    _API[id(base.as_completed.__code__)] = "as_completed"
    _API[id(base.Executor.__exit__.__code__)] = "__exit__"
    for const in base.Executor.map.__code__.co_consts:
        if getattr(const, "co_name", None) == "result_iterator":
            _API[id(const)] = "map"
    if type(_Condition()) is not _Condition or type(_Event()) is not _Event:
        _events.diagnose("threading.Condition/Event are not plain classes here; futures are not traced")
        return

    _orig_future_init = Future.__init__
    _orig_set_running = Future.set_running_or_notify_cancel
    _orig_cancel = Future.cancel
    _orig_add_done_callback = Future.add_done_callback
    _orig_waiter_init = base._Waiter.__init__
    Future.__init__ = functools.wraps(_orig_future_init)(_future_init)
    Future.set_running_or_notify_cancel = functools.wraps(_orig_set_running)(_set_running)
    Future.cancel = functools.wraps(_orig_cancel)(_cancel)
    Future.add_done_callback = functools.wraps(_orig_add_done_callback)(_add_done_callback)
    base._Waiter.__init__ = functools.wraps(_orig_waiter_init)(_waiter_init)


def _future_init(self, *args, **kwargs):
    _orig_future_init(self, *args, **kwargs)
    if enabled:
        try:
            _trace_future(self, sys._getframe(1))
        except Exception as e:
            _events.internal_error(e)


def _trace_future(self, frame):
    cond = self._condition
    if type(cond) is not _Condition or type(self._done_callbacks) is not list:
        return  # a subclass built its own; leave that future alone
    task = _next_task()
    cond.__class__ = _TracedCondition
    cond._ps_task = task
    self._done_callbacks = _CallbackList(task)
    kind = _SUBMIT.get(id(frame.f_code))
    if kind is None:
        cond._ps_lazy = (now(), program_line(frame), current_lane(), type(self).__name__ + "()")
        return
    # Inside ThreadPoolExecutor.submit / ProcessPoolExecutor.submit, under the pool's lock and
    # before the work item is queued: nothing about this task can be stamped before this.
    cond._ps_kind = kind
    local = frame.f_locals
    executor = local["self"]
    fn = local["fn"]
    args = local["args"]
    pool = executor.__dict__.get("_poolscope_pool") or _new_pool(executor, kind)
    if kind == PROCESS and type(fn) is functools.partial and fn.func is _process_chunk and len(args) == 1:
        label = _labels.chunk_label(args[0])
    else:
        label = _labels.call_label(args, local["kwargs"])
    emit_at(now(), "submitted", task, current_lane(), label, program_line(frame.f_back), pool)


def _new_pool(executor, kind):
    with _pool_lock:
        pool = executor.__dict__.get("_poolscope_pool")
        if pool:
            return pool
        pool = next(_pool_numbers)
        info = {"pool": pool, "kind": "thread" if kind == THREAD else "process", "class": type(executor).__qualname__}
        try:
            info["max_workers"] = int(executor._max_workers)
        except Exception:
            info["max_workers"] = 0
        if kind == THREAD:
            info["name"] = str(getattr(executor, "_thread_name_prefix", "") or "ThreadPoolExecutor")
        else:
            info["name"] = "ProcessPoolExecutor-%d" % next(_process_pool_numbers)
            try:
                info["start_method"] = executor._mp_context.get_start_method()
            except Exception:
                pass
            try:
                executor._call_queue._poolscope_pool = pool  # how its worker processes find their pool
            except Exception:
                pass
        executor._poolscope_pool = pool
        _events.write_object(info)
        return pool


def _set_running(self):
    running = _orig_set_running(self)
    if running and enabled:
        try:
            _stamp_running(self, sys._getframe(1))
        except Exception as e:
            _events.internal_error(e)
    return running


def _stamp_running(self, frame):
    cond = self._condition
    task = getattr(cond, "_ps_task", 0)
    if not task:
        return
    kind = cond._ps_kind
    if kind == PROCESS:
        emit("dispatched", task)  # the manager thread put it into the call queue
    elif kind == THREAD:
        emit("started", task)
    else:
        _submit_if_standalone(cond)
        emit("started", task, "", program_line(frame))


def _cancel(self):
    cancelled = _orig_cancel(self)
    if not cancelled and enabled:
        try:
            _stamp_cancel_failed(self, sys._getframe(1))
        except Exception as e:
            _events.internal_error(e)
    return cancelled


def _stamp_cancel_failed(self, frame):
    task = getattr(self._condition, "_ps_task", 0)
    # CPython's own cancel() calls (map's result iterator cancels each future it has read, shutdown
    # cancels what it can) are not the program trying and failing.
    if task and not frame.f_code.co_filename.startswith(_CPYTHON_DIR):
        state = "finished" if self._state == _DONE_STATES[2] else "running"
        emit("cancel_failed", task, state, program_line(frame))


def _add_done_callback(self, fn):
    if enabled:
        cond = self._condition
        task = getattr(cond, "_ps_task", 0)
        if task:
            with cond:
                if self._state not in _DONE_STATES:
                    self._done_callbacks.append(fn)
                    return
            # Done already: CPython runs the callback now, on this thread. (The labels never raise.)
            label = _labels.callable_label(fn)
            line = _callback_line(fn)
            emit("callback_started", task, label, line)
            try:
                return _orig_add_done_callback(self, fn)
            finally:
                emit("callback_finished", task, label, line)  # emit() never raises
    return _orig_add_done_callback(self, fn)


def _waiter_init(self, *args, **kwargs):
    _orig_waiter_init(self, *args, **kwargs)
    if enabled and type(getattr(self, "event", None)) is _Event:
        self.event.__class__ = _TracedEvent


def _shutdown_wrapper(orig, may_wait):
    @functools.wraps(orig)
    def shutdown(self, *args, **kwargs):
        wait = args[0] if args else kwargs.get("wait", True)
        if enabled and wait and may_wait(self):
            block = _block_begin(0, "shutdown", sys._getframe(1))
            if block is not None:
                try:
                    return orig(self, *args, **kwargs)
                finally:
                    _block_end(block)
        return orig(self, *args, **kwargs)

    return shutdown


def _threads_alive(executor):
    try:
        return any(t.is_alive() for t in executor._threads)
    except Exception:
        return True


def _manager_alive(executor):
    try:
        return executor._executor_manager_thread is not None
    except Exception:
        return True


def _patch_thread(thread):
    global _orig_worker
    executor = thread.ThreadPoolExecutor
    _SUBMIT[id(executor.submit.__code__)] = THREAD
    _orig_worker = thread._worker
    thread._worker = functools.wraps(_orig_worker)(_pool_thread)
    executor.shutdown = _shutdown_wrapper(executor.shutdown, _threads_alive)


def _pool_thread(executor_reference, *args, **kwargs):
    # The main function of every ThreadPoolExecutor thread; runs on that thread.
    name = None
    if enabled:
        try:
            executor = executor_reference()
            pool = executor.__dict__.get("_poolscope_pool", 0) if executor is not None else 0
            del executor  # the pool shuts down when the program drops it: hold no reference
            current_lane(pool)
            name = _events.shorten(threading.current_thread().name)
            emit("worker_started", 0, name)
        except Exception as e:
            _events.internal_error(e)
    try:
        return _orig_worker(executor_reference, *args, **kwargs)
    finally:
        if name is not None:
            emit("worker_stopped", 0, name)


def _patch_process(process):
    global _orig_process_work_item_init, _process_chunk, _process_worker, _orig_process_start
    executor = process.ProcessPoolExecutor
    _SUBMIT[id(executor.submit.__code__)] = PROCESS
    _API[id(process._chain_from_iterable_of_lists.__code__)] = "map"
    _process_chunk = process._process_chunk
    _process_worker = process._process_worker
    _orig_process_work_item_init = process._WorkItem.__init__
    process._WorkItem.__init__ = functools.wraps(_orig_process_work_item_init)(_process_work_item_init)
    executor.shutdown = _shutdown_wrapper(executor.shutdown, _manager_alive)
    import multiprocessing.process as mp_process

    _orig_process_start = mp_process.BaseProcess.start
    mp_process.BaseProcess.start = functools.wraps(_orig_process_start)(_process_start)


def _process_work_item_init(self, future, fn, args, kwargs):
    task = getattr(getattr(future, "_condition", None), "_ps_task", 0)
    if task and enabled:
        fn = _child.TracedCall(fn, task)  # unpickles in the worker as fn itself, stamping `started`
    _orig_process_work_item_init(self, future, fn, args, kwargs)


def _process_start(self):
    if not (enabled and self._target is _process_worker):
        return _orig_process_start(self)
    # A ProcessPoolExecutor's worker: run it under the tracer's worker_main (picklable by name, so
    # every start method carries it), which stamps the worker's lane and hooks its results.
    pool = getattr(self._args[0], "_poolscope_pool", 0)
    self._target = _child.worker_main
    self._args = (pool,) + tuple(self._args)
    spawning = now()
    _orig_process_start(self)
    try:
        key = str(self.pid)
        _events.declare_lane(key, _events.shorten(self.name), self.pid, pool)
        emit_at(spawning, "worker_spawning", 0, escape(key), _events.shorten(self.name), 0)
    except Exception as e:
        _events.internal_error(e)


def _note_pool(orig):
    @functools.wraps(orig)
    def __init__(self, *args, **kwargs):
        if enabled:
            note("multiprocessing.Pool is not traced: only concurrent.futures executors are")
        return orig(self, *args, **kwargs)

    return __init__


def _patch_multiprocessing_pool(pool):
    pool.Pool.__init__ = _note_pool(pool.Pool.__init__)


def _note_popen(orig):
    @functools.wraps(orig)
    def __init__(self, *args, **kwargs):
        if enabled:
            note("subprocess: programs the traced program starts are not traced")
        return orig(self, *args, **kwargs)

    return __init__


def _patch_subprocess(subprocess):
    subprocess.Popen.__init__ = _note_popen(subprocess.Popen.__init__)


_PATCHES = {
    "concurrent.futures._base": _patch_base,
    "concurrent.futures.thread": _patch_thread,
    "concurrent.futures.process": _patch_process,
    "multiprocessing.pool": _patch_multiprocessing_pool,
    "subprocess": _patch_subprocess,
}


class _PatchOnImport:
    """A meta-path finder that patches a module right after it is first executed."""

    def __init__(self):
        self._pending = dict(_PATCHES)

    def find_spec(self, name, path=None, target=None):
        patch = self._pending.pop(name, None)
        if patch is None:
            return None
        if not self._pending:
            self._leave()
        spec = _find_spec_elsewhere(self, name, path, target)
        loader = getattr(spec, "loader", None)
        if loader is None or not hasattr(loader, "exec_module"):
            return spec
        execute = loader.exec_module

        def exec_module(module):
            execute(module)
            _apply(patch, module)

        loader.exec_module = exec_module  # this loader object serves this one import only
        return spec

    def _leave(self):
        try:
            sys.meta_path.remove(self)
        except ValueError:
            pass


def _find_spec_elsewhere(finder, name, path, target):
    for other in list(sys.meta_path):
        if other is finder:
            continue
        find = getattr(other, "find_spec", None)
        if find is None:
            continue
        spec = find(name, path, target)
        if spec is not None:
            return spec
    return None


def _apply(patch, module):
    try:
        patch(module)
    except Exception as e:  # a CPython this tracer does not know: run the program untraced there
        _events.diagnose("cannot hook %s: %s: %s" % (module.__name__, type(e).__name__, e))


def install(program):
    """Turns tracing on for this process (the parent). Main thread, before the program runs."""
    global enabled, program_file
    program_file = program
    enabled = True
    finder = _PatchOnImport()
    for name in list(finder._pending):
        module = sys.modules.get(name)
        if module is not None:
            finder._pending.pop(name)
            _apply(_PATCHES[name], module)
    # Order matters where imports are already done: _base before thread and process.
    if finder._pending:
        sys.meta_path.insert(0, finder)
