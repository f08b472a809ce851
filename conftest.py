"""Shared test settings: progress bars off (also inside the notebooks' kernels, which
inherit the environment), so stored notebook outputs and test runs see the same thing;
and the plugin that re-executes the chapters and compares their outputs (tests/nbcheck.py)."""

import os

os.environ["GAN_UTILS_PROGRESS"] = "0"

pytest_plugins = ["tests.nbcheck"]
