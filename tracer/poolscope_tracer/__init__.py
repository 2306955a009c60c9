"""PoolScope's tracer for CPython programs that use concurrent.futures.

Run a program under it with ``python3 -m poolscope_tracer [--trace OUT.json] [--events-dir DIR] PROGRAM.py``.
PROTOCOL.md (next to this package) describes the files it writes.

Importing the package does nothing but define names: worker processes import it (to unpickle the
tracer's small wrappers) and must not get the parent's hooks that way.
"""

__version__ = "1.0"
