"""Short texts for events: a call's arguments, an exception, a callback's name.

Each runs on the thread that stamps the event, so it must be cheap and must never raise: arguments
may be huge (bounded by reprlib) or have a __repr__ that fails.
"""

import reprlib

from ._events import shorten

# Arguments of these types are printed with plain repr(): fast, exact, and short enough.
_PLAIN = frozenset((int, float, bool, type(None), complex))
_SHORT_TEXT = frozenset((str, bytes))

_bounded = reprlib.Repr()
_bounded.maxlevel = 3
_bounded.maxtuple = 10
_bounded.maxlist = 10
_bounded.maxarray = 10
_bounded.maxdict = 6
_bounded.maxset = 6
_bounded.maxfrozenset = 6
_bounded.maxdeque = 6
_bounded.maxstring = 80
_bounded.maxlong = 60
_bounded.maxother = 80


def _one(value):
    t = type(value)
    if t in _PLAIN or (t in _SHORT_TEXT and len(value) <= 80):
        return repr(value)
    return _bounded.repr(value)


def call_label(args, kwargs):
    """'(2, 10)', '(1,)', '()' or '(1, key=2)', at most ~200 characters."""
    try:
        if not kwargs:
            if not args:
                return "()"
            if len(args) == 1:
                text = "(%s,)" % _one(args[0])
            else:
                text = "(%s)" % ", ".join([_one(a) for a in args])
        else:
            parts = [_one(a) for a in args]
            parts.extend("%s=%s" % (k, _one(v)) for k, v in kwargs.items())
            text = "(%s)" % ", ".join(parts)
    except Exception:
        text = "(?)"
    return shorten(text)


def chunk_label(chunk):
    """A process-pool map() chunk: its calls' argument tuples, '(500,), (1000,)'."""
    try:
        parts = []
        size = 0
        for args in chunk:
            part = call_label(args, None)
            parts.append(part)
            size += len(part) + 2
            if size > 200:
                break
        text = ", ".join(parts)
    except Exception:
        text = "(?)"
    return shorten(text)


def exception_label(exc):
    """'ValueError: Bad value: 3', or just 'ValueError' when the message is empty (as tracebacks)."""
    try:
        name = type(exc).__name__
        try:
            message = str(exc)
        except Exception:
            message = "<exception str() failed>"
        return shorten("%s: %s" % (name, message) if message else name)
    except Exception:
        return "?"


def callable_label(fn):
    """A done-callback's __qualname__, or its type's for callables without one (partial...)."""
    try:
        name = getattr(fn, "__qualname__", None)
        if not isinstance(name, str):
            inner = getattr(fn, "func", None)  # functools.partial
            inner_name = getattr(inner, "__qualname__", None)
            name = type(fn).__qualname__
            if isinstance(inner_name, str):
                name = "%s(%s)" % (name, inner_name)
        return shorten(name)
    except Exception:
        return "?"
