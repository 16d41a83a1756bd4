"""Tests for the public surface: rtaprotocol/__init__.py."""

from __future__ import annotations

import importlib
import pkgutil
import subprocess
import sys

import pytest

import rtaprotocol

#: Modules whose names are not re-exported: private helpers, the CLI, the batch path
#: (an optional extra that imports numpy and pandas), and the provenance namespaces, read
#: as ``rtaprotocol.sources.SOURCES``, ``rtaprotocol.schemas.schema(name)`` and
#: ``rtaprotocol.coverage.guide_sections()``; the JSON contract, read as
#: ``rtaprotocol.json.loads`` (its names would shadow the standard library's at the top).
NOT_REEXPORTED = {
    "rtaprotocol.batch",
    "rtaprotocol.cli",
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
