"""Tests for the claim package's layout: rtaprotocol/claim/__init__.py (issue 25).

The rules of the claim are tested in tests/test_claim.py through ``rtaprotocol.claim``;
these tests keep the package that holds them as docs/maintaining.md ("Where the claim
lives") describes it: modules that build on each other without a cycle, every name the
old module gave still given by the package, and the map in the docs naming every module.
"""

from __future__ import annotations

import ast
import importlib
import re
from pathlib import Path

import pytest

import rtaprotocol.claim as claim

PACKAGE = Path(claim.__file__).parent
MAINTAINING = Path(__file__).resolve().parent.parent / "docs" / "maintaining.md"

#: The modules in the order they build on each other (claim/__init__.py says so too): each
#: imports, at run time, only modules before it. snapshot comes last: the façade loads it
#: on first use, and it reads the whole package.
LAYERS = [
    "kinds",
    "events",
    "deadlines",
    "state",
    "liability",
    "interim",
    "medical",
    "payment",
    "negotiation",
    "court",
    "transitions",
    "queries",
    "routes",
    "views",
    "storage",
    "facade",
    "snapshot",
]

#: Private names other modules and tests read from ``rtaprotocol.claim`` (the JSON schemas
#: read the event table, snapshots the state class, the tests the probes).
PRIVATE_EXPORTS = {
    "_ACTOR": "kinds",
    "_SPEC": "events",
    "_FIELD_SCHEMAS": "events",
    "_DEFAULTS": "events",
    "_EnumField": "events",
    "_event_id": "events",
    "_json_field": "events",
    "_read_events": "events",
    "_State": "state",
    "_Interim": "state",
    "_replace": "state",
    "_calendar": "transitions",
    "_probes": "queries",
}


def _runtime_imports(path: Path) -> set[str]:
    """The package modules ``path`` imports when it is loaded (not for the type checker)."""
    found: set[str] = set()
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.ImportFrom) and node.module is not None:
            if node.module.startswith("rtaprotocol.claim."):
                found.add(node.module.rsplit(".", 1)[1])
            elif node.module in ("rtaprotocol", "rtaprotocol.claim"):
                found.update(a.name for a in node.names if a.name != "claim")
    return found


def test_the_layers_name_every_module():
    """LAYERS lists each module of the package once (a new module takes its place in it)."""
    modules = {p.stem for p in PACKAGE.glob("*.py")} - {"__init__"}
    assert sorted(LAYERS) == sorted(modules)


@pytest.mark.parametrize("module", LAYERS)
def test_a_module_imports_only_the_modules_before_it(module):
    """No import cycle inside the package: each module builds on those before it only
    (docs/maintaining.md, "Where the claim lives"); so any one imports first, alone."""
    before = set(LAYERS[: LAYERS.index(module)])
    imported = _runtime_imports(PACKAGE / f"{module}.py") & set(LAYERS)
    assert imported <= before, f"{module} imports {sorted(imported - before)} from below it"


def test_the_package_exports_what_the_module_did():
    """Every public name, and each private one read elsewhere, is the object its module
    defines: public import paths did not change with the split (issue 25)."""
    for name in claim.__all__:
        obj = getattr(claim, name)
        home = getattr(obj, "__module__", None)
        if isinstance(obj, type):
            assert home is not None
            assert home.startswith("rtaprotocol.claim."), name
            assert getattr(importlib.import_module(home), name) is obj
    for name, module in PRIVATE_EXPORTS.items():
        assert getattr(claim, name) is getattr(
            importlib.import_module(f"rtaprotocol.claim.{module}"), name
        )


def test_the_enums_and_classes_keep_their_names():
    """A public class's name, and so its repr and its JSON, is what it was before the
    split: ``Step.OFFER`` still shows as ``<Step.OFFER: 'offer'>``."""
    assert repr(claim.Step.OFFER) == "<Step.OFFER: 'offer'>"
    assert repr(claim.Claim()) == "<Claim: start, 0 events>"
    assert claim.Claim.__qualname__ == "Claim"


def test_maintaining_maps_every_module():
    """docs/maintaining.md's map of the package names each of its modules, and no other."""
    text = MAINTAINING.read_text(encoding="utf-8")
    section = text.split("## Where the claim lives", 1)[1].split("\n## ", 1)[0]
    mapped = set(re.findall(r"^\| `claim/(\w+)\.py` \|", section, flags=re.MULTILINE))
    assert mapped == set(LAYERS)


def test_every_public_class_has_its_notebook_views():
    """The package gives each public attrs class its notebook views, as each public module
    does (rtaprotocol._views.install_views over the package's ``__all__``): a Claim shown
    in IPython reads as its text view, not as an attrs repr (issue 26)."""
    import attrs

    classes = [getattr(claim, n) for n in claim.__all__]
    views = [c for c in classes if isinstance(c, type) and attrs.has(c)]
    assert {c.__name__ for c in views} >= {"Claim", "ClaimEvent", "ClaimNextSteps", "Deadline"}
    for cls in views:
        assert "_repr_pretty_" in vars(cls), cls.__name__
        assert "_repr_html_" in vars(cls), cls.__name__
