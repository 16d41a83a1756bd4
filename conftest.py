"""Collection rules for the whole suite (tests/conftest.py holds the Hypothesis profiles).

rtaprotocol.plot's doctests draw with matplotlib, the optional ``plot`` extra. The README's
test command and CI install it, and there the doctests always run (with ``CI=true`` a
missing matplotlib fails them). Elsewhere, in an environment without the extra, they are
left out rather than failing on the import.
"""

from __future__ import annotations

import importlib.util
import os

collect_ignore: list[str] = []
if importlib.util.find_spec("matplotlib") is None and os.environ.get("CI") != "true":
    collect_ignore.append("src/rtaprotocol/plot.py")
