# Threads of the program's own that submit, wait and complete futures.
import threading
from concurrent.futures import ThreadPoolExecutor
import time


def nap(seconds):
    time.sleep(seconds)
    return seconds


executor = ThreadPoolExecutor(max_workers=2)
results = []


def client():
    results.append(executor.submit(nap, 0.05).result())


clients = [threading.Thread(target=client, name="client-%d" % n) for n in range(2)]
for c in clients:
    c.start()
for c in clients:
    c.join()
executor.shutdown()
print(sorted(results))
