"""What tracing costs on the eleven exercises: each run untraced and traced, alternately, in one run.

    python3 bench/tracer/exercise_overhead.py [--python /usr/bin/python3] [--repeats 5]
        [--poolscope build/ci/app/poolscope] [--tracer build/ci/share/poolscope/tracer]

For each exercise (the scenarios' listings with their defaults, written by
tracer/tests/scenario_programs.py into a scratch directory) it times, as whole commands:
- plain:     PYTHON exNN.py
- tracer:    PYTHONPATH=TRACER PYTHON -m poolscope_tracer --events-dir D -- exNN.py   (what PythonRunner starts)
- poolscope: POOLSCOPE trace --quiet --python PYTHON exNN.py   (runner, capture and merge; with --poolscope)
and prints the medians and the ratios to plain. The target is <= 1.5x on the thread-pool exercises.
The exercises sleep or compute for tens to hundreds of milliseconds per task, so the tracer's per-task
cost (tens of microseconds) hides; interpreter start and the tracer's import are the fixed part.
tracer/bench/overhead.py measures the worst case: 10,000 empty tasks.
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
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "tracer", "tests"))
import scenario_programs  # noqa: E402  (found through the path above)

PROCESS_POOL_EXERCISES = {"ex07_cpu_bound.py"}  # the one exercise that also starts a process pool


def timed(cmd, env, cwd):
    start = time.perf_counter()
    p = subprocess.run(cmd, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    elapsed = time.perf_counter() - start
    if p.returncode != 0:
        sys.exit("%s failed (%d): %s" % (" ".join(cmd), p.returncode, p.stderr[-500:]))
    return elapsed


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--python", default="/usr/bin/python3")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--poolscope", help="the poolscope executable, to time `poolscope trace` too")
    parser.add_argument("--tracer", default=os.path.join(ROOT, "tracer"), help="the directory holding poolscope_tracer/")
    args = parser.parse_args()
    # The commands run in the programs' directory: relative paths are the caller's.
    args.tracer = os.path.abspath(args.tracer)
    if args.poolscope:
        args.poolscope = os.path.abspath(args.poolscope)
    env = dict(os.environ)
    env.pop("PYTHONPATH", None)
    traced_env = dict(env, PYTHONPATH=args.tracer)
    scratch = tempfile.mkdtemp(prefix="poolscope-exercise-overhead-")
    programs = os.path.join(scratch, "programs")
    os.mkdir(programs)
    columns = ["plain", "tracer"] + (["poolscope"] if args.poolscope else [])
    print("%s, median of %d runs each, whole commands" % (args.python, args.repeats))
    print("%-28s" % "exercise" + "".join("%11s" % c for c in columns) + "".join("%11s" % (c + "/plain") for c in columns[1:]))
    ratios = {c: [] for c in columns[1:]}
    try:
        for name in sorted(scenario_programs.EXERCISES):
            scenario_programs.write(name, programs)
            times = {c: [] for c in columns}
            for _ in range(args.repeats):  # alternate, so that machine noise hits all alike
                times["plain"].append(timed([args.python, name], env, programs))
                events = os.path.join(scratch, "events")
                shutil.rmtree(events, ignore_errors=True)
                times["tracer"].append(
                    timed([args.python, "-m", "poolscope_tracer", "--events-dir", events, "--", name], traced_env, programs)
                )
                if args.poolscope:
                    times["poolscope"].append(
                        timed([args.poolscope, "trace", "--quiet", "--python", args.python, name], env, programs)
                    )
            medians = {c: statistics.median(times[c]) for c in columns}
            line = "%-28s" % name[:-3] + "".join("%9.3f s" % medians[c] for c in columns)
            for c in columns[1:]:
                ratio = medians[c] / medians["plain"]
                line += "%10.2fx" % ratio
                if name not in PROCESS_POOL_EXERCISES:
                    ratios[c].append(ratio)
            print(line)
        print("thread-pool exercises, largest ratio: " + ", ".join("%s %.2fx" % (c, max(r)) for c, r in ratios.items()))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
