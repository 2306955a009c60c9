"""Two spawned worker processes count primes; watch them start before the first task runs.

    poolscope examples/spawn_process_pool.py
"""
import multiprocessing
import time
from concurrent.futures import ProcessPoolExecutor


def count_primes(limit):
    return sum(1 for n in range(2, limit) if all(n % d for d in range(2, int(n**0.5) + 1)))


if __name__ == "__main__":
    started = time.perf_counter()
    with ProcessPoolExecutor(max_workers=2, mp_context=multiprocessing.get_context("spawn")) as pool:
        print("Primes below each limit:", list(pool.map(count_primes, [20000, 40000, 30000, 10000, 25000])))
    print(f"Process pool: {(time.perf_counter() - started) * 1000:.0f}ms")
