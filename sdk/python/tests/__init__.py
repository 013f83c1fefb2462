# `python3 -m unittest` from sdk/python finds the package in src/ without installing it.
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "src"))
