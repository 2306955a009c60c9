#!/usr/bin/env python3
"""Python's own concurrent.futures.ThreadPoolExecutor on the workloads of bench_executors.cpp.

Prints one JSON object on stdout (per-task seconds, best of the repeats) for bench/summarize.py.
Best-of rather than median: on a noisy 2-core machine the fastest run is the one least disturbed,
and taking it can only flatter Python, never PoolScope.
"""

import argparse
import json
import platform
import sys
import time
from concurrent.futures import ThreadPoolExecutor


def empty_task():
    pass


def throughput(executor, tasks):
    start = time.perf_counter()
    futures = [executor.submit(empty_task) for _ in range(tasks)]
    for f in futures:
        f.result()
    # Freeing the futures is timed in the C++ benchmarks too.
    del futures
    return (time.perf_counter() - start) / tasks


def round_trip(executor, tasks):
    start = time.perf_counter()
    for _ in range(tasks):
        executor.submit(empty_task).result()
    return (time.perf_counter() - start) / tasks


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--throughput-tasks", type=int, default=100_000)
    parser.add_argument("--round-trip-tasks", type=int, default=20_000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()

    # One pool for every run, as the C++ side creates its pools outside the timed loop; the warm-up
    # starts both worker threads before anything is timed.
    with ThreadPoolExecutor(max_workers=args.workers) as executor:
        throughput(executor, 1000)
        throughput_runs = [throughput(executor, args.throughput_tasks) for _ in range(args.repeats)]
        round_trip_runs = [round_trip(executor, args.round_trip_tasks) for _ in range(args.repeats)]

    json.dump(
        {
            "python": platform.python_version(),
            "implementation": platform.python_implementation(),
            "executable": sys.executable,
            "workers": args.workers,
            "throughput_tasks": args.throughput_tasks,
            "round_trip_tasks": args.round_trip_tasks,
            "repeats": args.repeats,
            "throughput_s_per_task": min(throughput_runs),
            "round_trip_s_per_task": min(round_trip_runs),
            "throughput_runs_s_per_task": throughput_runs,
            "round_trip_runs_s_per_task": round_trip_runs,
        },
        sys.stdout,
        indent=2,
    )
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
