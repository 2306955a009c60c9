"""Merging events files into a trace, on hand-written files (PROTOCOL.md's rules, one by one)."""

import json
import os
import shutil
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from poolscope_tracer import _merge  # noqa: E402

from invariants import find_violations  # noqa: E402

ORIGIN = 1000000


def header(pid, role, run="r1"):
    return {
        "poolscope_events": 1,
        "run": run,
        "pid": pid,
        "ppid": 1,
        "process": "MainProcess" if role == "parent" else "SpawnProcess-1",
        "role": role,
        "python": "3.11.2",
        "clock": "monotonic_ns",
        "origin_ns": ORIGIN,
    }


PARENT = [
    header(100, "parent"),
    {"meta": {"program": "demo/prog.py", "arguments": ["a"], "python_version": "3.11.2", "source": "x = 1\n"}},
    {"pool": 1, "kind": "process", "name": "ProcessPoolExecutor-0", "max_workers": 1},
    [ORIGIN + 10, "submitted", 1, None, "(1,)", 7, 1],
    [ORIGIN + 11, "submitted", 2, None, "(2,)", 7, 1],
    {"lane": "200", "name": "SpawnProcess-1", "pid": 200, "pool": 1},
    [ORIGIN + 12, "worker_spawning", 0, "200", "SpawnProcess-1", 0],
    {"lane": "100:1", "name": "Thread-1", "pid": 100, "pool": 0, "thread": 5},
    [ORIGIN + 20, "dispatched", 1, "100:1", "", 0],
    [ORIGIN + 21, "dispatched", 2, "100:1", "", 0],
    [ORIGIN + 60, "result_set", 1, "100:1", "", 0],
    [ORIGIN + 61, "callback_started", 1, "100:1", "noted", 3],
    [ORIGIN + 62, "callback_finished", 1, "100:1", "noted", 3],
    [ORIGIN + 90, "exception_set", 2, "100:1", "BrokenProcessPool: gone", 0],
    {"warning": "subprocess: programs the traced program starts are not traced"},
    {"exit": {"exit_code": 0, "time_ns": ORIGIN + 100}},
]

WORKER = [
    header(200, "worker"),
    {"lane": "200", "name": "SpawnProcess-1", "pid": 200, "pool": 1, "thread": 9},
    [ORIGIN + 30, "worker_started", 0, "200", "SpawnProcess-1", 0],
    [ORIGIN + 40, "started", 1, "200", "", 0],
    [ORIGIN + 50, "finished", 1, "200", "", 0],
    [ORIGIN + 55, "started", 2, "200", "", 0],
]


class MergeTest(unittest.TestCase):
    def setUp(self):
        self.directory = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, self.directory)

    def write(self, name, lines, tail=""):
        with open(os.path.join(self.directory, name), "w") as f:
            for line in lines:
                f.write(json.dumps(line) + "\n")
            f.write(tail)

    def merged(self):
        return _merge.merge(_merge.read_dir(self.directory))

    def test_rows_lanes_and_ends(self):
        self.write("events-100.jsonl", PARENT)
        self.write("events-200.jsonl", WORKER, tail='[1000070, "finis')  # killed mid-line
        self.write("events-300.jsonl", [header(300, "parent", run="older")])  # another run's
        trace = self.merged()
        self.assertEqual(find_violations(trace), [])
        self.assertEqual(trace["version"], 2)
        self.assertEqual(
            trace["lanes"],
            [
                {"index": 0, "name": "SpawnProcess-1", "pid": 200, "pool": 1},
                {"index": 1, "name": "Thread-1"},
            ],
        )
        self.assertEqual(
            trace["events"],
            [
                [10, "submitted", 1, -1, 0, "(1,)", 0, 7],
                [11, "submitted", 2, -1, 0, "(2,)", 0, 7],
                [12, "worker_spawning", 0, 0, 0, "SpawnProcess-1", 200],
                [20, "dispatched", 1, -1, 0],
                [21, "dispatched", 2, -1, 0],
                [30, "worker_started", 0, 0, 0, "SpawnProcess-1", 200],
                [40, "started", 1, 0, 0, "", 200],
                [50, "finished", 1, 0, 0, "", 200],  # the worker's end; the parent's at 60 is gone
                [55, "started", 2, 0, 0, "", 200],
                [61, "callback_started", 1, 1, 0, "noted", 0, 3],
                [62, "callback_finished", 1, 1, 0, "noted", 0, 3],
                [90, "failed", 2, 0, 0, "BrokenProcessPool: gone", 200],  # the worker never ended it
            ],
        )
        run = trace["run"]
        self.assertEqual(run["title"], "prog.py")
        self.assertEqual(run["pool_kind"], "process")
        self.assertEqual(run["max_workers"], 1)
        self.assertEqual(run["exit_code"], 0)
        self.assertEqual(run["wall_time_ns"], 100)
        self.assertEqual(run["arguments"], ["a"])
        self.assertEqual(run["source"], "x = 1\n")
        self.assertTrue(any("unfinished last line" in w for w in run["warnings"]))
        self.assertTrue(any("subprocess" in w for w in run["warnings"]))

    def test_parent_outcome_wins_over_the_workers(self):
        parent = PARENT[:10] + [[ORIGIN + 60, "exception_set", 1, "100:1", "TypeError: cannot pickle", 0]]
        self.write("events-100.jsonl", parent)
        self.write("events-200.jsonl", WORKER[:5])
        ends = [e for e in self.merged()["events"] if e[1] in ("finished", "failed")]
        self.assertEqual(ends, [[50, "failed", 1, 0, 0, "TypeError: cannot pickle", 200]])

    def test_text_round_trips(self):
        self.write("events-100.jsonl", PARENT)
        self.write("events-200.jsonl", WORKER)
        trace = self.merged()
        path = os.path.join(self.directory, "out.json")
        _merge.write_trace(trace, path)
        with open(path, encoding="utf-8") as f:
            text = f.read()
        self.assertEqual(json.loads(text), trace)
        self.assertIn('\n    [40, "started", 1, 0, 0, "", 200],\n', text)  # one event per line


if __name__ == "__main__":
    unittest.main()
