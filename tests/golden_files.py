"""Golden files: a rendering compared word for word with its reviewed file.

``RTAPROTOCOL_UPDATE_GOLDEN=1`` writes the file instead (then read its diff before
committing it). Used for the views (tests/golden/views/, tests/test_views.py) and the
refusals (tests/golden/errors/, tests/golden_errors.py).
"""

from __future__ import annotations

import difflib
import os
from pathlib import Path


def assert_matches(path: Path, rendered: str, what: str) -> None:
    """Fail, showing a unified diff, unless ``rendered`` is the text of ``path``."""
    if os.environ.get("RTAPROTOCOL_UPDATE_GOLDEN") == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(rendered, encoding="utf-8")
    assert path.exists(), f"no golden file {path}: regenerate with RTAPROTOCOL_UPDATE_GOLDEN=1"
    expected = path.read_text(encoding="utf-8")
    if rendered != expected:
        diff = "".join(
            difflib.unified_diff(
                expected.splitlines(keepends=True),
                rendered.splitlines(keepends=True),
                "golden",
                "rendered",
            )
        )
        raise AssertionError(f"{what} differ from {path.name}:\n{diff}")
