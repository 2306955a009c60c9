# The benchmark's program: submits N empty tasks to a pool, then calls result() on each, and prints
# how long that took (the `with` block: pool start, submits, results, shutdown), as wall time and as
# this process's CPU time (all its threads).
#   python3 workload.py thread|process N
import sys
import time
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor


def nothing():
    return None


if __name__ == "__main__":
    kind, n = sys.argv[1], int(sys.argv[2])
    start = time.perf_counter()
    cpu = time.process_time()
    with (ThreadPoolExecutor(max_workers=4) if kind == "thread" else ProcessPoolExecutor(max_workers=2)) as pool:
        futures = [pool.submit(nothing) for _ in range(n)]
        for f in futures:
            f.result()
    print("%.6f %.6f" % (time.perf_counter() - start, time.process_time() - cpu))
