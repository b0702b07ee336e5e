"""``python -m cleanrooms_mock serve``: the same as the ``cleanrooms-mock`` command."""

import sys

from .cli import main

sys.exit(main())
