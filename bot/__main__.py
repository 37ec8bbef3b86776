"""`python -m bot COMMAND ...`: a thin command line over the library."""

from __future__ import annotations

import sys

from bot.cli import main

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
