#!/usr/bin/env python3
"""Prints the benchmark summary tables from poolscope_bench's JSON and python_baseline.py's JSON.

Usage: summarize.py BENCH_JSON PYTHON_JSON [OTHER_CPU_PERCENT]

OTHER_CPU_PERCENT: how much of one CPU other processes used while the benchmarks ran.

Verdicts are for a human reading the table: this script exits 0 whatever they say, so a benchmark
never gates anything.
"""

import json
import sys

# The targets.
THROUGHPUT_SPEEDUP_TARGET = 30.0  # PoolScope (events on) vs Python's ThreadPoolExecutor
ROUND_TRIP_SPEEDUP_TARGET = 4.0
RECORD_NS_TARGET = 100.0
PROCESS_SPEEDUP_TARGET = 10.0  # ProcessPoolExecutor per task, throughput and round trip, vs Python's
# Exercise 7: the process pool's speedup over the thread pool under the GIL, at least this fraction
# of min(workers, cores) (= 1.6 with 2 workers on 2 cores).
PRIMES_EFFICIENCY_TARGET = 0.8

# Above this, another process took enough of the 2 cores to move the results by tens of percent.
OTHER_CPU_WARNING_PERCENT = 10

NS_PER_UNIT = {"ns": 1.0, "us": 1e3, "ms": 1e6, "s": 1e9}


def load_runs(path):
    """Per benchmark name, its aggregates by name ("median", "min", "cv"...), or {"single": run}
    when it ran without repetitions."""
    with open(path) as f:
        data = json.load(f)
    runs = {}
    for b in data["benchmarks"]:
        name = b.get("run_name", b["name"]).split("/")[0]
        if b.get("run_type") == "aggregate":
            runs.setdefault(name, {})[b["aggregate_name"]] = b
        else:
            runs.setdefault(name, {}).setdefault("single", b)
    return data.get("context", {}), runs


class Result:
    """One benchmark's per-task cost in ns: the median repetition and the fastest one.

    Per task means the real time of one iteration, times the threads that ran at once, divided by
    the tasks in one iteration: the wall time one task (or record) costs the thread that waits.
    """

    def __init__(self, runs, name):
        entry = runs.get(name, {})
        self.median = self._per_task(entry.get("median", entry.get("single")))
        self.best = self._per_task(entry.get("min", entry.get("single")))
        cv = entry.get("cv")
        self.noise = cv["real_time"] if cv else None  # the cv aggregate is a ratio, not a time

    @staticmethod
    def _per_task(b):
        if b is None:
            return None
        ns = b["real_time"] * NS_PER_UNIT[b.get("time_unit", "ns")]
        return ns * b.get("threads", 1) / b.get("tasks_per_iteration", 1)


def fmt_ns(ns):
    return "n/a" if ns is None else f"{ns:,.1f}"


def fmt_noise(noise):
    return "" if noise is None else f"{noise * 100:.1f}%"


def ratio(slow_ns, fast_ns):
    if slow_ns is None or fast_ns is None or fast_ns == 0:
        return None
    return slow_ns / fast_ns


def fmt_ratio(r):
    return "n/a" if r is None else f"{r:.2f}x"


def speedup_verdict(speedup, target):
    if speedup is None:
        return "n/a"
    if speedup >= target:
        return "PASS"
    return f"MISS ({(1 - speedup / target) * 100:.0f}% short: needs {target / speedup:.2f}x faster)"


def versus(label, ours, asio):
    r = ratio(asio.median, ours.median)
    if r is None:
        return f"{label} n/a"
    return f"{label} {r:.2f}x faster" if r >= 1 else f"{label} {1 / r:.2f}x slower"


def print_header(first_column):
    print(
        f"  {first_column:<26} {'ns/task':>10} {'best':>10} {'noise':>6} {'vs Python':>10} {'best/best':>10}"
        f"  {'target':<7} verdict (on the median)"
    )


def print_rows(runs, rows, python_ns, target):
    """One line per (label, benchmark name, checked) row; returns the Results by benchmark name.
    checked: True to judge the row against the target, or the text to print instead of a verdict."""
    results = {}
    for label, name, checked in rows:
        r = Result(runs, name)
        results[name] = r
        speedup = ratio(python_ns, r.median)
        if checked is True:
            verdict, target_text = speedup_verdict(speedup, target), f">= {target:g}x"
        else:
            verdict, target_text = checked or "(peer)", ""
        print(
            f"  {label:<26} {fmt_ns(r.median):>10} {fmt_ns(r.best):>10} {fmt_noise(r.noise):>6}"
            f" {fmt_ratio(speedup):>10} {fmt_ratio(ratio(python_ns, r.best)):>10}  {target_text:<7} {verdict}"
        )
    return results


def print_python(label, python_ns, note):
    print(f"  {label:<26} {'':>10} {fmt_ns(python_ns):>10} {'':>6} {'1.00x':>10}  ({note})")


def section(runs, title, rows, python_ns, target, python_note):
    print(title)
    print_header("variant")
    results = print_rows(runs, rows, python_ns, target)
    print_python("Python ThreadPoolExecutor", python_ns, python_note)
    on, off, asio = (results[name] for _, name, _ in rows)
    print(f"  PoolScope vs Boost.Asio: {versus('events on', on, asio)}; {versus('events off', off, asio)}")
    print()


def seconds_to_ns(seconds):
    return None if seconds is None else seconds * 1e9


def process_section(runs, py):
    """(d): ProcessPoolExecutor's per-task cost against Python's, throughput and round trip."""
    method = py.get("process_start_method", "spawn")
    print(f"(d) Process pool: {py['workers']} worker processes, {method} start method, against Python's ProcessPoolExecutor ({method})")
    print_header("variant")
    # The C++ batch size, as the benchmark reported it.
    entry = runs.get("BM_ProcessThroughput_EventsOn", {})
    run = entry.get("median", entry.get("single"))
    batch = int(run.get("tasks_per_iteration", 0)) if run else 0
    batch_text = f"{batch:,} " if batch else ""
    python_ns = seconds_to_ns(py.get("process_throughput_s_per_task"))
    print(f"  throughput: submit {batch_text}empty tasks (int noop(int)), then wait all")
    print_rows(
        runs,
        [
            ("PoolScope, events on", "BM_ProcessThroughput_EventsOn", True),
            ("PoolScope, events off", "BM_ProcessThroughput_EventsOff", True),
        ],
        python_ns,
        PROCESS_SPEEDUP_TARGET,
    )
    print_python("Python ProcessPoolExecutor", python_ns, f"{py.get('process_throughput_tasks', 0):,} tasks")
    python_ns = seconds_to_ns(py.get("process_round_trip_s_per_task"))
    print("  round trip: submit one empty task, wait for its result, serially")
    print_rows(
        runs,
        [
            ("PoolScope, events on", "BM_ProcessRoundTrip_EventsOn", True),
            ("PoolScope, events off", "BM_ProcessRoundTrip_EventsOff", True),
            ("bare socketpair ping-pong", "BM_ProcessPingPong", "(floor: no pool, 1 byte there and back)"),
        ],
        python_ns,
        PROCESS_SPEEDUP_TARGET,
    )
    print_python("Python ProcessPoolExecutor", python_ns, f"{py.get('process_round_trip_tasks', 0):,} round trips")
    print()


def fmt_ms(ns):
    return "n/a" if ns is None else f"{ns / 1e6:,.1f}"


def primes_section(context, runs, py):
    """(e): exercise 7's prime counting serially, on thread pools with and without the GIL, on a process pool."""
    workers = int(context.get("pool_workers", py.get("workers", 2)))
    cores = int(context.get("hardware_concurrency", 0)) or int(context.get("num_cpus", 1))
    limits = context.get("prime_limits", "")
    limit_list = [int(x) for x in limits.split(",") if x]
    limits_text = ", ".join(f"{x:,}" for x in limit_list) if limit_list else "?"
    print(f"(e) Exercise 7: count the primes below each of {len(limit_list)} limits ({limits_text}); pools of {workers} workers, {cores} cores")
    print(f"  {'variant':<32} {'ms':>10} {'best':>10} {'noise':>6} {'speedup over serial':>20} {'best/best':>10}")
    rows = [
        ("serial (benchmark thread)", "BM_Primes_Serial"),
        ("thread pool + GIL (5 ms switch)", "BM_Primes_ThreadPoolGil"),
        ("thread pool, free-threaded", "BM_Primes_ThreadPoolFree"),
        ("process pool (spawn)", "BM_Primes_ProcessPool"),
    ]
    results = {name: Result(runs, name) for _, name in rows}
    serial = results["BM_Primes_Serial"]
    for label, name in rows:
        r = results[name]
        print(
            f"  {label:<32} {fmt_ms(r.median):>10} {fmt_ms(r.best):>10} {fmt_noise(r.noise):>6}"
            f" {fmt_ratio(ratio(serial.median, r.median)):>20} {fmt_ratio(ratio(serial.best, r.best)):>10}"
        )
    gil, process = results["BM_Primes_ThreadPoolGil"], results["BM_Primes_ProcessPool"]
    target = PRIMES_EFFICIENCY_TARGET * min(workers, cores)
    speedup = ratio(gil.median, process.median)
    print(
        f"  process pool speedup over thread pool + GIL: {fmt_ratio(speedup)} (best/best {fmt_ratio(ratio(gil.best, process.best))});"
        f" target >= {target:.2f}x = {PRIMES_EFFICIENCY_TARGET:g} x min({workers} workers, {cores} cores): "
        f"{speedup_verdict(speedup, target)}"
    )
    thread_s, process_s = py.get("primes_thread_pool_s"), py.get("primes_process_pool_s")
    if thread_s is not None and process_s is not None:
        same = py.get("primes_limits") == limit_list
        note = "" if same or not limit_list else f" NOTE: Python counted other limits, {py.get('primes_limits')}."
        print(
            f"  context, Python {py['python']} (best of {py.get('primes_repeats', '?')}, same limits): thread pool"
            f" {thread_s * 1e3:,.1f} ms, process pool {process_s * 1e3:,.1f} ms, process over thread"
            f" {fmt_ratio(ratio(thread_s, process_s))}; PoolScope's GIL thread pool is"
            f" {fmt_ratio(ratio(thread_s * 1e9, gil.median))} faster than Python's (C++ loop vs interpreter).{note}"
        )
    print()


def main():
    if len(sys.argv) not in (3, 4):
        print(__doc__.strip(), file=sys.stderr)
        return 0
    context, runs = load_runs(sys.argv[1])
    with open(sys.argv[2]) as f:
        py = json.load(f)

    print("=" * 112)
    print(
        f"PoolScope benchmark summary. C++: median and fastest of the repetitions; Python {py['python']}: "
        f"best of {py['repeats']}"
    )
    load = context.get("load_avg")
    load_text = " ".join(f"{x:.2f}" for x in load) if load else "n/a"
    other = int(sys.argv[3]) if len(sys.argv) == 4 else None
    other_text = f"other processes used {other}% of one CPU meanwhile, " if other is not None else ""
    print(
        f"Machine: {context.get('num_cpus', '?')} CPUs at {context.get('mhz_per_cpu', '?')} MHz, {other_text}"
        f"load average {load_text} at the start. Only ratios from one run are comparable."
    )
    if other is not None and other >= OTHER_CPU_WARNING_PERCENT:
        print(f"WARNING: the machine was not quiet ({other}% of a CPU went elsewhere); these numbers are disturbed.")
    print("=" * 112)

    section(
        runs,
        f"(a) Throughput: submit {py['throughput_tasks']:,} empty tasks to {py['workers']} workers, then wait all",
        [
            ("PoolScope, events on", "BM_Throughput_EventsOn", True),
            ("PoolScope, events off", "BM_Throughput_EventsOff", True),
            ("Boost.Asio thread_pool", "BM_Throughput_BoostAsio", False),
        ],
        py["throughput_s_per_task"] * 1e9,
        THROUGHPUT_SPEEDUP_TARGET,
        f"{py['throughput_tasks']:,} tasks",
    )
    section(
        runs,
        "(b) Round trip: submit one empty task, wait for its result, serially",
        [
            ("PoolScope, events on", "BM_RoundTrip_EventsOn", True),
            ("PoolScope, events off", "BM_RoundTrip_EventsOff", True),
            ("Boost.Asio thread_pool", "BM_RoundTrip_BoostAsio", False),
        ],
        py["round_trip_s_per_task"] * 1e9,
        ROUND_TRIP_SPEEDUP_TARGET,
        f"{py['round_trip_tasks']:,} round trips",
    )

    print("(c) EventLog::record, one event")
    print(f"  {'variant':<40} {'ns/record':>10} {'best':>10} {'noise':>6}  {'target':<9} verdict (on the median)")
    for label, name, checked in [
        ("one thread, steady state", "BM_EventLogRecord", True),
        ("one thread, fresh log (growth counted)", "BM_EventLogRecord_Growing", False),
        ("two threads at once, per thread", "BM_EventLogRecord_TwoThreads", False),
    ]:
        r = Result(runs, name)
        if not checked:
            target_text, verdict = "", "(info)"
        else:
            target_text = f"< {RECORD_NS_TARGET:g} ns"
            if r.median is None:
                verdict = "n/a"
            elif r.median < RECORD_NS_TARGET:
                verdict = "PASS"
            else:
                verdict = f"MISS ({r.median - RECORD_NS_TARGET:.1f} ns over)"
        print(
            f"  {label:<40} {fmt_ns(r.median):>10} {fmt_ns(r.best):>10} {fmt_noise(r.noise):>6}"
            f"  {target_text:<9} {verdict}"
        )
    print()
    process_section(runs, py)
    primes_section(context, runs, py)
    print("Targets (issue): throughput >= 30x Python with events on; round trip >= 4x Python; record < 100 ns;")
    print("process pool throughput and round trip >= 10x Python's ProcessPoolExecutor; exercise 7's process pool")
    print("speedup over thread pool + GIL >= 0.8 x min(workers, cores).")
    print("vs Python = Python's best / our median; best/best = Python's best / our fastest repetition.")
    print("Exercise 7: speedups are serial's time / the variant's time (median/median, best/best).")
    print("noise = coefficient of variation over the repetitions. Benchmarks never gate: the exit status is 0.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
