from concurrent.futures import ThreadPoolExecutor

def risky_task(n):
  if n % 3 == 0:
      raise ValueError(f'Bad value: {n}')
  return n * 10

# TODO: Submit tasks for n in 1..6.
# Separate successes from failures.
# Return (successes, errors) as two lists.

def run_with_error_handling():
  successes = []
  errors = []
  with ThreadPoolExecutor(max_workers=4) as executor:
      futures = {executor.submit(risky_task, n): n for n in range(1, 7)}
      for future in futures:
          exc = future.exception()
          if exc:
              errors.append(str(exc))
          else:
              successes.append(future.result())
  return successes, errors

successes, errors = run_with_error_handling()
print('Successes:', sorted(successes))
print('Errors:', sorted(errors))
