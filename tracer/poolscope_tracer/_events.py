"""The per-process events file: DIR/events-<pid>.jsonl, one JSON value per line.

Lines are whole: each os.write() on the O_APPEND descriptor carries complete lines only, so a kill
can cut at most the last line short, and lines of different threads never mix.

In the traced program's process, where events come fastest, emit() only queues them: a small
flusher thread (a raw _thread, so the program's threading.enumerate() never shows it; it stamps no
events, so it is no lane) formats and writes what is queued every FLUSH_INTERVAL, and leaves when
nothing came for a while. Before a fork and at exit the queue is written at once. So an event is on
disk within a few milliseconds, and what a kill takes is at most those last milliseconds.
Worker processes write each event at once: they have few, and leave through os._exit().
PROTOCOL.md describes the lines.
"""

import _thread
import codecs
import collections
import itertools
import json
import os
import platform
import sys
import threading
import time

ENV_DIR = "POOLSCOPE_TRACE_DIR"
ENV_RUN = "POOLSCOPE_TRACE_RUN"
ENV_ORIGIN = "POOLSCOPE_TRACE_ORIGIN"
EVENTS_VERSION = 1
FLUSH_INTERVAL = 0.003  # seconds between the flusher's writes
FLUSHER_IDLE_ROUNDS = 200  # the flusher leaves after this many intervals with nothing to write

now = time.monotonic_ns
escape = json.encoder.encode_basestring  # the C encoder: a JSON string literal, non-ASCII kept


def _replace_with_fffd(error):
    # Lone surrogates (from str() of an exception, a thread name...) cannot be UTF-8; JSON readers
    # refuse them. U+FFFD is what the C++ side writes for bytes that are not UTF-8, too. (Bytes:
    # the UTF-8 encoder takes only ASCII text back from an error handler.)
    return "\ufffd".encode("utf-8") * (error.end - error.start), error.end


FFFD = "poolscope.fffd"  # the error handler that writes U+FFFD for what cannot be UTF-8
codecs.register_error(FFFD, _replace_with_fffd)

# "parent": the traced program's own process; futures are traced here only.
# "worker": a process-pool worker; it stamps the calls it runs.
# "other": any other process that inherited this module (a fork, a multiprocessing.Pool worker).
role = "other"

_fd = None  # None: not opened yet; -1: disabled (no directory, or writing failed)
_open_lock = threading.Lock()
_flush_lock = threading.Lock()
_tls = threading.local()
_lane_numbers = itertools.count(1)
_parent_main_ident = None
_buffered = False  # the parent queues its events for the flusher; every other process writes at once
_queue = collections.deque()
_enqueue = _queue.append
_flusher_alive = False
_flusher_start_lock = threading.Lock()
_flusher_gone = _thread.allocate_lock()  # held while a flusher thread runs
_sleep = time.sleep


def _before_fork():
    # Written out before the fork, and the flush lock held across it, so the child's copy of the
    # lock is never one the flusher held.
    _flush_lock.acquire()
    try:
        _write_queued()
    except Exception:
        pass


def _after_fork_in_parent():
    _flush_lock.release()


def _after_fork_in_child():
    # The child has one thread, a copy of the forking one; it must neither write into the parent's
    # file nor wait for a lock another parent thread held at the fork.
    global _fd, _open_lock, _flush_lock, _tls, _lane_numbers, role, _buffered, _queue, _enqueue
    global _flusher_alive, _flusher_start_lock, _flusher_gone
    _fd = None
    _open_lock = threading.Lock()
    _flush_lock = threading.Lock()
    _tls = threading.local()
    _lane_numbers = itertools.count(1)
    role = "other"
    _buffered = False
    _queue = collections.deque()
    _enqueue = _queue.append
    _flusher_alive = False
    _flusher_start_lock = threading.Lock()
    _flusher_gone = _thread.allocate_lock()


os.register_at_fork(before=_before_fork, after_in_parent=_after_fork_in_parent, after_in_child=_after_fork_in_child)


def _process_name():
    mp_process = sys.modules.get("multiprocessing.process")
    if mp_process is None:
        return "MainProcess"
    try:
        return mp_process.current_process().name
    except Exception:
        return "MainProcess"


def _create_file(directory, run):
    pid = os.getpid()
    flags = os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_EXCL
    for n in itertools.count():
        name = "events-%d.jsonl" % pid if n == 0 else "events-%d-%d.jsonl" % (pid, n)
        path = os.path.join(directory, name)
        try:
            return os.open(path, flags, 0o644)
        except FileExistsError:
            # Left by an earlier run in the same directory: replace it. From this run: a process
            # whose pid was reused; keep both.
            if _header_run(path) != run:
                try:
                    os.unlink(path)
                    return os.open(path, flags, 0o644)
                except OSError:
                    pass


def _header_run(path):
    try:
        with open(path, "rb") as f:
            return json.loads(f.readline()).get("run")
    except Exception:
        return None


def _open():
    global _fd
    with _open_lock:
        if _fd is not None:
            return _fd
        directory = os.environ.get(ENV_DIR)
        run = os.environ.get(ENV_RUN, "")
        if not directory:
            _fd = -1
            return _fd
        try:
            fd = _create_file(directory, run)
            header = {
                "poolscope_events": EVENTS_VERSION,
                "run": run,
                "pid": os.getpid(),
                "ppid": os.getppid(),
                "process": _process_name(),
                "role": role,
                "python": platform.python_version(),
                "clock": "monotonic_ns",
                "origin_ns": int(os.environ.get(ENV_ORIGIN, "0") or 0),
            }
            os.write(fd, (json.dumps(header) + "\n").encode())
            _fd = fd
        except (OSError, ValueError) as e:
            diagnose("cannot write events to %s: %s" % (directory, e))
            _fd = -1
        return _fd


def write_line(text):
    """Appends one complete line (text ends with a newline) at once. Any thread."""
    global _fd
    fd = _fd
    if fd is None:
        fd = _open()
    if fd < 0:
        return
    try:
        data = text.encode("utf-8", FFFD)
        written = os.write(fd, data)
        while written < len(data):  # only on a full disk or a signal; keeps the file readable
            written += os.write(fd, data[written:])
    except OSError as e:
        _fd = -1
        diagnose("stopped writing events: %s" % e)
    except Exception as e:
        internal_error(e)


def write_object(obj):
    """Appends one JSON object line (a lane, a pool, metadata), in order with the events. Any thread."""
    text = json.dumps(obj, ensure_ascii=False) + "\n"
    if _buffered:
        _enqueue(text)
        if not _flusher_alive:
            _start_flusher()
    else:
        write_line(text)


_FORMAT = '[%d,"%s",%d,%s,%s,%d]\n'


def _format(e):
    # e: (time, kind, task, lane as JSON text, label, line)
    return _FORMAT % (e[0], e[1], e[2], e[3], escape(e[4]), e[5])


def _write_queued():
    # Caller holds _flush_lock.
    pop = _queue.popleft
    items = []
    try:
        while True:
            items.append(pop())
    except IndexError:
        pass
    if items:
        fmt = _FORMAT
        esc = escape
        # Objects come queued as text, events as tuples (formatted here, off the program's threads).
        write_line("".join([i if i.__class__ is str else fmt % (i[0], i[1], i[2], i[3], esc(i[4]), i[5]) for i in items]))


def flush():
    """Writes what is queued, now. Any thread."""
    with _flush_lock:
        _write_queued()


def flush_within(seconds):
    """flush(), waiting at most `seconds` for a flush under way: a signal handler may have
    interrupted this very thread inside one, which would never end."""
    if _flush_lock.acquire(True, seconds):
        try:
            _write_queued()
        finally:
            _flush_lock.release()


def _start_flusher():
    global _flusher_alive, _buffered
    with _flusher_start_lock:
        if _flusher_alive or not _buffered:
            return
        # A flusher that left releases this as its very last act: wait for that (microseconds),
        # so that at most one runs and stop_buffering() can tell when none does.
        _flusher_gone.acquire()
        _flusher_alive = True
        try:
            _thread.start_new_thread(_flusher, ())
            return
        except Exception as e:  # no threads to be had: write as they come
            _flusher_alive = False
            _flusher_gone.release()
            _buffered = False
            internal_error(e)
    flush()


def stop_buffering():
    """From now on every event is written at once; waits for the flusher to leave and writes what
    is queued. At exit, before the interpreter finalizes: a thread that asks for the interpreter
    lock while it finalizes can hang it (CPython 3.9 does)."""
    global _buffered
    with _flusher_start_lock:
        _buffered = False
    _flusher_gone.acquire()
    _flusher_gone.release()
    flush()


def _flusher():
    # The flusher thread. Never calls into threading (that would register it as a thread).
    global _flusher_alive
    try:
        idle = 0
        while _buffered:
            _sleep(FLUSH_INTERVAL)
            if _queue:
                idle = 0
                try:
                    flush()
                except Exception as e:
                    internal_error(e)
                continue
            idle += 1
            if idle >= FLUSHER_IDLE_ROUNDS:
                with _flusher_start_lock:
                    # Under the start lock: a producer either queued before (and stays queued for
                    # this flusher) or sees it gone and starts the next.
                    if not _queue:
                        _flusher_alive = False
                        return
                idle = 0
        _flusher_alive = False
    finally:
        _flusher_gone.release()


_internal_errors = set()


def internal_error(exc):
    """A hook failed (a bug, or a CPython it does not know): say so once per kind, carry on."""
    key = (type(exc).__name__, str(exc))
    if key not in _internal_errors:
        _internal_errors.add(key)
        diagnose("internal error, some events are missing: %s: %s" % key)


def diagnose(message):
    """The tracer's own complaints: stderr, prefixed, and only for real problems."""
    try:
        sys.stderr.write("poolscope-tracer: %s\n" % message)
        sys.stderr.flush()
    except Exception:
        pass


def shorten(text):
    """Text that can be written as UTF-8 JSON, at most ~200 characters."""
    if len(text) > 200:
        text = text[:199] + "\u2026"
    return text


def mark_parent():
    """Called once in the traced program's process, on its main thread, before the program runs."""
    global role, _parent_main_ident, _buffered
    role = "parent"
    _parent_main_ident = threading.get_ident()
    _buffered = True
    os._exit = _exit_after_flushing


_os_exit = os._exit


def _exit_after_flushing(status):
    # os._exit() skips atexit: what is queued goes out first. (Fork children of the program call
    # this too, with nothing queued.)
    try:
        flush()
    except BaseException:
        pass
    _os_exit(status)


# --- lanes ---------------------------------------------------------------------------------------
#
# A lane key is "<pid>" for a worker process (its calls run on its main thread) and "<pid>:<n>" for a
# thread, n counting the threads of that process in the order they first record something (thread
# idents are reused once a thread ends, so they cannot name a lane). The traced program's main thread
# is the caller and has no lane: its events carry null.


thread_pool_of = None  # set by the hooks: thread -> the pool it serves (0: none), for its lane


def declare_lane(key, name, pid, pool=0, thread=None):
    obj = {"lane": key, "name": name, "pid": pid, "pool": pool}
    if thread is not None:
        obj["thread"] = thread
    write_object(obj)


def current_lane(pool=0):
    """This thread's lane key as JSON text ('null' for the caller), declaring the lane first if new."""
    try:
        return _tls.lane
    except AttributeError:
        return _new_lane(pool)


def _new_lane(pool):
    ident = threading.get_ident()
    if role == "parent" and ident == _parent_main_ident:
        lane = "null"
    else:
        pid = os.getpid()
        thread = threading.current_thread()
        if role == "worker" and thread is threading.main_thread():
            key = str(pid)
            name = _process_name()
        else:
            key = "%d:%d" % (pid, next(_lane_numbers))
            name = thread.name
            if not pool and thread_pool_of is not None:
                pool = thread_pool_of(thread)
        declare_lane(key, shorten(name), pid, pool, ident)
        lane = escape(key)
    _tls.lane = lane
    return lane


def emit(kind, task, label="", line=0):
    """Stamps one event now, on this thread's lane. Any thread; never raises (it runs inside
    CPython's code). label must be a str, line an int."""
    try:
        try:
            lane = _tls.lane
        except AttributeError:
            lane = _new_lane(0)
        if _buffered:
            _enqueue((now(), kind, task, lane, label, line))
            if not _flusher_alive:
                _start_flusher()
        else:
            write_line(_format((now(), kind, task, lane, label, line)))
    except Exception as e:
        internal_error(e)


def emit_at(time_ns, kind, task, lane, label="", line=0):
    """One event with a given time and lane (JSON text). Never raises."""
    try:
        e = (time_ns, kind, task, lane, label, line)
        if _buffered:
            _enqueue(e)
            if not _flusher_alive:
                _start_flusher()
        else:
            write_line(_format(e))
    except Exception as e:
        internal_error(e)
