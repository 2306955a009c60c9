"""Merges a run's events files into one PoolScope native trace, format version 2 (PROTOCOL.md)."""

import json
import os
import time

from . import _events

TRACE_FORMAT = "poolscope-trace"
TRACE_VERSION = 2

# Kinds the trace carries; the events files also have result_set / exception_set (below).
TRACE_KINDS = frozenset(
    (
        "submitted",
        "started",
        "finished",
        "failed",
        "cancelled",
        "worker_started",
        "worker_stopped",
        "caller_blocked",
        "caller_resumed",
        "dispatched",
        "worker_spawning",
        "cancel_failed",
        "callback_started",
        "callback_finished",
    )
)


class EventsFile:
    """One process's events file, parsed. `problems` says what was skipped, with line numbers."""

    def __init__(self, path):
        self.path = path
        self.header = None
        self.lanes = []
        self.pools = []
        self.meta = {}
        self.exit = None
        self.warnings = []
        self.events = []
        self.problems = []
        self._read()

    def _line(self, number, raw):
        try:
            return json.loads(raw.decode("utf-8", "replace"))
        except ValueError:
            self.problems.append("%s:%d: not JSON, skipped" % (self.path, number))
            return None

    def _read(self):
        with open(self.path, "rb") as f:
            data = f.read()
        lines = data.split(b"\n")
        # Everything up to the last newline is whole lines; after it, at most a line a killed
        # process did not finish, which is ignored.
        if lines and lines[-1] != b"":
            self.problems.append("%s: ignored an unfinished last line" % self.path)
        lines = lines[:-1]
        try:
            # All lines at once: one call into the C decoder, for files of a million events.
            values = json.loads(b"[" + b",".join(lines) + b"]")
        except ValueError:
            values = [self._line(number, raw) for number, raw in enumerate(lines, 1)]
        append = self.events.append
        for number, value in enumerate(values, 1):
            if value is None:
                continue
            if number == 1:
                if not isinstance(value, dict) or "poolscope_events" not in value:
                    self.problems.append("%s: no header line" % self.path)
                    return
                self.header = value
            elif value.__class__ is list:
                if len(value) >= 6 and value[0].__class__ is int and value[1].__class__ is str:
                    append(value)
                else:
                    self.problems.append("%s:%d: malformed event, skipped" % (self.path, number))
            elif isinstance(value, dict):
                if "lane" in value:
                    self.lanes.append(value)
                elif "pool" in value:
                    self.pools.append(value)
                elif "meta" in value:
                    self.meta.update(value["meta"])
                elif "exit" in value:
                    self.exit = value["exit"]
                elif "warning" in value:
                    self.warnings.append(value["warning"])


def read_dir(directory, run=None):
    """The events files of one run in `directory` (the parent's run when `run` is None), parent first."""
    files = []
    for name in sorted(os.listdir(directory)):
        if name.startswith("events-") and name.endswith(".jsonl"):
            try:
                files.append(EventsFile(os.path.join(directory, name)))
            except OSError:
                continue
    files = [f for f in files if f.header is not None]
    if run is None:
        parents = [f for f in files if f.header.get("role") == "parent"]
        if parents:
            run = parents[0].header.get("run")
    files = [f for f in files if f.header.get("run") == run]
    files.sort(key=lambda f: (f.header.get("role") != "parent", f.path))
    return files


def merge(files):
    """The trace (a dict, as save_trace would write it) from a run's parsed events files."""
    parent = next((f for f in files if f.header.get("role") == "parent"), None)
    origin = int((parent or files[0]).header.get("origin_ns", 0)) if files else 0
    meta = dict(parent.meta) if parent else {}
    exit_info = parent.exit if parent else None

    lanes = {}  # key -> declaration (the first one: a worker's lane is declared by parent and child)
    pools = {}
    warnings = []
    rows = []  # (time, sequence, kind, task, lane key, label, line, file role)
    sequence = 0
    for f in files:
        role = f.header.get("role")
        for lane in f.lanes:
            lanes.setdefault(lane.get("lane"), lane)
        for pool in f.pools:
            pools.setdefault(pool.get("pool"), pool)
        warnings.extend(w for w in f.warnings if w not in warnings)
        for e in f.events:
            rows.append((e[0], sequence, e[1], e[2], e[3], e[4], e[5], role))
            sequence += 1
    rows.sort()  # by time, then sequence (unique): stable for ties

    # A process-pool call's end: the worker stamps it on its lane (finished/failed, when the call
    # returned); the parent later learns of it (result_set/exception_set). The worker's stamp is the
    # terminal event, so the started -> end span on the lane is what ran there; the parent's view
    # gives the future's outcome (they differ if, say, the result could not be pickled back). With
    # no stamp from the worker (it was killed), the parent's view is the end, on the lane the call
    # started on.
    parent_end = {}
    worker_end = set()
    started_lane = {}
    for r in rows:
        kind = r[2]
        if kind in ("result_set", "exception_set"):
            parent_end.setdefault(r[3], r)
        elif kind in ("finished", "failed") and r[7] == "worker":
            worker_end.add(r[3])
        elif kind == "started":
            started_lane.setdefault(r[3], r[4])

    events = []
    for r in rows:
        time_ns, _, kind, task, lane, label, line, role = r
        if kind in ("result_set", "exception_set"):
            if task in worker_end:
                continue
            kind = "finished" if kind == "result_set" else "failed"
            lane = started_lane.get(task)
        elif kind in ("finished", "failed") and role == "worker":
            outcome = parent_end.get(task)
            if outcome is not None:
                kind = "finished" if outcome[2] == "result_set" else "failed"
                label = outcome[5]
        elif kind == "dispatched":
            lane = None  # stamped on the manager thread; the call has no lane until it starts
        elif kind not in TRACE_KINDS:
            continue
        events.append([max(0, time_ns - origin), kind, task, lane, label, line])

    # Lanes: dense, in the order of their first event.
    index = {}
    lane_list = []
    for e in events:
        key = e[3]
        if key is None:
            e[3] = -1
            continue
        if key not in index:
            index[key] = len(lane_list)
            declared = lanes.get(key, {})
            lane = {"index": len(lane_list), "name": declared.get("name", key)}
            if ":" not in key:  # a worker process
                lane["pid"] = int(declared.get("pid", 0) or 0)
            if declared.get("pool"):
                lane["pool"] = declared["pool"]
            lane_list.append(lane)
        e[3] = index[key]

    rows_out = []
    for time_ns, kind, task, worker, label, line in events:
        pid = lane_list[worker].get("pid", 0) if worker >= 0 else 0
        # Trailing columns that hold their default are left off: line 0, then pid 0, then label "".
        row = [time_ns, kind, task, worker, 0]
        if label or pid or line:
            row.append(label or "")
        if pid or line:
            row.append(pid)
        if line:
            row.append(line)
        rows_out.append(row)

    # The pools: those the program submitted work to (a pool is declared with its first task).
    kinds = {p.get("kind") for p in pools.values()}
    pool_kind = "+".join(k for k in ("thread", "process") if k in kinds)
    max_workers = max([int(p.get("max_workers", 0) or 0) for p in pools.values()] or [0])
    end_ns = int(exit_info.get("time_ns", 0)) if exit_info else 0
    last = rows_out[-1][0] if rows_out else 0
    wall = max(last, end_ns - origin if end_ns else 0)

    program = meta.get("program", "")
    run = {
        "scenario": "",
        "title": os.path.basename(program),
        "parameters": [],
        "pool_kind": pool_kind,
        "max_workers": max_workers,
        "host": meta.get("host", ""),
        "started_at": meta.get("started_at", ""),
        "wall_time_ns": max(0, wall),
        "output": "",
        "origin": "cpython",
        "python_version": meta.get("python_version", ""),
        "program": program,
        "arguments": list(meta.get("arguments", [])),
    }
    if exit_info is not None and isinstance(exit_info.get("exit_code"), int):
        run["exit_code"] = exit_info["exit_code"]
    run["source"] = meta.get("source", "")
    run["pools"] = [pools[p] for p in sorted(pools, key=lambda p: (not isinstance(p, int), p))]
    problems = [p for f in files for p in f.problems]
    if parent is None:
        problems.append("no events file from the traced program's own process")
    if exit_info is None:
        problems.append("the run did not end normally (killed, or os._exit): the trace may be cut short")
    run["warnings"] = warnings + problems
    return {
        "format": TRACE_FORMAT,
        "version": TRACE_VERSION,
        "run": run,
        "lane_count": len(lane_list),
        "lanes": lane_list,
        "event_count": len(rows_out),
        "events": rows_out,
    }


def trace_text(trace):
    """The trace as JSON text, one lane and one event per line (so it diffs and greps well)."""

    def dump(value):
        return json.dumps(value, ensure_ascii=False, separators=(", ", ": "))

    out = ["{"]
    out.append('  "format": %s,' % dump(trace["format"]))
    out.append('  "version": %d,' % trace["version"])
    out.append('  "run": %s,' % dump(trace["run"]))
    out.append('  "lane_count": %d,' % trace["lane_count"])
    out.append('  "lanes": [%s],' % _rows(trace["lanes"], dump))
    out.append('  "event_count": %d,' % trace["event_count"])
    out.append('  "events": [%s]' % _rows(trace["events"], _event_text))
    out.append("}")
    return "\n".join(out) + "\n"


_escape = json.encoder.encode_basestring


def _event_text(row):
    # As json.dumps would write the row, only faster: a trace can have millions.
    text = '[%d, "%s", %d, %d, %d' % (row[0], row[1], row[2], row[3], row[4])
    if len(row) > 5:
        text += ", " + _escape(row[5]) + "".join([", %d" % v for v in row[6:]])
    return text + "]"


def _rows(items, dump):
    if not items:
        return ""
    return "\n    " + ",\n    ".join(dump(i) for i in items) + "\n  "


def write_trace(trace, path):
    """Writes atomically: a reader never sees half a trace."""
    data = trace_text(trace).encode("utf-8", _events.FFFD)
    directory = os.path.dirname(os.path.abspath(path))
    temporary = os.path.join(directory, ".%s.%d.tmp" % (os.path.basename(path), os.getpid()))
    with open(temporary, "wb") as f:
        f.write(data)
    os.replace(temporary, path)


def iso_utc(seconds):
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(seconds))
