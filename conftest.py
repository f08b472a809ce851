"""Shared test settings: progress bars off (also inside nbval's kernels, which inherit
the environment), so stored notebook outputs and test runs see the same thing."""

import os

os.environ["GAN_UTILS_PROGRESS"] = "0"
