"""A program that uses no executor."""
import os
import sys

print(__name__, __doc__, __file__ == os.path.abspath(sys.argv[0]))
print(sys.argv)
print(sys.path[0] == os.path.dirname(os.path.realpath(__file__)))
print(sorted(k for k in globals() if k.startswith("__")))
print(type(__builtins__).__name__, __spec__, __package__, __loader__.__class__.__name__)
import __main__
print("main is this module:", __main__.__dict__ is globals())
print("concurrent.futures" in sys.modules, "multiprocessing" in sys.modules)
sys.stderr.write("to stderr\n")
