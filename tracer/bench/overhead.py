"""What tracing costs: the same program run untraced and traced, as its own time and as a process.

    python3 tracer/bench/overhead.py [--repeats N] [--python PYTHON]

Runs bench/workload.py (10,000 empty tasks on ThreadPoolExecutor(4), then 2,000 on
ProcessPoolExecutor(2), result() on each) alternately untraced and under the tracer (with --trace and
--events-dir, as PoolScope runs it), and prints the medians and their ratios:
- workload: the wall time the program measures around its `with` block (the target: <= 1.5x);
- cpu: the CPU time of the program's own process in that block (all its threads; not the worker
  processes), steadier than wall time on a loaded machine;
- process: the whole command's wall time: interpreter start, the tracer's set-up and, at exit, the
  merge of the events files into the trace.
"""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
TRACER = os.path.dirname(HERE)
WORKLOAD = os.path.join(HERE, "workload.py")
CASES = (("thread", 10000), ("process", 2000))


def run(python, kind, n, traced, scratch):
    env = dict(os.environ)
    env.pop("PYTHONPATH", None)
    cmd = [python]
    if traced:
        env["PYTHONPATH"] = TRACER
        events = os.path.join(scratch, "events")
        shutil.rmtree(events, ignore_errors=True)
        cmd += ["-m", "poolscope_tracer", "--trace", os.path.join(scratch, "trace.json"), "--events-dir", events]
    cmd += [WORKLOAD, kind, str(n)]
    start = time.perf_counter()
    p = subprocess.run(cmd, env=env, capture_output=True, text=True, check=True)
    wall, cpu = (float(v) for v in p.stdout.split()[-2:])
    return wall, cpu, time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--python", default=sys.executable)
    args = parser.parse_args()
    version = subprocess.run(
        [args.python, "-c", "import platform; print(platform.python_version())"], capture_output=True, text=True
    ).stdout.strip()
    print("%s (Python %s), median of %d runs each" % (args.python, version, args.repeats))
    columns = ("workload", "cpu", "process")
    print("%-26s" % "" + "".join("%10s %10s %6s  " % (c, "traced", "ratio") for c in columns))
    scratch = tempfile.mkdtemp(prefix="poolscope-overhead-")
    try:
        for kind, n in CASES:
            plain, traced = [], []
            for _ in range(args.repeats):  # alternate, so that machine noise hits both alike
                plain.append(run(args.python, kind, n, False, scratch))
                traced.append(run(args.python, kind, n, True, scratch))
            line = "%-26s" % ("%s pool, %d tasks" % (kind, n))
            for c in range(len(columns)):
                p = statistics.median(r[c] for r in plain)
                t = statistics.median(r[c] for r in traced)
                line += "%8.3f s %8.3f s %5.2fx  " % (p, t, t / p)
            print(line.rstrip())
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
