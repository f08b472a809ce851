"""``python -m gan_utils``: see :mod:`gan_utils.cli`."""

import sys

from .cli import main

sys.exit(main())
