"""Hooks into concurrent.futures in the traced program's own process (the parent).

Where the program's exceptions pass, the hooks add no frame of their own, so the program's
tracebacks stay as CPython prints them:
- concurrent.futures._base sees the threading module through a proxy whose Condition and Event are
  the subclasses below, so every Future's condition is a _TracedCondition: its wait() stamps the
  caller's block in result()/exception(), its notify_all() the terminal event (set_result,
  set_exception and cancel call it under the future's lock, right after the state changes and
  before any done-callback runs); every _Waiter's event is a _TracedEvent, for wait() and
  as_completed(). A Future's own methods and __init__ stay CPython's;
- done-callbacks are stamped by the list they are kept in, which _invoke_callbacks iterates.
Plain wrappers remain only where nothing of the program's is raised through them:
set_running_or_notify_cancel, cancel, add_done_callback, the pool thread's main function, shutdown,
the pools' work items (where a future gets its id and its `submitted` event, inside submit() and
before the work is queued) and the start of a process pool's workers.

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
import types

from . import _child, _events, _labels
from ._events import current_lane, emit, emit_at, escape, now

THREAD = 1
PROCESS = 2
STANDALONE = 3  # a future the program made itself, not through an executor's submit()

enabled = False  # True in the traced program's process once install() ran; never in its children
program_file = None  # the program's absolute path, as its code objects name it

_next_task = itertools.count(1).__next__
_pool_lock = threading.Lock()
_pool_numbers = itertools.count(1)
_process_pool_numbers = itertools.count(0)
_notes = set()

_API = {}  # id(code) -> the call a caller blocks in ("result", "map"...); outermost frame wins
_END = {}  # id(code of set_result / set_exception / cancel) -> the terminal kind it stands for
_INVOKE_CALLBACKS = None  # Future._invoke_callbacks' code
_CPYTHON_DIR = None  # concurrent/futures/, whose own cancel() calls (map's cleanup) are no user's
_DONE_STATES = ()
_process_chunk = None
_process_worker = None

_Condition = threading.Condition
_Event = threading.Event
_getframe = sys._getframe
# Condition.notify_all is `self.notify(len(self._waiters))`; the override below says that itself
# (one call fewer per task) where CPython's still reads so.
_NOTIFY_ALL_INLINE = _Condition.notify_all.__code__.co_names == ("notify", "len", "_waiters")


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
    except Exception as e:
        _events.internal_error(e)
        return None


def _block_end(block, timed_out=False):
    try:
        _events._tls.blocked = False
        # "deadline": the wait ran out of time (TimeoutError follows), as PoolScope's core says it.
        emit("caller_resumed", block[0], "deadline" if timed_out else block[1], block[2])
    except Exception as e:
        _events.internal_error(e)


def _blocked(task, name, frame, call, *args, **kwargs):
    """call(*args, **kwargs), stamped as a caller block (see _block_begin) when one starts."""
    block = _block_begin(task, name, frame)
    if block is None:
        return call(*args, **kwargs)
    timed_out = False
    try:
        result = call(*args, **kwargs)
        # Condition.wait() and Event.wait() return False when their timeout ran out.
        timed_out = result is False
        return result
    finally:
        _block_end(block, timed_out)


# --- the future's condition and callbacks --------------------------------------------------------


class _TracedCondition(threading.Condition):
    """Every Future's condition (see the module's docstring). A pool's work item sets the task."""

    _ps_task = 0  # 0 until the future is submitted, or (made by the program) first used
    _ps_kind = 0  # THREAD, PROCESS or STANDALONE once it has a task

    def wait(self, timeout=None):
        if not enabled or (timeout is not None and timeout <= 0):
            return _Condition.wait(self, timeout)
        # Only result() and exception() wait here, and only when the future is not done yet.
        return _blocked(self._ps_task, None, _getframe(1), _Condition.wait, self, timeout)

    def notify_all(self):
        if enabled:
            try:
                frame = _getframe(1)
                kind = _END.get(id(frame.f_code))
                if kind is not None:
                    if kind == "finished" and self._ps_kind == THREAD:
                        emit("finished", self._ps_task)  # the common case, kept short
                    else:
                        _stamp_end(self, kind, frame)
            except Exception as e:
                _events.internal_error(e)
        if _NOTIFY_ALL_INLINE:
            self.notify(len(self._waiters))
        else:
            _Condition.notify_all(self)


def _stamp_end(cond, kind, frame):
    # Runs on the thread that completes the future, under the future's lock.
    task = cond._ps_task or _adopt(frame.f_locals.get("self"), cond, frame)
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


def _adopt(future, cond, frame):
    """Gives a future the program made itself its task, when something first happens to it."""
    task = _next_task()
    cond._ps_task = task
    cond._ps_kind = STANDALONE
    emit("submitted", task, type(future).__name__ + "()", program_line(frame))
    return task


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


class _CallbackList(list):
    """A Future's _done_callbacks once it has one: iterated by _invoke_callbacks, it stamps each run."""

    __slots__ = ("_ps_task",)

    def __init__(self, task, callbacks=()):
        list.__init__(self, callbacks)
        self._ps_task = task

    def __iter__(self):
        # Only _invoke_callbacks' loop is stamped; anything else iterating the list gets the list.
        if not enabled or not self or _getframe(1).f_code is not _INVOKE_CALLBACKS:
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
    """Every _Waiter's event: what wait() and as_completed() block on."""

    def wait(self, timeout=None):
        if not enabled or self.is_set() or (timeout is not None and timeout <= 0):
            return _Event.wait(self, timeout)
        return _blocked(0, None, _getframe(1), _Event.wait, self, timeout)


class _ThreadingForFutures(types.ModuleType):
    """What concurrent.futures._base sees as `threading`: the real module, but for two classes."""

    Condition = _TracedCondition
    Event = _TracedEvent

    def __getattr__(self, name):
        return getattr(threading, name)


# --- the patches -----------------------------------------------------------------------------------


def _patch_base(base):
    global _INVOKE_CALLBACKS, _CPYTHON_DIR, _DONE_STATES
    global _orig_set_running, _orig_cancel, _orig_add_done_callback
    Future = base.Future
    if type(_Condition()) is not _Condition or type(_Event()) is not _Event:
        _events.diagnose("threading.Condition/Event are not plain classes here; futures are not traced")
        return
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

    base.threading = _ThreadingForFutures("threading")
    _orig_set_running = Future.set_running_or_notify_cancel
    _orig_cancel = Future.cancel
    _orig_add_done_callback = Future.add_done_callback
    Future.set_running_or_notify_cancel = functools.wraps(_orig_set_running)(_set_running)
    Future.cancel = functools.wraps(_orig_cancel)(_cancel)
    Future.add_done_callback = functools.wraps(_orig_add_done_callback)(_add_done_callback)


def _traced_condition(future):
    cond = getattr(future, "_condition", None)
    return cond if cond.__class__ is _TracedCondition else None


def _set_running(self):
    running = _orig_set_running(self)
    if running and enabled:
        try:
            cond = self._condition
            kind = getattr(cond, "_ps_kind", None)
            if kind == THREAD:
                emit("started", cond._ps_task)
            elif kind == PROCESS:
                emit("dispatched", cond._ps_task)  # the manager thread put it into the call queue
            elif kind is not None:
                frame = _getframe(1)
                task = cond._ps_task or _adopt(self, cond, frame)
                emit("started", task, "", program_line(frame))
        except Exception as e:
            _events.internal_error(e)
    return running


def _cancel(self):
    cancelled = _orig_cancel(self)
    if not cancelled and enabled:
        try:
            task = getattr(self._condition, "_ps_task", 0)
            frame = _getframe(1)
            # CPython's own cancel() calls (map's result iterator cancels each future it has read,
            # shutdown cancels what it can) are not the program trying and failing.
            if task and not frame.f_code.co_filename.startswith(_CPYTHON_DIR):
                state = "finished" if self._state == _DONE_STATES[2] else "running"
                emit("cancel_failed", task, state, program_line(frame))
        except Exception as e:
            _events.internal_error(e)
    return cancelled


def _add_done_callback(self, fn):
    cond = _traced_condition(self) if enabled else None
    if cond is None:
        return _orig_add_done_callback(self, fn)
    task = cond._ps_task or _adopt(self, cond, _getframe(1))
    with cond:
        if self._state not in _DONE_STATES:
            callbacks = self._done_callbacks
            if type(callbacks) is list:
                # Only futures with callbacks pay for the list that stamps them.
                callbacks = self._done_callbacks = _CallbackList(task, callbacks)
            callbacks.append(fn)
            return
    # Done already: CPython runs the callback now, on this thread. (The labels never raise.)
    label = _labels.callable_label(fn)
    line = _callback_line(fn)
    emit("callback_started", task, label, line)
    try:
        return _orig_add_done_callback(self, fn)
    finally:
        emit("callback_finished", task, label, line)  # emit() never raises


def _submitted(cond, kind, args, kwargs, frame, chunk=False):
    """Gives a pool's future its task and stamps `submitted`. Inside submit(), before the work item
    is queued: nothing about the task can be stamped before this. `frame`: submit()'s."""
    task = _next_task()
    cond._ps_task = task
    cond._ps_kind = kind
    if chunk:
        label = _labels.chunk_label(args[0])
    elif not args and not kwargs:
        label = "()"
    else:
        label = _labels.call_label(args, kwargs)
    line = 0
    prog = program_file
    frame = frame.f_back
    while frame is not None:
        if frame.f_code.co_filename == prog:
            line = frame.f_lineno
            break
        frame = frame.f_back
    emit("submitted", task, label, line)
    return task


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


def _shutdown_wrapper(orig, may_wait):
    @functools.wraps(orig)
    def shutdown(self, *args, **kwargs):
        wait = args[0] if args else kwargs.get("wait", True)
        if enabled and wait and may_wait(self):
            return _blocked(0, "shutdown", sys._getframe(1), orig, self, *args, **kwargs)
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
    global _orig_worker, _orig_thread_work_item_init
    executor = thread.ThreadPoolExecutor
    _orig_worker = thread._worker
    thread._worker = functools.wraps(_orig_worker)(_pool_thread)
    executor.shutdown = _shutdown_wrapper(executor.shutdown, _threads_alive)
    _orig_thread_work_item_init = thread._WorkItem.__init__
    code = _orig_thread_work_item_init.__code__
    if code.co_varnames[:5] == ("self", "future", "fn", "args", "kwargs") and code.co_names == (
        "future",
        "fn",
        "args",
        "kwargs",
    ):
        # It only stores its arguments (3.9 to 3.13): do that here, one call fewer per task.
        thread._WorkItem.__init__ = functools.wraps(_orig_thread_work_item_init)(_thread_work_item_init)
    else:
        thread._WorkItem.__init__ = functools.wraps(_orig_thread_work_item_init)(_thread_work_item_wrapper)


def _thread_work_item_init(self, future, fn, args, kwargs):
    self.future = future
    self.fn = fn
    self.args = args
    self.kwargs = kwargs
    if enabled:
        try:
            cond = future._condition
            if cond.__class__ is _TracedCondition and not cond._ps_task:
                _submitted(cond, THREAD, args, kwargs, _getframe(1))
        except Exception as e:
            _events.internal_error(e)


def _thread_work_item_wrapper(self, future, fn, args, kwargs):
    _orig_thread_work_item_init(self, future, fn, args, kwargs)
    if enabled:
        try:
            cond = _traced_condition(future)
            if cond is not None and not cond._ps_task:
                _submitted(cond, THREAD, args, kwargs, _getframe(1))
        except Exception as e:
            _events.internal_error(e)


def _pool_thread(executor_reference, *args, **kwargs):
    # The main function of every ThreadPoolExecutor thread; runs on that thread.
    name = None
    if enabled:
        try:
            executor = executor_reference()
            pool = 0
            if executor is not None:
                pool = executor.__dict__.get("_poolscope_pool") or _new_pool(executor, THREAD)
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
    if enabled:
        try:
            cond = _traced_condition(future)
            if cond is not None and not cond._ps_task:
                frame = _getframe(1)  # ProcessPoolExecutor.submit, under the pool's lock
                executor = frame.f_locals.get("self")
                if isinstance(executor, _process_executor_class()):
                    if not executor.__dict__.get("_poolscope_pool"):
                        _new_pool(executor, PROCESS)
                chunk = len(args) == 1 and type(fn) is functools.partial and fn.func is _process_chunk
                task = _submitted(cond, PROCESS, args, kwargs, frame, chunk)
                fn = _child.TracedCall(fn, task)  # unpickles in the worker as fn itself, stamping `started`
        except Exception as e:
            _events.internal_error(e)
    _orig_process_work_item_init(self, future, fn, args, kwargs)


def _process_executor_class():
    return sys.modules["concurrent.futures.process"].ProcessPoolExecutor


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


def _noting_new(owner, text):
    # A __new__ that notes the class's use: unlike a wrapped __init__, it has returned before
    # __init__ can raise (Popen's FileNotFoundError), so the program's tracebacks show no tracer frame.
    def __new__(cls, *args, **kwargs):
        if enabled:
            note(text)
        return object.__new__(cls)

    owner.__new__ = __new__


def _patch_multiprocessing_pool(pool):
    if pool.Pool.__new__ is object.__new__:
        _noting_new(pool.Pool, "multiprocessing.Pool is not traced: only concurrent.futures executors are")


def _patch_subprocess(subprocess):
    if subprocess.Popen.__new__ is object.__new__:
        _noting_new(subprocess.Popen, "subprocess: programs the traced program starts are not traced")


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


def _pool_of_thread(thread):
    # A process pool's manager thread (it runs the futures' callbacks) holds a weak reference to
    # its pool; pool threads declare their pool themselves.
    try:
        reference = getattr(thread, "executor_reference", None)
        executor = reference() if callable(reference) else None
        return executor.__dict__.get("_poolscope_pool", 0) if executor is not None else 0
    except Exception:
        return 0


def install(program):
    """Turns tracing on for this process (the parent). Main thread, before the program runs."""
    global enabled, program_file
    program_file = program
    enabled = True
    _events.thread_pool_of = _pool_of_thread
    finder = _PatchOnImport()
    for name in list(finder._pending):
        module = sys.modules.get(name)
        if module is not None:
            finder._pending.pop(name)
            _apply(_PATCHES[name], module)
    # Order matters where imports are already done: _base before thread and process.
    if finder._pending:
        sys.meta_path.insert(0, finder)
