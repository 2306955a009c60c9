# multiprocessing.Pool and subprocess are not traced, but must run as they do untraced.
import multiprocessing
import subprocess
import sys


def cube(n):
    return n ** 3


if __name__ == "__main__":
    with multiprocessing.Pool(2) as pool:
        print(pool.map(cube, range(5)))
    child = subprocess.run([sys.executable, "-c", "print('from a child')"], capture_output=True, text=True)
    print(child.stdout.strip(), child.returncode)
