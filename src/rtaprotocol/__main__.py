"""``python -m rtaprotocol``: the ``rtaprotocol`` command, for when the script is not on PATH."""

from rtaprotocol.cli import main

raise SystemExit(main())
