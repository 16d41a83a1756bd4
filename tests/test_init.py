"""Tests for the public surface: rtaprotocol/__init__.py."""

from __future__ import annotations

import enum
import importlib
import inspect
import pkgutil
import re
import subprocess
import sys
from pathlib import Path

import pytest

import rtaprotocol
from golden_files import assert_matches

#: Modules whose names are not re-exported: private helpers, the CLI, the batch path
#: (an optional extra that imports numpy and pandas), and the provenance namespaces, read
#: as ``rtaprotocol.sources.SOURCES``, ``rtaprotocol.schemas.schema(name)`` and
#: ``rtaprotocol.coverage.guide_sections()``; the JSON contract, read as
#: ``rtaprotocol.json.loads`` (its names would shadow the standard library's at the top).
GOLDEN_API = Path(__file__).parent / "golden" / "api.txt"

NOT_REEXPORTED = {
    "rtaprotocol.batch",
    "rtaprotocol.cli",
    "rtaprotocol.plot",  # the plot extra (matplotlib), imported explicitly like batch
    "rtaprotocol.coverage",
    "rtaprotocol.json",
    "rtaprotocol.schemas",
    "rtaprotocol.sources",
}


def public_modules():
    for info in pkgutil.iter_modules(rtaprotocol.__path__, "rtaprotocol."):
        short = info.name.rsplit(".", 1)[1]
        if short.startswith("_") or info.name in NOT_REEXPORTED:
            continue
        yield info.name


def test_all_is_sorted_and_unique():
    """__all__ is static, unique and in ruff's (isort-style) order."""
    names = rtaprotocol.__all__
    assert len(names) == len(set(names))

    def key(name):
        kind = 0 if name.isupper() else (1 if name[0].isupper() else 2)
        return (kind, name)

    assert names == sorted(names, key=key)


def test_every_name_in_all_resolves():
    """Each name in __all__ imports from the top level."""
    for name in rtaprotocol.__all__:
        assert getattr(rtaprotocol, name) is not None


def test_locations_match_all():
    """The lazy-import table lists exactly the names in __all__."""
    assert set(rtaprotocol._LOCATIONS) == set(rtaprotocol.__all__)


@pytest.mark.parametrize("module_name", sorted(public_modules()))
def test_every_public_name_is_reexported(module_name):
    """Every name in a public module's __all__ is in rtaprotocol.__all__, from that module."""
    module = importlib.import_module(module_name)
    for name in module.__all__:
        assert name in rtaprotocol.__all__, f"{module_name}.{name}"
        assert getattr(rtaprotocol, name) is getattr(module, name)


def test_unknown_attribute():
    """A missing name raises AttributeError, as for any module."""
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        rtaprotocol.nope  # noqa: B018


def test_dir_lists_public_names():
    """dir() shows the lazy names too (for notebooks' completion)."""
    assert set(rtaprotocol.__all__) <= set(dir(rtaprotocol))


def test_import_is_light():
    """`import rtaprotocol` imports neither holidays nor numpy nor pandas."""
    code = (
        "import sys, rtaprotocol; "
        "print(sorted(m for m in ('holidays', 'numpy', 'pandas') if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"


def test_version():
    """The package has a version string."""
    assert rtaprotocol.__version__.count(".") == 2


# --- The public API listing (issue 25) -------------------------------------------------
#: Modules listed beside the top level: every public module but the optional extras (batch
#: needs pandas, plot matplotlib) and the CLI (its contract is its commands, tested apart).
API_MODULES_SKIPPED = {"rtaprotocol.batch", "rtaprotocol.plot", "rtaprotocol.cli"}


def _signature(obj: object) -> str:
    try:
        text = str(inspect.signature(obj))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return "(?)"
    return re.sub(r" at 0x[0-9a-f]+", "", text)  # a sentinel default's address varies


def _describe(name: str, obj: object) -> list[str]:
    """The lines of the listing for one public name: its kind and its signature(s)."""
    if isinstance(obj, type) and issubclass(obj, enum.Enum):
        members = ", ".join(f"{m.name}={m.value!r}" for m in obj)
        return [f"{name}: enum [{members}]"]
    if isinstance(obj, type):
        lines = [f"{name}: class{_signature(obj)}"]
        for attr, value in sorted(vars(obj).items()):
            # "__mutmut_": the copies mutmut adds beside a method it mutates (only in the
            # mutation copy, scripts/mutation.sh); the method itself is listed.
            if attr.startswith("_") or "__mutmut_" in attr:
                continue
            if isinstance(value, property):
                lines.append(f"    .{attr}: property")
            elif isinstance(value, (staticmethod, classmethod)):
                lines.append(f"    .{attr}{_signature(value.__func__)}")
            elif callable(value):
                lines.append(f"    .{attr}{_signature(value)}")
        return lines
    if callable(obj):
        return [f"{name}{_signature(obj)}"]
    return [f"{name}: {type(obj).__name__}"]


def api_listing() -> str:
    """Render the public API: each module's ``__all__`` with every public signature."""
    submodules = sorted(
        info.name
        for info in pkgutil.iter_modules(rtaprotocol.__path__, "rtaprotocol.")
        if not info.name.rsplit(".", 1)[1].startswith("_") and info.name not in API_MODULES_SKIPPED
    )
    modules = ["rtaprotocol", *submodules]
    out: list[str] = []
    for module_name in modules:
        module = importlib.import_module(module_name)
        out.append(f"## {module_name}")
        for name in sorted(getattr(module, "__all__", ())):
            out.extend(_describe(name, getattr(module, name)))
        out.append("")
    return "\n".join(out)


def test_public_api_listing_is_unchanged():
    """rtaprotocol.__all__ and every public signature match tests/golden/api.txt (issue 25).

    A move (data files, module splits) must not change the public surface; a deliberate
    change regenerates the listing with RTAPROTOCOL_UPDATE_GOLDEN=1 and the diff is reviewed.
    """
    assert_matches(GOLDEN_API, api_listing(), "the public API listing")
