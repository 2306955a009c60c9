"""The eleven practice exercises, traced: same output, and the trace says what ran.

The programs are the scenarios' listings with their defaults (scenario_programs.py), which do and print
what the page's programs do."""

import re
import shutil
import tempfile
import unittest

import scenario_programs
from support import (
    TracerTestCase,
    count,
    events_of,
    outcomes,
    run_plain,
    tasks,
    worker_lanes,
)


class ExerciseTest(TracerTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.programs = tempfile.mkdtemp(prefix="poolscope-exercises-")

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.programs, ignore_errors=True)
        super().tearDownClass()

    def exercise(self, name):
        return scenario_programs.write(name, self.programs)

    def line_of(self, name, text):
        return scenario_programs.line_of(self.exercise(name), text)

    def run_both(self, name, same_output=True):
        program = self.exercise(name)
        plain = run_plain(program)
        traced = self.traced(program)
        self.assertEqual(plain.returncode, 0, plain.stderr.decode())
        self.assertEqual(traced.returncode, 0, traced.stderr.decode())
        self.assertEqual(traced.stderr, plain.stderr)
        if same_output:
            self.assertEqual(traced.stdout.decode(), plain.stdout.decode())
        self.assertInvariants(traced.trace)
        self.assertEqual(traced.trace["run"]["title"], name)
        self.assertEqual(traced.trace["run"].get("exit_code"), 0)
        return plain, traced, traced.trace

    def assertOutcomes(self, trace, finished=0, failed=0, cancelled=0):
        ends = list(outcomes(trace).values())
        self.assertEqual(len(tasks(trace)), finished + failed + cancelled)
        self.assertEqual(
            (count(ends, "finished"), count(ends, "failed"), count(ends, "cancelled")), (finished, failed, cancelled)
        )

    def blocks(self, trace):
        return [r[5] for r in events_of(trace, "caller_blocked")]

    def test_ex01_map(self):
        _, _, trace = self.run_both("ex01_map.py")
        self.assertOutcomes(trace, finished=5)
        self.assertEqual(len(worker_lanes(trace)), 5)  # five sleeping tasks, five threads
        self.assertEqual(sorted(r[5] for r in events_of(trace, "submitted")), ["(%d,)" % n for n in range(1, 6)])
        self.assertIn("map", self.blocks(trace))
        self.assertEqual(trace["run"]["pool_kind"], "thread")
        self.assertEqual(trace["run"]["max_workers"], 5)

    def test_ex02_submit_result(self):
        _, _, trace = self.run_both("ex02_submit_result.py")
        self.assertOutcomes(trace, finished=4)
        self.assertEqual(len(worker_lanes(trace)), 4)
        labels = [r[5] for r in events_of(trace, "submitted")]
        self.assertEqual(labels, ["(2, 10)", "(3, 5)", "(5, 4)", "(10, 3)"])
        # Each event names the line of the program that caused it: the submit call, and result().
        name = "ex02_submit_result.py"
        self.assertEqual({r[7] for r in events_of(trace, "submitted")}, {self.line_of(name, "executor.submit(")})
        self.assertEqual(
            {r[7] for r in events_of(trace, "caller_blocked") if r[5] == "result"}, {self.line_of(name, ".result()")}
        )

    def test_ex03_exceptions(self):
        _, _, trace = self.run_both("ex03_exceptions.py")
        self.assertOutcomes(trace, finished=4, failed=2)
        self.assertLessEqual(len(worker_lanes(trace)), 4)
        self.assertEqual(
            sorted(r[5] for r in events_of(trace, "failed")), ["ValueError: Bad value: 3", "ValueError: Bad value: 6"]
        )

    def test_ex04_callbacks(self):
        _, _, trace = self.run_both("ex04_callbacks.py")
        self.assertOutcomes(trace, finished=5)
        self.assertEqual(len(worker_lanes(trace)), 5)
        started = events_of(trace, "callback_started")
        self.assertEqual([r[5] for r in started], ["on_done"] * 5)
        self.assertEqual(sorted(r[2] for r in started), sorted(tasks(trace)))
        self.assertEqual(len(events_of(trace, "callback_finished")), 5)

    def test_ex05_as_completed(self):
        plain, traced, trace = self.run_both("ex05_as_completed.py", same_output=False)
        # Which of the near-ties (3, 4, 8 end within 3 ms) finishes first varies from run to run.
        plain_lines = plain.stdout.decode().splitlines()
        traced_lines = traced.stdout.decode().splitlines()
        self.assertEqual(traced_lines[1], plain_lines[1])
        order = re.fullmatch(r"Completion order: \[([\d, ]+)\]", traced_lines[0])
        self.assertIsNotNone(order, traced_lines[0])
        self.assertEqual(sorted(int(n) for n in order.group(1).split(", ")), list(range(1, 9)))
        self.assertOutcomes(trace, finished=8)
        self.assertEqual(len(worker_lanes(trace)), 8)
        self.assertGreaterEqual(self.blocks(trace).count("as_completed"), 2)  # one per wake-up

    def test_ex06_wait_first_completed(self):
        _, traced, trace = self.run_both("ex06_wait_first_completed.py")
        printed = int(re.search(r"Cancelled: (\d+)", traced.stdout.decode()).group(1))
        self.assertEqual(len(events_of(trace, "cancelled")), printed)
        self.assertEqual(printed, 0)  # all four run at once on four workers: nothing left to cancel
        self.assertEqual([r[5] for r in events_of(trace, "cancel_failed")], ["running"] * 3)
        self.assertOutcomes(trace, finished=4)
        self.assertEqual(self.blocks(trace).count("wait"), 1)

    def test_ex07_cpu_bound(self):
        plain, traced, trace = self.run_both("ex07_cpu_bound.py", same_output=False)
        lines = traced.stdout.decode().splitlines()
        self.assertRegex(lines[0], r"^Thread pool: \d+ms$")
        self.assertRegex(lines[1], r"^Process pool: \d+ms$")
        self.assertEqual(lines[2:], plain.stdout.decode().splitlines()[2:])
        self.assertOutcomes(trace, finished=8)
        self.assertEqual(trace["run"]["pool_kind"], "thread+process")
        lanes = {lane["index"]: lane for lane in trace["lanes"]}
        used = worker_lanes(trace)
        threads = [i for i in used if "pid" not in lanes[i]]
        processes = [i for i in used if "pid" in lanes[i]]
        self.assertTrue(1 <= len(threads) <= 4, threads)
        self.assertTrue(1 <= len(processes) <= 4, processes)
        for i in processes:
            self.assertRegex(lanes[i]["name"], r"^(Fork|Spawn|ForkServer)Process-\d+$")
        # Process-pool calls start and end in the worker, and say so with its pid.
        for r in events_of(trace, "started") + events_of(trace, "finished"):
            if r[3] in processes:
                self.assertEqual(r[6], lanes[r[3]]["pid"])
        self.assertEqual(len(events_of(trace, "dispatched")), 4)

    def test_ex08_pipeline(self):
        _, _, trace = self.run_both("ex08_pipeline.py")
        self.assertOutcomes(trace, finished=10)
        self.assertEqual(len(worker_lanes(trace)), 5)
        labels = [r[5] for r in events_of(trace, "submitted")]
        self.assertEqual(labels, ["(%d,)" % n for n in (1, 2, 3, 4, 5, 2, 4, 6, 8, 10)])

    def test_ex09_map_timeout(self):
        _, traced, trace = self.run_both("ex09_map_timeout.py")
        got = int(re.search(r"Got: (\d+)", traced.stdout.decode()).group(1))
        self.assertOutcomes(trace, finished=10)  # all ten were running: map's cleanup cancels none
        self.assertEqual(len(events_of(trace, "cancel_failed")), 0)  # CPython's own cancel() calls
        map_blocks = self.blocks(trace).count("map")
        self.assertEqual(map_blocks, got + 1)  # each next() that waited, the last one timing out
        self.assertEqual(self.blocks(trace)[-1], "__exit__")

    def test_ex10_graceful_shutdown(self):
        _, _, trace = self.run_both("ex10_graceful_shutdown.py")
        self.assertOutcomes(trace, finished=10)
        self.assertEqual(len(worker_lanes(trace)), 4)
        self.assertEqual(self.blocks(trace), ["shutdown"])
        self.assertEqual(
            events_of(trace, "caller_blocked")[0][7],
            self.line_of("ex10_graceful_shutdown.py", "executor.shutdown("),
        )

    def test_ex11_retry_executor(self):
        _, _, trace = self.run_both("ex11_retry_executor.py")
        self.assertOutcomes(trace, finished=5)
        self.assertTrue(1 <= len(worker_lanes(trace)) <= 4)
        self.assertEqual([r[5] for r in events_of(trace, "worker_started")][:1], ["ThreadPoolExecutor-0_0"])
        # RetryExecutor.__exit__ calls its shutdown(), which calls the pool's: a "shutdown" block
        # (the pool's own __exit__ is not involved), on the line in RetryExecutor.shutdown.
        self.assertIn("shutdown", self.blocks(trace))


if __name__ == "__main__":
    unittest.main()
