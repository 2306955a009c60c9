"""The scenarios' Python listings (scenarios/*_scenario.py) with their defaults filled in: the programs
the tracer's exercise tests and the tracer's benchmark run. With default parameters each one does and
prints what the practice page's exercise does (tests/scenarios checks that against CPython), so
tracing them is tracing the exercises, in our own words.

Fills the @constants@ line as scenarios/basic_scenario.cpp does (BasicScenario::python_listing):
one `NAME = literal` line per entry of the description's python_constants, in its order.
"""

import json
import os

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SCENARIOS = os.path.join(ROOT, "scenarios")

# The file names the exercises go by (exNN_<the page's topic>.py) and the scenario each one is.
EXERCISES = {
    "ex01_map.py": "map",
    "ex02_submit_result.py": "submit",
    "ex03_exceptions.py": "exceptions",
    "ex04_callbacks.py": "callbacks",
    "ex05_as_completed.py": "as_completed",
    "ex06_wait_first_completed.py": "first_completed",
    "ex07_cpu_bound.py": "cpu_bound",
    "ex08_pipeline.py": "pipeline",
    "ex09_map_timeout.py": "map_timeout",
    "ex10_graceful_shutdown.py": "shutdown",
    "ex11_retry_executor.py": "retry",
}


def _literal(parameter):
    value = parameter["default"]
    kind = parameter["kind"]
    if kind == "integer":
        return str(int(value))
    if kind == "real":
        return repr(float(value))
    if kind == "boolean":
        return repr(value == "true")
    return repr(value)


def render(stem):
    """The listing of scenarios/<stem>_scenario.py with the defaults of its .json."""
    base = os.path.join(SCENARIOS, stem + "_scenario")
    with open(base + ".json", encoding="utf-8") as f:
        description = json.load(f)
    with open(base + ".py", encoding="utf-8") as f:
        program = f.read()
    parameters = {p["name"]: p for p in description["parameters"]}
    block = "".join(
        "%s = %s\n" % (python_name, _literal(parameters[name]))
        for name, python_name in description["python_constants"].items()
    )
    if "@constants@\n" not in program:
        raise ValueError(base + ".py has no @constants@ line")
    return program.replace("@constants@\n", block, 1)


def write(name, directory):
    """Writes exercise `name` (a key of EXERCISES) into `directory`; returns its path."""
    path = os.path.join(directory, name)
    with open(path, "w", encoding="utf-8") as f:
        f.write(render(EXERCISES[name]))
    return path


def line_of(path, text):
    """The number of the first line of `path` that holds `text`."""
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            if text in line:
                return number
    raise ValueError("%s has no line with %r" % (path, text))
