"""Running programs with and without the tracer, and reading what it wrote."""

import collections
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

from invariants import find_violations

TESTS = os.path.dirname(os.path.abspath(__file__))
TRACER = os.path.dirname(TESTS)  # holds the package poolscope_tracer
PROGRAMS = os.path.join(TESTS, "programs")
PYTHON = sys.executable
TIMEOUT = 120

Run = collections.namedtuple("Run", "returncode stdout stderr trace events_dir")


def _env(traced):
    env = dict(os.environ)
    env.pop("PYTHONPATH", None)
    for key in list(env):
        if key.startswith("POOLSCOPE_TRACE_"):
            del env[key]
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    env["PYTHONIOENCODING"] = "utf-8"
    if traced:
        env["PYTHONPATH"] = TRACER
    return env


def run_plain(program, args=(), cwd=None, timeout=TIMEOUT):
    p = subprocess.run(
        [PYTHON, program] + list(args), cwd=cwd, env=_env(False), capture_output=True, timeout=timeout
    )
    return Run(p.returncode, p.stdout, p.stderr, None, None)


class TracedRuns:
    """Owns a scratch directory for the traces and events of one test case."""

    def __init__(self):
        self.scratch = tempfile.mkdtemp(prefix="poolscope-tracer-test-")
        self.count = 0

    def close(self):
        shutil.rmtree(self.scratch, ignore_errors=True)

    def command(self, program, args=(), trace=True, events=True, by_path=False):
        self.count += 1
        trace_path = os.path.join(self.scratch, "trace-%d.json" % self.count)
        events_dir = os.path.join(self.scratch, "events-%d" % self.count)
        entry = [os.path.join(TRACER, "poolscope_tracer", "__main__.py")] if by_path else ["-m", "poolscope_tracer"]
        cmd = [PYTHON] + entry
        if trace:
            cmd += ["--trace", trace_path]
        if events:
            cmd += ["--events-dir", events_dir]
        cmd += ["--", program] + list(args)
        return cmd, trace_path, events_dir

    def run(self, program, args=(), cwd=None, timeout=TIMEOUT, by_path=False):
        cmd, trace_path, events_dir = self.command(program, args, by_path=by_path)
        p = subprocess.run(cmd, cwd=cwd, env=_env(not by_path), capture_output=True, timeout=timeout)
        trace = None
        if os.path.exists(trace_path):
            with open(trace_path, encoding="utf-8") as f:
                trace = json.load(f)
        return Run(p.returncode, p.stdout, p.stderr, trace, events_dir)


class TracerTestCase(unittest.TestCase):
    maxDiff = 4000

    def setUp(self):
        self.runs = TracedRuns()
        self.addCleanup(self.runs.close)

    def traced(self, program, args=(), **kwargs):
        return self.runs.run(program, args, **kwargs)

    def assertInvariants(self, trace, cut_off=False):
        self.assertIsNotNone(trace, "no trace was written")
        problems = find_violations(trace, cut_off=cut_off)
        self.assertEqual(problems, [], "\n".join(problems))


# --- reading traces --------------------------------------------------------------------------------


def row(e):
    """An event row with every column: (time, kind, task, worker, attempt, label, pid, line)."""
    full = list(e) + [None] * (8 - len(e))
    return full[0], full[1], full[2], full[3], full[4], full[5] or "", full[6] or 0, full[7] or 0


def events_of(trace, kind):
    return [row(e) for e in trace["events"] if e[1] == kind]


def tasks(trace):
    return {e[2] for e in trace["events"] if e[1] == "submitted"}


def outcomes(trace):
    """task -> its terminal kind."""
    return {r[2]: r[1] for r in map(row, trace["events"]) if r[1] in ("finished", "failed", "cancelled")}


def worker_lanes(trace):
    """The lanes that ran a call."""
    return {r[3] for r in events_of(trace, "started") if r[3] >= 0}


def count(values, wanted):
    return sum(1 for v in values if v == wanted)
