"""The rules every PoolScope trace obeys, checked on a merged CPython trace (a loaded JSON dict).

A port of core/src/event_invariants.cpp (find_invariant_violations) plus what the tracer's traces
add: per-pool max_workers, lanes that run one call at a time, paired caller blocks and callbacks,
and events that may follow a task's end (its done-callbacks, a cancel() that failed).
"""

TERMINAL = ("finished", "failed", "cancelled")
AFTER_END_ALLOWED = ("callback_started", "callback_finished", "cancel_failed")
KINDS = frozenset(
    TERMINAL
    + AFTER_END_ALLOWED
    + (
        "submitted",
        "started",
        "retried",
        "worker_started",
        "worker_stopped",
        "caller_blocked",
        "caller_resumed",
        "dispatched",
        "worker_spawning",
    )
)
BLOCK_CALLS = ("result", "exception", "wait", "as_completed", "map", "shutdown", "__exit__")


class _Task:
    __slots__ = ("submitted", "dispatched", "started", "ended", "worker", "pool")

    def __init__(self):
        self.submitted = self.dispatched = self.started = self.ended = False
        self.worker = -1
        self.pool = 0


def find_violations(trace, cut_off=False, max_problems=50):
    """A list of messages, empty when the trace keeps every rule. cut_off: the run was killed."""
    problems = []

    def complain(text):
        if len(problems) < max_problems:
            problems.append(text)

    lanes = trace.get("lanes", [])
    events = trace.get("events", [])
    if trace.get("lane_count") != len(lanes):
        complain("lane_count %r is not the number of lanes (%d)" % (trace.get("lane_count"), len(lanes)))
    if trace.get("event_count") != len(events):
        complain("event_count %r is not the number of events (%d)" % (trace.get("event_count"), len(events)))
    if sorted(lane.get("index") for lane in lanes) != list(range(len(lanes))):
        complain("lane indices are not dense 0..%d" % (len(lanes) - 1))
    lane_pool = {lane.get("index"): lane.get("pool", 0) for lane in lanes}
    lane_pid = {lane.get("index"): lane.get("pid", 0) for lane in lanes}
    max_workers = {p["pool"]: p.get("max_workers", 0) for p in trace.get("run", {}).get("pools", [])}

    tasks = {}
    lane_task = {}  # worker -> the task it runs now
    running = {}  # pool -> calls running now
    most = {}  # pool -> most calls running at once
    blocks = {}  # worker -> the open caller block's (task, call)
    callbacks = {}  # worker -> stack of open callbacks (task, name)
    last = None
    for i, row in enumerate(events):
        where = "events[%d]" % i
        if not isinstance(row, list) or not 5 <= len(row) <= 8:
            complain("%s: a row has 5 to 8 columns" % where)
            continue
        time_ns, kind, task, worker, attempt = row[:5]
        label = row[5] if len(row) > 5 else ""
        pid = row[6] if len(row) > 6 else 0
        if len(row) > 5 and not isinstance(label, str):
            complain("%s.label is not a string" % where)
        if len(row) == 8 and (not isinstance(row[7], int) or row[7] < 0):
            complain("%s.line is not an integer >= 0" % where)
        if kind not in KINDS:
            complain("%s.kind: unknown kind %r" % (where, kind))
            continue
        if not isinstance(time_ns, int) or time_ns < 0:
            complain("%s.time: not an integer >= 0" % where)
        elif last is not None and time_ns < last:
            complain("%s.time: out of order (%d before %d)" % (where, time_ns, last))
        else:
            last = time_ns
        if not isinstance(worker, int) or worker < -1 or worker >= len(lanes):
            complain("%s.worker: lane %r is not declared" % (where, worker))
            continue
        if attempt != 0:
            complain("%s.attempt: CPython traces have no retries, got %r" % (where, attempt))
        if worker >= 0 and lane_pid.get(worker, 0) != pid:
            complain("%s.pid: %r, but its lane's pid is %r" % (where, pid, lane_pid.get(worker, 0)))

        if kind in ("caller_blocked", "caller_resumed"):
            if kind == "caller_resumed" and label == "deadline" and worker in blocks:
                label = blocks[worker][1]  # the wait ran out of time: it ends the block all the same
            if label not in BLOCK_CALLS:
                complain("%s: %s in an unknown call %r" % (where, kind, label))
            if kind == "caller_blocked":
                if worker in blocks:
                    complain("%s: lane %d blocks again inside %r" % (where, worker, blocks[worker]))
                blocks[worker] = (task, label)
            else:
                if blocks.get(worker) != (task, label):
                    complain("%s: caller_resumed %r without its caller_blocked" % (where, (task, label)))
                blocks.pop(worker, None)
            continue
        if kind in ("callback_started", "callback_finished"):
            stack = callbacks.setdefault(worker, [])
            if kind == "callback_started":
                stack.append((task, label))
            elif not stack or stack[-1] != (task, label):
                complain("%s: callback_finished %r without its callback_started" % (where, (task, label)))
            else:
                stack.pop()
        if task == 0:
            if kind not in ("worker_started", "worker_stopped", "worker_spawning"):
                complain("%s: %s without a task" % (where, kind))
            continue

        t = tasks.setdefault(task, _Task())
        name = "task %d" % task
        if kind in AFTER_END_ALLOWED:
            if not t.submitted:
                complain("%s: %s has %s before it was submitted" % (where, name, kind))
            continue
        if t.ended:
            complain("%s: %s has %s after its end" % (where, name, kind))
            continue
        if kind == "submitted":
            if t.submitted:
                complain("%s: %s was submitted twice" % (where, name))
            t.submitted = True
        elif kind == "dispatched":
            if not t.submitted or t.started or t.dispatched:
                complain("%s: %s dispatched out of order" % (where, name))
            t.dispatched = True
        elif kind == "started":
            if not t.submitted:
                complain("%s: %s started before it was submitted" % (where, name))
            if t.started:
                complain("%s: %s started twice" % (where, name))
            t.started = True
            t.worker = worker
            if worker >= 0:
                busy = lane_task.get(worker, 0)
                if busy:
                    complain("%s: lane %d started %s while running task %d" % (where, worker, name, busy))
                lane_task[worker] = task
                t.pool = lane_pool.get(worker, 0)
                running[t.pool] = running.get(t.pool, 0) + 1
                most[t.pool] = max(most.get(t.pool, 0), running[t.pool])
        elif kind in TERMINAL:
            if not t.submitted:
                complain("%s: %s ended before it was submitted" % (where, name))
            if kind == "cancelled" and t.started:
                complain("%s: %s was cancelled while it ran" % (where, name))
            t.ended = True
            if t.started and t.worker >= 0:
                if worker != t.worker:
                    complain("%s: %s ended on lane %d, started on lane %d" % (where, name, worker, t.worker))
                lane_task[t.worker] = 0
                running[t.pool] -= 1

    for pool, count in sorted(most.items()):
        limit = max_workers.get(pool, 0)
        if pool and limit and count > limit:
            complain("pool %d ran %d calls at once, more than max_workers (%d)" % (pool, count, limit))
    if not cut_off:
        for task, t in sorted(tasks.items()):
            if t.submitted and not t.ended:
                complain("task %d has no terminal event" % task)
        for worker, block in sorted(blocks.items()):
            complain("lane %d is still blocked in %r at the end" % (worker, block))
        for worker, stack in sorted(callbacks.items()):
            if stack:
                complain("lane %d is still in callback %r at the end" % (worker, stack[-1]))
    return problems
