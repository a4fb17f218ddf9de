"""``python -m glass_sym`` is the ``glass-sym`` command."""

import sys

from glass_sym.cli.main import main

sys.exit(main())
