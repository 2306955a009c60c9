"""The command line: python3 -m poolscope_tracer [options] [--] PROGRAM.py [ARGS...]"""

import atexit
import os
import platform
import shutil
import signal
import socket
import sys
import tempfile
import time

from . import __version__, _events, _hooks, _merge, _program

USAGE = """\
usage: python3 -m poolscope_tracer [--trace OUT.json] [--events-dir DIR] [--] PROGRAM.py [ARGS...]
       python3 -m poolscope_tracer --merge DIR --trace OUT.json

Runs PROGRAM.py as `python3 PROGRAM.py ARGS...` would and records the life of every
concurrent.futures Future it creates.

options:
  --trace OUT.json   at exit, write the run as a PoolScope trace (format version 2)
  --events-dir DIR   write each process's events to DIR/events-<pid>.jsonl and keep them
                     (default: a temporary directory, removed at exit)
  --merge DIR        write the trace of the run recorded in DIR (say, after it was killed)
  -h, --help         show this help and exit
  --version          show the tracer's version and exit
"""


class UsageError(Exception):
    pass


def _usage_error(message):
    sys.stderr.write("poolscope-tracer: %s\n" % message)
    sys.stderr.write(USAGE.split("\n\n")[0] + "\n")
    return 2


def parse(argv):
    options = {"trace": None, "events_dir": None, "merge": None, "program": None, "args": []}
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg == "--":
            i += 1
            break
        if arg in ("-h", "--help"):
            options["help"] = True
            return options
        if arg == "--version":
            options["version"] = True
            return options
        name, value = arg, None
        if arg.startswith("--") and "=" in arg:
            name, value = arg.split("=", 1)
        if name in ("--trace", "--events-dir", "--merge"):
            if value is None:
                i += 1
                if i >= len(argv):
                    raise UsageError("%s needs a value" % name)
                value = argv[i]
            if not value:
                raise UsageError("%s needs a non-empty value" % name)
            options[name[2:].replace("-", "_")] = value
            i += 1
            continue
        if arg.startswith("-") and arg != "-":
            raise UsageError("unknown option %s" % arg)
        break
    rest = argv[i:]
    if options["merge"] is not None:
        if rest:
            raise UsageError("--merge takes no program")
        if options["trace"] is None:
            raise UsageError("--merge needs --trace OUT.json")
        return options
    if not rest:
        raise UsageError("no program given")
    options["program"] = rest[0]
    options["args"] = rest[1:]
    return options


class Session:
    """One traced run, in the program's own process: sets up the events, merges them at exit."""

    def __init__(self, program, path, args, source, trace_path, events_dir):
        self.program = program
        self.path = path
        self.args = args
        self.source = source
        self.trace_path = os.path.abspath(trace_path) if trace_path else None
        self.events_dir = events_dir
        self.own_dir = events_dir is None
        self.exit_code = None
        self.kill_with_sigint = False
        self.pid = os.getpid()

    def start(self):
        started_at = time.time()
        origin = _events.now()
        if self.own_dir:
            self.events_dir = tempfile.mkdtemp(prefix="poolscope-events-")
        else:
            os.makedirs(self.events_dir, exist_ok=True)
        self.events_dir = os.path.abspath(self.events_dir)
        # Children (worker processes of every start method) find the run through the environment.
        os.environ[_events.ENV_DIR] = self.events_dir
        os.environ[_events.ENV_RUN] = os.urandom(8).hex()
        os.environ[_events.ENV_ORIGIN] = str(origin)
        _events.mark_parent()
        _events.write_object(
            {
                "meta": {
                    "program": self.program,
                    "program_path": self.path,
                    "arguments": self.args,
                    "python_version": platform.python_version(),
                    "python": sys.executable,
                    "host": socket.gethostname(),
                    "started_at": _merge.iso_utc(started_at),
                    "started_at_s": started_at,
                    "tracer": __version__,
                    "source": _program.source_text(self.source),
                }
            }
        )
        _hooks.install(self.path)
        # Registered before the program can register anything, so it runs last: after the
        # program's own handlers and after the pools' threads and processes were joined.
        atexit.register(self.finish)
        # Stop (the window's) and --timeout end the program with SIGTERM, which skips atexit: the
        # events still queued would be lost. Unless the program set a handler of its own, write
        # them first, then die of the signal as it would have.
        global _traced_pid
        _traced_pid = os.getpid()
        try:
            if signal.getsignal(signal.SIGTERM) == signal.SIG_DFL:
                signal.signal(signal.SIGTERM, _terminated)
        except (ValueError, OSError):  # not the main thread, or no such signal here
            pass

    def finish(self):
        if os.getpid() != self.pid:
            return  # an os.fork() child of the program that left through sys.exit()
        _events.write_object({"exit": {"exit_code": self.exit_code, "time_ns": _events.now()}})
        _events.stop_buffering()
        if self.trace_path:
            try:
                files = _merge.read_dir(self.events_dir, os.environ.get(_events.ENV_RUN))
                _merge.write_trace(_merge.merge(files), self.trace_path)
            except Exception as e:
                _events.diagnose("cannot write the trace %s: %s: %s" % (self.trace_path, type(e).__name__, e))
        if self.own_dir:
            shutil.rmtree(self.events_dir, ignore_errors=True)
        if self.kill_with_sigint:
            # CPython leaves through SIGINT after an unhandled KeyboardInterrupt, so that the shell
            # sees the interrupt; it flushes first.
            for stream in (sys.stdout, sys.stderr):
                try:
                    stream.flush()
                except Exception:
                    pass
            signal.signal(signal.SIGINT, signal.SIG_DFL)
            os.kill(os.getpid(), signal.SIGINT)


_traced_pid = None  # the program's own process: its fork children inherit the handler, not the job


def _terminated(signum, frame):
    try:
        # Only the program's own process writes: a fork child (a multiprocessing.Pool worker that
        # terminate() ends) dies at once, as it did before the tracer was there.
        if os.getpid() == _traced_pid:
            _events.flush_within(0.5)
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        os.kill(os.getpid(), signal.SIGTERM)


def _merge_only(options):
    directory = options["merge"]
    try:
        files = _merge.read_dir(directory)
        if not files:
            sys.stderr.write("poolscope-tracer: no events files of a run in %s\n" % directory)
            return 1
        _merge.write_trace(_merge.merge(files), options["trace"])
    except OSError as e:
        sys.stderr.write("poolscope-tracer: %s\n" % e)
        return 1
    return 0


def main(argv=None):
    """Runs the program; returns its exit status, or raises its SystemExit unchanged."""
    argv = sys.argv[1:] if argv is None else argv
    try:
        options = parse(argv)
    except UsageError as e:
        return _usage_error(str(e))
    if options.get("help"):
        sys.stdout.write(USAGE)
        return 0
    if options.get("version"):
        sys.stdout.write("poolscope-tracer %s\n" % __version__)
        return 0
    if options["merge"] is not None:
        return _merge_only(options)

    program = options["program"]
    path = os.path.abspath(program)
    try:
        if os.path.isdir(path):
            raise IsADirectoryError(21, "Is a directory")
        source = _program.read_source(path)
    except OSError as e:
        # As CPython words it ("python3: can't open file '/x.py': [Errno 2] No such file...").
        return _usage_error("can't open file %r: [Errno %d] %s" % (path, e.errno or 0, e.strerror))

    session = Session(program, path, options["args"], source, options["trace"], options["events_dir"])
    try:
        session.start()
    except OSError as e:
        return _usage_error("cannot record events: %s" % e)

    failure = None
    try:
        _program.run(path, source, [program] + options["args"])
    except SystemExit as e:
        session.exit_code = _program.exit_status(e)
        raise
    except BaseException as e:
        failure = e
    if failure is None:
        session.exit_code = 0
        return 0
    _program.report_uncaught(failure)
    if isinstance(failure, KeyboardInterrupt):
        session.exit_code = -int(signal.SIGINT)
        session.kill_with_sigint = True
    else:
        session.exit_code = 1
    failure = None
    return 1
