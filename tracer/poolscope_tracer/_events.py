"""The per-process events file: DIR/events-<pid>.jsonl, one JSON value per line.

Every line is written with one os.write() on a descriptor opened with O_APPEND, so lines from
different threads never interleave, nothing waits in a buffer, and a process that leaves through
os._exit() (fork and forkserver workers do) or is killed loses nothing it stamped. A line cut short
by a kill in the middle of a write can only be the last one. PROTOCOL.md describes the lines.
"""

import codecs
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

now = time.monotonic_ns
escape = json.encoder.encode_basestring  # the C encoder: a JSON string literal, non-ASCII kept


def _replace_with_fffd(error):
    # Lone surrogates (from str() of an exception, a thread name...) cannot be UTF-8; JSON readers
    # refuse them. U+FFFD is what the C++ side writes for bytes that are not UTF-8, too. (Bytes:
    # the UTF-8 encoder takes only ASCII text back from an error handler.)
    return "\ufffd".encode("utf-8") * (error.end - error.start), error.end


codecs.register_error("poolscope.fffd", _replace_with_fffd)

# "parent": the traced program's own process; futures are traced here only.
# "worker": a process-pool worker; it stamps the calls it runs.
# "other": any other process that inherited this module (a fork, a multiprocessing.Pool worker).
role = "other"

_fd = None  # None: not opened yet; -1: disabled (no directory, or writing failed)
_open_lock = threading.Lock()
_tls = threading.local()
_lane_numbers = itertools.count(1)
_parent_main_ident = None


def _after_fork_in_child():
    # The child has one thread, a copy of the forking one; it must neither write into the parent's
    # file nor wait for a lock another parent thread held at the fork.
    global _fd, _open_lock, _tls, _lane_numbers, role
    _fd = None
    _open_lock = threading.Lock()
    _tls = threading.local()
    _lane_numbers = itertools.count(1)
    role = "other"


os.register_at_fork(after_in_child=_after_fork_in_child)


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
    """Appends one complete line (text ends with a newline). Any thread."""
    global _fd
    fd = _fd
    if fd is None:
        fd = _open()
    if fd < 0:
        return
    try:
        data = text.encode("utf-8", "poolscope.fffd")
        written = os.write(fd, data)
        while written < len(data):  # only on a full disk or a signal; keeps the file readable
            written += os.write(fd, data[written:])
    except OSError as e:
        _fd = -1
        diagnose("stopped writing events: %s" % e)
    except Exception as e:
        internal_error(e)


def write_object(obj):
    """Appends one JSON object line (a lane, a pool, metadata). Any thread."""
    write_line(json.dumps(obj, ensure_ascii=False) + "\n")


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
    global role, _parent_main_ident
    role = "parent"
    _parent_main_ident = threading.get_ident()


# --- lanes ---------------------------------------------------------------------------------------
#
# A lane key is "<pid>" for a worker process (its calls run on its main thread) and "<pid>:<n>" for a
# thread, n counting the threads of that process in the order they first record something (thread
# idents are reused once a thread ends, so they cannot name a lane). The traced program's main thread
# is the caller and has no lane: its events carry null.


def declare_lane(key, name, pid, pool=0, thread=None):
    obj = {"lane": key, "name": name, "pid": pid, "pool": pool}
    if thread is not None:
        obj["thread"] = thread
    write_object(obj)


def current_lane(pool=0):
    """This thread's lane key as JSON text ('null' for the caller), declaring the lane first if new."""
    lane = getattr(_tls, "lane", None)
    if lane is None:
        lane = _new_lane(pool)
    return lane


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
        declare_lane(key, shorten(name), pid, pool, ident)
        lane = escape(key)
    _tls.lane = lane
    return lane


def emit(kind, task, label="", line=0):
    """Stamps one event on this thread's lane. Any thread; never raises (it runs inside CPython's code)."""
    try:
        lane = getattr(_tls, "lane", None) or _new_lane(0)
        write_line('[%d,"%s",%d,%s,%s,%d]\n' % (now(), kind, task, lane, escape(label), line))
    except Exception as e:
        internal_error(e)


def emit_at(time_ns, kind, task, lane, label="", line=0, pool=None):
    """Writes one event with a given time and lane (JSON text); pool adds the 7th column. Never raises."""
    try:
        if pool is None:
            write_line('[%d,"%s",%d,%s,%s,%d]\n' % (time_ns, kind, task, lane, escape(label), line))
        else:
            write_line('[%d,"%s",%d,%s,%s,%d,%d]\n' % (time_ns, kind, task, lane, escape(label), line, pool))
    except Exception as e:
        internal_error(e)
