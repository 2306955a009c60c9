"""The invariant checker itself: a good trace passes, and each broken rule is caught."""

import copy
import unittest

from invariants import find_violations

GOOD = {
    "format": "poolscope-trace",
    "version": 2,
    "run": {"pools": [{"pool": 1, "kind": "process", "max_workers": 1}]},
    "lane_count": 2,
    "lanes": [{"index": 0, "name": "SpawnProcess-1", "pid": 42, "pool": 1}, {"index": 1, "name": "Thread-1"}],
    "event_count": 14,
    "events": [
        [0, "worker_spawning", 0, 0, 0, "SpawnProcess-1", 42],
        [1, "submitted", 1, -1, 0, "(1,)", 0, 9],
        [2, "submitted", 2, -1, 0, "(2,)", 0, 9],
        [3, "caller_blocked", 1, -1, 0, "result", 0, 10],
        [4, "dispatched", 1, -1, 0],
        [5, "worker_started", 0, 0, 0, "SpawnProcess-1", 42],
        [6, "started", 1, 0, 0, "", 42],
        [7, "finished", 1, 0, 0, "", 42],
        [8, "callback_started", 1, 1, 0, "noted", 0, 3],
        [9, "callback_finished", 1, 1, 0, "noted", 0, 3],
        [10, "caller_resumed", 1, -1, 0, "result", 0, 10],
        [11, "cancelled", 2, -1, 0, "cancel", 0, 11],
        [12, "cancel_failed", 1, -1, 0, "finished", 0, 12],
        [13, "worker_stopped", 0, 0, 0, "SpawnProcess-1", 42],
    ],
}


def broken(change):
    trace = copy.deepcopy(GOOD)
    change(trace)
    trace["event_count"] = len(trace["events"])
    return find_violations(trace)


def two_workers_at_once(t):
    # A second worker process of the one-worker pool runs task 2 while task 1 runs.
    t["lanes"].append({"index": 2, "name": "SpawnProcess-2", "pid": 43, "pool": 1})
    t["lane_count"] = 3
    t["events"][11] = [11, "finished", 2, 2, 0, "", 43]
    t["events"].insert(7, [6, "started", 2, 2, 0, "", 43])


def insert(index, row):
    return lambda t: t["events"].insert(index, row)


def replace(index, row):
    def change(t):
        t["events"][index] = row

    return change


class InvariantsTest(unittest.TestCase):
    def test_good_trace_passes(self):
        self.assertEqual(find_violations(GOOD), [])

    def test_each_broken_rule_is_found(self):
        cases = {
            "submitted twice": insert(3, [2, "submitted", 1, -1, 0, "(1,)"]),
            "started before it was submitted": insert(1, [0, "started", 1, 0, 0, "", 42]),
            "started twice": insert(7, [6, "started", 1, 0, 0, "", 42]),
            "after its end": insert(8, [7, "dispatched", 1, -1, 0]),
            "has no terminal event": lambda t: t["events"].pop(11),
            "ended before it was submitted": insert(0, [0, "cancelled", 3, -1, 0]),
            "cancelled while it ran": replace(7, [7, "cancelled", 1, 0, 0, "", 42]),
            "out of order": replace(2, [0, "submitted", 2, -1, 0, "(2,)", 0, 9]),
            "is not declared": replace(7, [7, "finished", 1, 5, 0]),
            "its lane's pid": replace(6, [6, "started", 1, 0, 0]),
            "without its caller_blocked": replace(10, [10, "caller_resumed", 2, -1, 0, "result", 0, 10]),
            "still blocked": lambda t: t["events"].pop(10),
            "unknown call": replace(3, [3, "caller_blocked", 1, -1, 0, "sleep", 0, 10]),
            "without its callback_started": replace(8, [8, "callback_started", 1, 1, 0, "other"]),
            "unknown kind": replace(4, [4, "strated", 1, -1, 0]),
            "no retries": replace(4, [4, "dispatched", 1, -1, 1]),
            "more than max_workers": two_workers_at_once,
            "dense": lambda t: t["lanes"][1].update(index=3),
            "ended on lane": replace(7, [7, "finished", 1, 1, 0]),
            "5 to 8 columns": replace(4, [4, "dispatched", 1]),
        }
        for expected, change in cases.items():
            with self.subTest(rule=expected):
                problems = broken(change)
                self.assertTrue(any(expected in p for p in problems), problems)

    def test_cut_off_run_may_leave_tasks_open(self):
        trace = copy.deepcopy(GOOD)
        del trace["events"][7:]
        trace["event_count"] = len(trace["events"])
        self.assertNotEqual(find_violations(trace), [])
        self.assertEqual(find_violations(trace, cut_off=True), [])


if __name__ == "__main__":
    unittest.main()
