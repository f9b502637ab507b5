"""The ``nano-tui`` command, and ``python -m nano_tui``.

The collector is held before the command line is even imported: argparse and the modules a command
loads allocate thousands of objects that live as long as the process, and collecting while they load
finds nothing to free (see :mod:`nano_tui.collector`; ``cli.main`` settles it once the command's
modules are in)."""

from __future__ import annotations

import sys

from nano_tui.collector import hold


def main() -> int:
    hold()
    from nano_tui.cli import main as run_command

    return run_command()


if __name__ == "__main__":
    sys.exit(main())
