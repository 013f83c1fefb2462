# `python3 -m unittest` from deploy/local/demo-steps: the demo modules sit one directory up.
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
