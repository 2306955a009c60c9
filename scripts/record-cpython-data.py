#!/usr/bin/env python3
"""Re-records the traced CPython runs the C++ tests and the fuzzer read, from the scenarios' listings
with their defaults (tracer/tests/scenario_programs.py), under Debian's python3:

- tests/trace/data/cpython/<exercise>/: the events files and the trace the tracer's merge wrote
  (tests/trace/tst_cpython_event_reader.cpp checks that our reader gives the same trace);
- tests/fuzz/corpus/cpython_events/: every exercise's events files, one seed each, and exercise 7's
  parent and workers joined by 0x1e (the fuzzer's separator between files).

    scripts/record-cpython-data.py [--python /usr/bin/python3]

Run it after changing the tracer's events format or a scenario's listing, and commit what it wrote.
"""

import argparse
import glob
import os
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tracer", "tests"))
import scenario_programs  # noqa: E402  (found through the path above)

DATA = os.path.join(ROOT, "tests", "trace", "data", "cpython")
CORPUS = os.path.join(ROOT, "tests", "fuzz", "corpus", "cpython_events")
# The runs tst_cpython_event_reader reads: a callback, as_completed's wake-ups, both pools, map's
# deadline, and retries.
READER_DATA = ["ex04_callbacks", "ex05_as_completed", "ex07_cpu_bound", "ex09_map_timeout", "ex11_retry_executor"]


def trace(python, program, events, trace_file):
    shutil.rmtree(events, ignore_errors=True)
    env = dict(os.environ, PYTHONPATH=os.path.join(ROOT, "tracer"), PYTHONDONTWRITEBYTECODE="1")
    subprocess.run(
        [python, "-m", "poolscope_tracer", "--events-dir", events, "--trace", trace_file, "--", os.path.basename(program)],
        cwd=os.path.dirname(program), env=env, check=True, stdout=subprocess.DEVNULL,
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--python", default="/usr/bin/python3")
    args = parser.parse_args()
    scratch = tempfile.mkdtemp(prefix="poolscope-record-")
    try:
        for stem in READER_DATA:
            program = scenario_programs.write(stem + ".py", scratch)
            target = os.path.join(DATA, stem)
            trace(args.python, program, target, os.path.join(target, "trace.json"))
        for old in glob.glob(os.path.join(CORPUS, "*.jsonl")):
            os.remove(old)
        for name in sorted(scenario_programs.EXERCISES):
            program = scenario_programs.write(name, scratch)
            events = os.path.join(scratch, "events-" + name[:-3])
            trace(args.python, program, events, os.path.join(scratch, name[:-3] + ".json"))
            files = sorted(glob.glob(os.path.join(events, "events-*.jsonl")))
            for f in files:
                shutil.copy(f, os.path.join(CORPUS, name[:-3] + "-" + os.path.basename(f)))
            if len(files) > 1:
                with open(os.path.join(CORPUS, name[:-3] + "-all-processes.jsonl"), "wb") as out:
                    out.write(b"\x1e".join(open(f, "rb").read() for f in files))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
