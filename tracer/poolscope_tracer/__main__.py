"""python3 -m poolscope_tracer ...   or   python3 .../poolscope_tracer/__main__.py ..."""

import sys

if not __package__:
    # Run by path: this file's directory is sys.path[0]; the package's parent must be there instead.
    import os

    sys.path[0] = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

from poolscope_tracer._cli import main  # noqa: E402

if __name__ == "__main__":
    status = main()
    if status:
        sys.exit(status)
