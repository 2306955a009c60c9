# Keeps threads and worker processes busy until it is killed.
import multiprocessing
import os
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor


def nap(seconds, markers=None):
    if markers:
        open(os.path.join(markers, str(os.getpid())), "w").close()
    time.sleep(seconds)
    return seconds


if __name__ == "__main__":
    markers = tempfile.mkdtemp()
    threads = ThreadPoolExecutor(max_workers=2)
    processes = ProcessPoolExecutor(max_workers=2, mp_context=multiprocessing.get_context(sys.argv[1]))
    done = [threads.submit(nap, 0), processes.submit(nap, 0)]
    for future in done:
        future.result()
    busy = [threads.submit(nap, 60) for _ in range(3)] + [processes.submit(nap, 60, markers) for _ in range(3)]
    while not (all(f.running() for f in busy[:2]) and len(os.listdir(markers)) == 2):
        time.sleep(0.01)
    for name in os.listdir(markers):
        os.unlink(os.path.join(markers, name))
    os.rmdir(markers)
    print("ready", flush=True)
    time.sleep(60)
