"""Runs the program as `python3 PROGRAM.py ARGS...` would, in this process, as __main__.

Not runpy.run_path: that puts the previous __main__ back when the program's code returns, while the
program's threads (a process pool's queue feeder pickling `__main__.fn`) and atexit handlers still
need the program's module there.
"""

import builtins
import os
import sys
import types
from importlib.machinery import SourceFileLoader

_TRACER_DIR = os.path.dirname(os.path.abspath(__file__)) + os.sep
_PACKAGE_PARENT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def read_source(path):
    with open(path, "rb") as f:
        return f.read()


def source_text(source):
    """The program's text for the trace, decoded as Python decodes it (PEP 263)."""
    import io
    import tokenize

    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(source).readline)
    except SyntaxError:
        encoding = "utf-8"
    try:
        return source.decode(encoding, "replace")
    except LookupError:
        return source.decode("utf-8", "replace")


def run(path, source, argv):
    """Executes the program. `path` is absolute; exceptions propagate as the program raised them."""
    main = types.ModuleType("__main__")
    main.__file__ = path
    main.__cached__ = None
    main.__loader__ = SourceFileLoader("__main__", path)
    main.__spec__ = None
    main.__package__ = None
    main.__builtins__ = builtins
    main.__annotations__ = {}  # as CPython's __main__ has, 3.9 to 3.13
    sys.modules["__main__"] = main
    sys.argv = list(argv)
    if not getattr(sys.flags, "safe_path", False):
        # As CPython sets it for a script: the directory of the script, symlinks resolved. It takes
        # the place of the tracer's own first entry.
        directory = os.path.dirname(os.path.realpath(path))
        if sys.path:
            sys.path[0] = directory
        else:
            sys.path.insert(0, directory)
    # Spawned workers unpickle the tracer's wrappers: they need this package on the sys.path they
    # get from this process. Last, so it shadows nothing of the program's.
    if _PACKAGE_PARENT not in sys.path:
        sys.path.append(_PACKAGE_PARENT)
    code = compile(source, path, "exec", dont_inherit=True)
    exec(code, main.__dict__)


def exit_status(exc):
    """The exit status CPython gives for this SystemExit (printing a non-integer code is Python's)."""
    code = exc.code
    if code is None:
        return 0
    if isinstance(code, int):
        return code & 0xFF
    return 1


def _is_tracer(frame):
    return frame.f_code.co_filename.startswith(_TRACER_DIR)


def _strip(exc, seen):
    # The tracer's frames out of the traceback: the ones that ran the program, and any hook the
    # exception passed through.
    if exc is None or id(exc) in seen:
        return
    seen.add(id(exc))
    tb = exc.__traceback__
    while tb is not None and _is_tracer(tb.tb_frame):
        tb = tb.tb_next
    entry = tb
    while entry is not None and entry.tb_next is not None:
        if _is_tracer(entry.tb_next.tb_frame):
            entry.tb_next = entry.tb_next.tb_next
        else:
            entry = entry.tb_next
    exc.__traceback__ = tb
    _strip(exc.__cause__, seen)
    _strip(exc.__context__, seen)
    for inner in getattr(exc, "exceptions", None) or ():
        if isinstance(inner, BaseException):
            _strip(inner, seen)


def report_uncaught(exc):
    """Prints an exception that left the program, as CPython's PyErr_Print does."""
    _strip(exc, set())
    exc_type, tb = type(exc), exc.__traceback__
    sys.last_type, sys.last_value, sys.last_traceback = exc_type, exc, tb
    if sys.version_info >= (3, 12):
        sys.last_exc = exc
    hook = sys.excepthook
    try:
        hook(exc_type, exc, tb)
    except BaseException as hook_error:
        # CPython's words for a failing excepthook.
        sys.stderr.write("Error in sys.excepthook:\n")
        _strip(hook_error, set())
        sys.__excepthook__(type(hook_error), hook_error, hook_error.__traceback__)
        sys.stderr.write("\nOriginal exception was:\n")
        sys.__excepthook__(exc_type, exc, tb)
    try:
        sys.stderr.flush()
    except Exception:
        pass
