import sys
from concurrent.futures import ThreadPoolExecutor
import time

executor = ThreadPoolExecutor(max_workers=2)
late = executor.submit(time.sleep, 0.2)
executor.shutdown(wait=False)
print("leaving", flush=True)
sys.exit(int(sys.argv[1]) if sys.argv[1].isdigit() else sys.argv[1])
