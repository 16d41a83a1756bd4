"""``python -m rtaprotocol.cli``."""

from rtaprotocol.cli import main

raise SystemExit(main())
