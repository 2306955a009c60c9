import sys
from concurrent.futures import ThreadPoolExecutor

line = "%06d " + "x" * 90 + "\n"
with ThreadPoolExecutor(max_workers=2) as executor:
    for n in executor.map(lambda n: n, range(30000)):
        sys.stdout.write(line % n)
        if n % 10 == 0:
            sys.stderr.write(line % n)
