#!/bin/sh
# Runs the tracer's tests with each interpreter given (default: /usr/bin/python3, the one CI has).
#   tracer/run_tests.sh [PYTHON...]
# Exits non-zero when any run fails. Extra unittest arguments go in POOLSCOPE_TRACER_TESTS
# (for example POOLSCOPE_TRACER_TESTS="test_exercises" to run one module).
set -u
here=$(cd "$(dirname "$0")" && pwd)
[ $# -gt 0 ] || set -- /usr/bin/python3
status=0
for python in "$@"; do
    echo "== $python ($("$python" -c 'import platform; print(platform.python_version())' 2>&1))"
    if [ -n "${POOLSCOPE_TRACER_TESTS:-}" ]; then
        # shellcheck disable=SC2086  # a list of test names, split on purpose
        (cd "$here/tests" && PYTHONDONTWRITEBYTECODE=1 "$python" -m unittest $POOLSCOPE_TRACER_TESTS) || status=1
    else
        (cd "$here/tests" && PYTHONDONTWRITEBYTECODE=1 "$python" -m unittest discover -s . -p 'test_*.py') || status=1
    fi
done
exit $status
