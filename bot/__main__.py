"""`python -m bot` does what `harbor run` does."""

import sys

from bot.cli import main

# Guarded: worker processes started with the "spawn" method (the CE chart renderer) import this
# module again, and must not start a second bot.
if __name__ == "__main__":
    sys.exit(main(["run", *sys.argv[1:]]))
