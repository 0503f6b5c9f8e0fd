"""`python -m partnership_tui.tui`: the same as the `partnership-tui` command."""

import sys

from partnership_tui.tui.cli import main

sys.exit(main())
