"""``python -m glass_sym`` is the ``glass-sym`` command."""

import sys

from .cli import main

sys.exit(main())
