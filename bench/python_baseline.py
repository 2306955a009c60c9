#!/usr/bin/env python3
"""Python's own concurrent.futures executors on the workloads of poolscope_bench.

ThreadPoolExecutor on the workloads of bench_executors.cpp; ProcessPoolExecutor (spawn start method)
on those of bench_process.cpp: empty tasks, serial round trips, and exercise 7's prime counting on a
thread pool and on a process pool.

Prints one JSON object on stdout (per-task seconds, best of the repeats) for bench/summarize.py.
Best-of rather than median: on a noisy 2-core machine the fastest run is the one least disturbed,
and taking it can only flatter Python, never PoolScope.
"""

import argparse
import json
import multiprocessing
import platform
import sys
import time
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor


def empty_task():
    pass


def noop(value):
    # The process pool's empty task, as bench_process.cpp's int noop(int): the argument and the
    # result are pickled and travel through the pipes.
    return value


def count_primes(limit):
    # Exercise 7's prime counter, the same loop as bench_process.cpp's (trial division by every j up
    # to the square root, stopping at the first divisor).
    count = 0
    for i in range(2, limit):
        prime = True
        j = 2
        while j * j <= i:
            if i % j == 0:
                prime = False
                break
            j += 1
        if prime:
            count += 1
    return count


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


def process_throughput(executor, tasks):
    start = time.perf_counter()
    futures = [executor.submit(noop, i) for i in range(tasks)]
    for f in futures:
        f.result()
    del futures
    return (time.perf_counter() - start) / tasks


def process_round_trip(executor, tasks):
    start = time.perf_counter()
    for i in range(tasks):
        executor.submit(noop, i).result()
    return (time.perf_counter() - start) / tasks


def warm_up_processes(executor, workers):
    # Processes start on demand (Python 3.9+): submit batches until every worker runs, so that no
    # timed run pays for starting an interpreter, as the C++ side warms its pools up too.
    for _ in range(100):
        process_throughput(executor, 200)
        if len(executor._processes) >= workers:
            break
    process_throughput(executor, 1000)


def primes(executor, limits):
    """Exercise 7 on one pool: (wall seconds, total count)."""
    start = time.perf_counter()
    total = sum(executor.map(count_primes, limits))
    return time.perf_counter() - start, total


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--throughput-tasks", type=int, default=100_000)
    parser.add_argument("--round-trip-tasks", type=int, default=20_000)
    parser.add_argument("--repeats", type=int, default=3)
    # Python's process pool costs tens of microseconds a task: fewer tasks, reported per task.
    parser.add_argument("--process-throughput-tasks", type=int, default=5_000)
    parser.add_argument("--process-round-trip-tasks", type=int, default=1_000)
    # Exercise 7: the limits of bench_common.h; CPython needs most of a second for each.
    parser.add_argument("--primes-limits", type=int, nargs="*", default=[200_000] * 4)
    parser.add_argument("--primes-repeats", type=int, default=2)
    args = parser.parse_args()

    # One pool for every run, as the C++ side creates its pools outside the timed loop; the warm-up
    # starts both worker threads before anything is timed.
    with ThreadPoolExecutor(max_workers=args.workers) as executor:
        throughput(executor, 1000)
        throughput_runs = [throughput(executor, args.throughput_tasks) for _ in range(args.repeats)]
        round_trip_runs = [round_trip(executor, args.round_trip_tasks) for _ in range(args.repeats)]

    # Spawn, as the C++ side uses: the worker imports this file again (hence the __main__ guard).
    spawn = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=args.workers, mp_context=spawn) as executor:
        warm_up_processes(executor, args.workers)
        process_throughput_runs = [
            process_throughput(executor, args.process_throughput_tasks) for _ in range(args.repeats)
        ]
        process_round_trip_runs = [
            process_round_trip(executor, args.process_round_trip_tasks) for _ in range(args.repeats)
        ]

        # Exercise 7 on a thread pool (under the GIL) and on the process pool above, both warmed up.
        # No serial run: under the GIL the thread pool takes as long, and each run costs seconds.
        primes_runs = {"thread_pool": [], "process_pool": []}
        totals = set()
        if args.primes_limits:
            with ThreadPoolExecutor(max_workers=args.workers) as threads:
                throughput(threads, 1000)
                for _ in range(args.primes_repeats):
                    elapsed, total = primes(threads, args.primes_limits)
                    primes_runs["thread_pool"].append(elapsed)
                    totals.add(total)
            for _ in range(args.primes_repeats):
                elapsed, total = primes(executor, args.primes_limits)
                primes_runs["process_pool"].append(elapsed)
                totals.add(total)
        if len(totals) > 1:
            raise SystemExit(f"the pools counted different prime totals: {sorted(totals)}")

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
            "process_start_method": "spawn",
            "process_throughput_tasks": args.process_throughput_tasks,
            "process_round_trip_tasks": args.process_round_trip_tasks,
            "process_throughput_s_per_task": min(process_throughput_runs),
            "process_round_trip_s_per_task": min(process_round_trip_runs),
            "process_throughput_runs_s_per_task": process_throughput_runs,
            "process_round_trip_runs_s_per_task": process_round_trip_runs,
            "primes_limits": args.primes_limits,
            "primes_repeats": args.primes_repeats,
            "primes_total": totals.pop() if totals else None,
            "primes_thread_pool_s": min(primes_runs["thread_pool"], default=None),
            "primes_process_pool_s": min(primes_runs["process_pool"], default=None),
            "primes_runs_s": primes_runs,
        },
        sys.stdout,
        indent=2,
    )
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
