"""The tracer on programs that exercise one feature each (tests/programs/)."""

import glob
import json
import os
import re
import signal
import subprocess
import time
import unittest

from support import (
    PROGRAMS,
    PYTHON,
    TracerTestCase,
    _env,
    count,
    events_of,
    outcomes,
    row,
    run_plain,
    tasks,
    worker_lanes,
)
from invariants import find_violations

START_METHODS = ("fork", "spawn", "forkserver")
PROCESS_NAME = {"fork": "ForkProcess", "spawn": "SpawnProcess", "forkserver": "ForkServerProcess"}


def program(name):
    return os.path.join(PROGRAMS, name)


def without_addresses(data):
    return re.sub(rb"0x[0-9a-f]+", b"0x?", data)


class SameAsPlain(TracerTestCase):
    """Runs a program with and without the tracer; the tracer must not show."""

    def run_both(self, name, args=(), returncode=0):
        plain = run_plain(program(name), args)
        traced = self.traced(program(name), args)
        self.assertEqual(plain.returncode, returncode, plain.stderr.decode())
        self.assertEqual(traced.returncode, plain.returncode, traced.stderr.decode())
        self.assertEqual(traced.stdout.decode(), plain.stdout.decode())
        self.assertEqual(without_addresses(traced.stderr).decode(), without_addresses(plain.stderr).decode())
        self.assertNotIn(b"poolscope", traced.stderr)
        return traced, traced.trace


class ThreadPoolTest(SameAsPlain):
    def test_subclasses_of_executor_and_future(self):
        _, trace = self.run_both("subclasses.py")
        self.assertInvariants(trace)
        lanes = {lane["index"]: lane["name"] for lane in trace["lanes"]}
        submitted = events_of(trace, "submitted")
        self.assertEqual([r[5] for r in submitted], ["(2, 0)", "(2, 1)", "(2, 2)", "(2, 3)", "Job()"])
        pool_lanes = {lanes[r[3]] for r in events_of(trace, "started")[:4]}
        self.assertTrue(pool_lanes <= {"counting_0", "counting_1"}, pool_lanes)
        # The future the program made itself is a task from when it is first used: "completer"
        # runs and completes it (line 24: set_running_or_notify_cancel, line 25: set_result).
        job = submitted[-1][2]
        job_events = [(r[1], lanes.get(r[3], r[3]), r[7]) for r in map(row, trace["events"]) if r[2] == job]
        job_events = [e for e in job_events if e[0] not in ("caller_blocked", "caller_resumed")]
        self.assertEqual(
            job_events, [("submitted", "completer", 24), ("started", "completer", 24), ("finished", "completer", 25)]
        )
        self.assertEqual(len(tasks(trace)), 5)  # the unused Job is in no event

    def test_threads_of_the_program(self):
        _, trace = self.run_both("threads.py")
        self.assertInvariants(trace)
        lanes = {lane["index"]: lane["name"] for lane in trace["lanes"]}
        submitters = sorted(lanes[r[3]] for r in events_of(trace, "submitted"))
        self.assertEqual(submitters, ["client-0", "client-1"])
        blocked = sorted(lanes[r[3]] for r in events_of(trace, "caller_blocked") if r[5] == "result")
        self.assertEqual(blocked, ["client-0", "client-1"])

    def test_map_timeout(self):
        traced, trace = self.run_both("map_timeout.py")
        self.assertEqual(traced.stdout.decode(), "timed out after [0.05, 0.15]\n")
        self.assertInvariants(trace)
        blocks = [r[5] for r in events_of(trace, "caller_blocked")]
        self.assertEqual(blocks, ["map", "map", "map", "__exit__"])
        self.assertEqual(list(outcomes(trace).values()), ["finished"] * 3)
        self.assertEqual(events_of(trace, "cancel_failed"), [])

    def test_as_completed_timeout(self):
        traced, trace = self.run_both("as_completed_timeout.py")
        self.assertEqual(traced.stdout.decode(), "timeout: 1 (of 2) futures unfinished [0.05]\n")
        self.assertInvariants(trace)
        blocks = [r[5] for r in events_of(trace, "caller_blocked")]
        self.assertEqual(blocks, ["as_completed", "as_completed", "__exit__"])

    def test_wait_first_completed_and_cancel(self):
        traced, trace = self.run_both("wait_cancel.py")
        self.assertEqual(traced.stdout.decode(), "True\nTrue\nTrue False\n")
        self.assertInvariants(trace)
        cancelled = events_of(trace, "cancelled")
        self.assertEqual([(r[2], r[3], r[5], r[7]) for r in cancelled], [(3, -1, "cancel", 14)])  # once
        self.assertEqual([(r[2], r[5], r[7]) for r in events_of(trace, "cancel_failed")], [(1, "finished", 17)])
        self.assertNotIn(3, {r[2] for r in events_of(trace, "started")})
        self.assertEqual([r[5] for r in events_of(trace, "caller_blocked")], ["wait", "__exit__"])

    def test_shutdown_cancel_futures(self):
        traced, trace = self.run_both("shutdown_cancel.py")
        self.assertEqual(traced.stdout.decode(), "[False, True, True, True, True]\nTrue True\n")
        self.assertInvariants(trace)
        cancelled = events_of(trace, "cancelled")
        self.assertEqual({r[5] for r in cancelled}, {"shutdown"})
        thread_cancelled = [r[2] for r in cancelled if r[2] <= 5]
        self.assertEqual(thread_cancelled, [2, 3, 4, 5])
        process_cancelled = {r[2] for r in cancelled if r[2] > 5}
        self.assertTrue(process_cancelled, "shutdown(cancel_futures=True) cancelled no process-pool future")
        self.assertFalse(process_cancelled & {r[2] for r in events_of(trace, "dispatched")})
        self.assertEqual(count(outcomes(trace).values(), "finished") + len(cancelled), 13)

    def test_done_callbacks(self):
        traced, trace = self.run_both("callbacks.py")
        self.assertIn(b"RuntimeError: this callback fails", traced.stderr)  # logged by CPython
        self.assertInvariants(trace)
        started = events_of(trace, "callback_started")
        self.assertEqual([(r[5], r[7]) for r in started], [("broken", 14), ("fine", 10), ("fine", 10)])
        self.assertGreaterEqual(started[0][3], 0)  # on the pool's thread...
        self.assertEqual(started[1][3], started[0][3])
        self.assertEqual(started[2][3], -1)  # ...and at once, on the caller, once the future is done
        self.assertEqual(len(events_of(trace, "callback_finished")), 3)

    def test_labels(self):
        traced, trace = self.run_both("labels.py")
        self.assertInvariants(trace)
        labels = [r[5] for r in events_of(trace, "submitted")]
        self.assertLessEqual(len(labels[0]), 200)
        self.assertTrue(labels[0].startswith("('xxxxx"), labels[0])
        self.assertIn("key=[0, 1, 2,", labels[0])
        self.assertRegex(labels[1], r"^\(<Stubborn instance at 0x[0-9a-f]+>,\)$")
        self.assertEqual(labels[2], "()")
        self.assertEqual([r[5] for r in events_of(trace, "failed")], ["ValueError: bad byte \ufffd here"])

    def test_big_output_passes_through(self):
        traced, trace = self.run_both("big_output.py")
        self.assertGreater(len(traced.stdout), 2900000)
        self.assertEqual(len(tasks(trace)), 30000)
        self.assertInvariants(trace)


class ProcessPoolTest(SameAsPlain):
    def check_process_pool(self, method):
        traced, trace = self.run_both("process_pool.py", [method])
        self.assertEqual(
            traced.stdout.decode(), "[0, 1, 4, 'no squares of 3', 16, 25]\n[16, 25, 36, 49, 64]\n[0]\n"
        )
        self.assertInvariants(trace)
        self.assertEqual(trace["run"]["pool_kind"], "process")
        self.assertEqual(trace["run"]["pools"][0]["start_method"], method)
        labels = [r[5] for r in events_of(trace, "submitted")]
        self.assertEqual(labels[6:], ["(4,), (5,)", "(6,), (7,)", "(8,)"])  # map's chunks: one task each
        self.assertEqual(count(outcomes(trace).values(), "finished"), 8)
        self.assertEqual([r[5] for r in events_of(trace, "failed")], ["ValueError: no squares of 3"])
        self.assertEqual(len(events_of(trace, "dispatched")), 9)
        lanes = {lane["index"]: lane for lane in trace["lanes"]}
        processes = {i for i, lane in lanes.items() if "pid" in lane}
        self.assertTrue(1 <= len(processes) <= 2, lanes)
        for i in processes:
            self.assertRegex(lanes[i]["name"], r"^%s-\d+$" % PROCESS_NAME[method])
            self.assertGreater(lanes[i]["pid"], 0)
            kinds = [r[1] for r in map(tuple, trace["events"]) if r[3] == i and r[1].startswith("worker_")]
            self.assertEqual(kinds, ["worker_spawning", "worker_started", "worker_stopped"])
        # Every call started and ended in a worker, stamped there (with its pid).
        for kind in ("started", "finished", "failed"):
            for r in events_of(trace, kind):
                self.assertIn(r[3], processes, (kind, r))
                self.assertEqual(r[6], lanes[r[3]]["pid"])
        # The callback ran in the parent: on the pool's manager thread, or at once on the caller.
        callback = events_of(trace, "callback_started")
        self.assertEqual([r[5] for r in callback], ["noted"])
        self.assertNotIn(callback[0][3], processes)
        if callback[0][3] >= 0:  # the manager thread's lane belongs to the pool
            self.assertEqual(lanes[callback[0][3]].get("pool"), 1)
        return trace

    def test_fork(self):
        self.check_process_pool("fork")

    def test_spawn(self):
        self.check_process_pool("spawn")

    def test_forkserver(self):
        self.check_process_pool("forkserver")

    def test_result_not_picklable_and_worker_dying(self):
        for method in ("fork", "spawn"):
            with self.subTest(method=method):
                _, trace = self.run_both("process_edges.py", [method])
                self.assertInvariants(trace)
                ends = {r[2]: r for r in events_of(trace, "finished") + events_of(trace, "failed")}
                # The call returned in the worker, but its result never reached the parent: the end
                # stays on the worker's lane, with the future's outcome.
                self.assertEqual(ends[1][1], "failed")
                self.assertRegex(ends[1][5], r"^TypeError: .*pickle")
                self.assertEqual(ends[2][1], "finished")
                # The worker died in the call: only the parent saw the end, on the lane it started on.
                died = ends[3]
                self.assertEqual(died[1], "failed")
                self.assertTrue(died[5].startswith("BrokenProcessPool: A process in the process pool"))
                started = [r for r in events_of(trace, "started") if r[2] == 3]
                self.assertEqual(died[3], started[0][3])
                lanes = trace["lanes"]
                self.assertEqual(died[6], lanes[died[3]]["pid"])

    def test_entry_by_path_without_pythonpath(self):
        plain = run_plain(program("process_pool.py"), ["spawn"])
        traced = self.traced(program("process_pool.py"), ["spawn"], by_path=True)
        self.assertEqual(traced.returncode, 0, traced.stderr.decode())
        self.assertEqual(traced.stdout, plain.stdout)
        self.assertInvariants(traced.trace)
        self.assertEqual(len(worker_lanes(traced.trace)) > 0, True)

    def test_uncaught_task_exception_keeps_the_workers_traceback(self):
        for method in ("fork", "spawn"):
            with self.subTest(method=method):
                traced, trace = self.run_both("process_uncaught.py", [method], returncode=1)
                self.assertIn(b"ZeroDivisionError: division by zero", traced.stderr)
                self.assertIn(b'"""', traced.stderr)  # the worker's part, as CPython quotes it
                self.assertEqual(trace["run"]["exit_code"], 1)
                self.assertInvariants(trace)


class ProgramTest(SameAsPlain):
    def test_no_executor(self):
        traced, trace = self.run_both("no_executor.py")
        self.assertIn("False False", traced.stdout.decode())  # concurrent.futures never imported
        self.assertEqual(trace["events"], [])
        self.assertEqual(trace["lanes"], [])
        self.assertEqual(trace["run"]["pool_kind"], "")
        self.assertEqual(trace["run"]["exit_code"], 0)
        with open(program("no_executor.py"), encoding="utf-8") as f:
            self.assertEqual(trace["run"]["source"], f.read())

    def test_syntax_error(self):
        traced, trace = self.run_both("syntax_error.py", returncode=1)
        self.assertIn(b"SyntaxError", traced.stderr)
        self.assertEqual(trace["run"]["exit_code"], 1)

    def test_uncaught_exception(self):
        traced, trace = self.run_both("uncaught.py", returncode=1)
        self.assertIn(b"The above exception was the direct cause", traced.stderr)
        self.assertEqual(trace["run"]["exit_code"], 1)
        self.assertInvariants(trace)

    def test_keyboard_interrupt(self):
        traced, trace = self.run_both("interrupted.py", returncode=-signal.SIGINT)
        self.assertIn(b"KeyboardInterrupt", traced.stderr)
        self.assertEqual(trace["run"]["exit_code"], -signal.SIGINT)

    def test_sys_exit(self):
        for argument, status in (("3", 3), ("0", 0), ("bye", 1)):
            with self.subTest(argument=argument):
                traced, trace = self.run_both("exit_code.py", [argument], returncode=status)
                self.assertEqual(trace["run"]["exit_code"], status)
                self.assertEqual(trace["run"]["arguments"], [argument])
                # shutdown(wait=False): the task ends while the interpreter exits, before the trace.
                self.assertEqual(list(outcomes(trace).values()), ["finished"])
                self.assertInvariants(trace)

    def test_multiprocessing_pool_and_subprocess(self):
        traced, trace = self.run_both("pool_and_subprocess.py")
        self.assertEqual(traced.stdout.decode(), "[0, 1, 8, 27, 64]\nfrom a child 0\n")
        warnings = trace["run"]["warnings"]
        self.assertTrue(any("multiprocessing.Pool" in w for w in warnings), warnings)
        self.assertTrue(any("subprocess" in w for w in warnings), warnings)
        self.assertEqual(trace["events"], [])


class CommandLineTest(TracerTestCase):
    def tracer(self, *args):
        return subprocess.run(
            [PYTHON, "-m", "poolscope_tracer"] + list(args), env=_env(True), capture_output=True, timeout=60
        )

    def test_usage_errors(self):
        for args in (["no/such/program.py"], ["--bogus", program("no_executor.py")], [], ["--trace"], [PROGRAMS]):
            with self.subTest(args=args):
                p = self.tracer(*args)
                self.assertEqual(p.returncode, 2, p.stderr)
                self.assertTrue(p.stderr.startswith(b"poolscope-tracer: "), p.stderr)
                self.assertIn(b"usage:", p.stderr)
                self.assertEqual(p.stdout, b"")

    def test_help(self):
        p = self.tracer("--help")
        self.assertEqual(p.returncode, 0)
        self.assertIn(b"--events-dir", p.stdout)

    def test_program_arguments_are_the_programs(self):
        # Everything after PROGRAM belongs to it, options included.
        plain = run_plain(program("no_executor.py"), ["--trace", "x"])
        traced = self.traced(program("no_executor.py"), ["--trace", "x"])
        self.assertEqual(traced.stdout, plain.stdout)

    def test_events_files_are_whole_lines(self):
        traced = self.traced(program("process_pool.py"), ["spawn"])
        files = glob.glob(os.path.join(traced.events_dir, "events-*.jsonl"))
        processes = [lane for lane in traced.trace["lanes"] if "pid" in lane]
        self.assertEqual(len(files), 1 + len(processes))  # the program's, and each worker's
        for path in files:
            with open(path, "rb") as f:
                data = f.read()
            self.assertTrue(data.endswith(b"\n"))
            lines = [json.loads(line) for line in data.splitlines()]
            self.assertEqual(lines[0]["poolscope_events"], 1)
            self.assertEqual(lines[0]["pid"], int(re.match(r"events-(\d+)", os.path.basename(path)).group(1)))
            for value in lines[1:]:
                self.assertTrue(isinstance(value, dict) or (isinstance(value, list) and len(value) in (6, 7)))

    @staticmethod
    def wait_for_submissions(events_dir, wanted, timeout=30):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            submitted = 0
            for path in glob.glob(os.path.join(events_dir, "events-*.jsonl")):
                with open(path, "rb") as f:
                    submitted += f.read().count(b'"submitted"')
            if submitted >= wanted:
                return True
            time.sleep(0.01)  # polling a file another process writes; no event to wait on
        return False

    def test_sigterm_writes_the_events_still_queued(self):
        # Killed the moment it says "ready", before the flusher's next round: what it submitted
        # is on disk all the same, because the tracer writes its queue before dying of SIGTERM.
        cmd, trace_path, events_dir = self.runs.command(program("killed_at_once.py"), [], trace=True)
        p = subprocess.Popen(
            cmd, env=_env(True), stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True
        )
        try:
            self.assertEqual(p.stdout.readline(), b"ready\n")
        finally:
            os.killpg(p.pid, signal.SIGTERM)  # as Stop does
            p.communicate(timeout=60)
        self.assertEqual(p.returncode, -signal.SIGTERM)
        submitted = 0
        for path in glob.glob(os.path.join(events_dir, "events-*.jsonl")):
            with open(path, "rb") as f:
                submitted += f.read().count(b'"submitted"')
        self.assertEqual(submitted, 8)

    def check_killed(self, method):
        cmd, trace_path, events_dir = self.runs.command(program("killed.py"), [method], trace=True)
        p = subprocess.Popen(
            cmd, env=_env(True), stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True
        )
        try:
            self.assertEqual(p.stdout.readline(), b"ready\n")
            # The program's own events reach its file through the flusher thread, every 3 ms; on a
            # loaded machine "ready" can come first. This test is about what a kill leaves behind,
            # not about that delay: kill once all eight submissions are on disk.
            self.assertTrue(self.wait_for_submissions(events_dir, 8), "the submissions never reached the file")
        finally:
            os.killpg(p.pid, signal.SIGTERM)
            p.communicate(timeout=60)
        self.assertEqual(p.returncode, -signal.SIGTERM)
        self.assertFalse(os.path.exists(trace_path))
        files = glob.glob(os.path.join(events_dir, "events-*.jsonl"))
        self.assertGreaterEqual(len(files), 3)
        for path in files:
            with open(path, "rb") as f:
                for line in f.read().splitlines():
                    json.loads(line)
        merged = os.path.join(self.runs.scratch, "merged.json")
        m = subprocess.run(
            [PYTHON, "-m", "poolscope_tracer", "--merge", events_dir, "--trace", merged],
            env=_env(True),
            capture_output=True,
            timeout=60,
        )
        self.assertEqual(m.returncode, 0, m.stderr)
        with open(merged, encoding="utf-8") as f:
            trace = json.load(f)
        self.assertEqual(find_violations(trace, cut_off=True), [])
        self.assertEqual(len(tasks(trace)), 8)
        self.assertEqual(count(outcomes(trace).values(), "finished"), 2)
        self.assertEqual(len(events_of(trace, "started")), 2 + 4)
        self.assertTrue(any("did not end normally" in w for w in trace["run"]["warnings"]))
        self.assertNotIn("exit_code", trace["run"])

    def test_killed_fork(self):
        self.check_killed("fork")

    def test_killed_spawn(self):
        self.check_killed("spawn")


if __name__ == "__main__":
    unittest.main()
