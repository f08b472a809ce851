"""Shared test settings.

- Progress bars off (also inside the notebooks' kernels, which inherit the environment), so
  stored notebook outputs and test runs see the same thing.
- Claims strict: ``gan_utils.expect`` raises when a claim of the text does not hold (in a
  student's own session it prints a note instead).
- nbval re-executes every notebook under ``book/`` (pyproject.toml's options) and compares
  each cell's text outputs with the stored ones, except in cells tagged
  ``nbval-ignore-output``. A failure is reported in one line: the notebook, the cell and
  either the first differing line (stored against new) or the error the cell raised. Nothing
  is diffed, so a megabyte-sized output cannot flood the log.
"""

import os

os.environ["GAN_UTILS_PROGRESS"] = "0"
os.environ["GAN_UTILS_CLAIMS"] = "strict"

pytest_plugins = ["tests.nbval_one_line"]
