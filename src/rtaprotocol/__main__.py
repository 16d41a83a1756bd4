"""``python -m rtaprotocol``: the command line, the same as the ``rtaprotocol`` script."""

from rtaprotocol.cli import main

raise SystemExit(main())
