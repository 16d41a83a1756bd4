"""Tests for rtaprotocol/_reexport.py: the rules modules' parts keep their public names.

Issue 25 splits the large rules modules along their own sections into private modules
(``_eligibility_facts``, ``_offers_events``, ``_tariff_tables``, ``_routing_limits``,
``_lowvalue_costs``, ...) and keeps the public import paths: every public class and
function is named after the module users import it from, so reprs, the docs, pickles,
the API listing and doctest discovery are what they were before the move.
"""

from __future__ import annotations

import doctest
import importlib
import inspect
import pickle
from datetime import date

import pytest

from rtaprotocol import _reexport

SPLIT = {
    "eligibility": ("_eligibility_facts", "_eligibility_parts", "_eligibility_exits"),
    "offers": ("_offers_events", "_offers_transitions"),
    "tariff": ("_tariff_tables", "_tariff_whatif"),
    "routing": ("_routing_limits", "_routing_facts", "_routing_route"),
    "lowvalue": ("_lowvalue_protocols", "_lowvalue_costs"),
}


@pytest.mark.parametrize("name", sorted(SPLIT))
def test_every_public_name_is_the_public_modules(name):
    """Every class and function in a split module's __all__ is named after that module.

    Its methods too, so that doctest finds their examples where users import them.
    """
    module = importlib.import_module(f"rtaprotocol.{name}")
    parts = {f"rtaprotocol.{p}" for p in SPLIT[name]}
    named = 0
    for public in module.__all__:
        obj = getattr(module, public)
        if not (inspect.isclass(obj) or inspect.isfunction(obj)):
            continue
        assert obj.__module__ not in parts, public
        named += obj.__module__ == module.__name__
        if inspect.isclass(obj):
            for attr, member in vars(obj).items():
                if inspect.isfunction(member):
                    assert member.__module__ not in parts, f"{public}.{attr}"
    assert named


@pytest.mark.parametrize("name", sorted(SPLIT))
def test_the_private_parts_define_what_the_public_module_names(name):
    """Each private part's own definitions are the public module's objects (one of each)."""
    module = importlib.import_module(f"rtaprotocol.{name}")
    for part in SPLIT[name]:
        private = importlib.import_module(f"rtaprotocol.{part}")
        own = [
            n
            for n, v in vars(private).items()
            if (inspect.isclass(v) or inspect.isfunction(v))
            and v.__module__ in {private.__name__, module.__name__}
            and getattr(v, "__qualname__", n) == n
        ]
        assert own, part
        for n in own:
            assert getattr(module, n) is getattr(private, n), f"{part}.{n}"


@pytest.mark.parametrize("name", sorted(SPLIT))
def test_doctests_of_moved_code_are_found_once(name):
    """The examples of the moved public names are found under the public module, and no
    example is found twice (the private module skips what the public one names)."""
    finder = doctest.DocTestFinder()
    module = importlib.import_module(f"rtaprotocol.{name}")
    public = {t.name for t in finder.find(module) if t.examples}
    private: set[str] = set()
    for part in SPLIT[name]:
        private |= {
            t.name.split(".", 2)[2]
            for t in finder.find(importlib.import_module(f"rtaprotocol.{part}"))
            if t.examples
        }
    public_names = {n.split(".", 2)[2] for n in public if n.count(".") >= 2}
    assert not public_names & private
    moved = [n for n in module.__all__ if getattr(getattr(module, n), "__doc__", None)]
    assert any(n.startswith(f"rtaprotocol.{name}.") for n in public), moved


def test_moved_results_pickle_and_compare():
    """A result built by moved code pickles by its public path and reads back equal."""
    from rtaprotocol.eligibility import ClaimFacts, check_eligibility
    from rtaprotocol.offers import Negotiation, Party
    from rtaprotocol.tariff import TARIFF_TABLES

    facts = ClaimFacts(accident_date=date(2024, 1, 5), entry_date=date(2024, 2, 1))
    neg = Negotiation().offer(Party.COMPENSATOR, 1000, on=date(2024, 3, 1))
    for value in (facts, check_eligibility(facts), neg, TARIFF_TABLES[0]):
        assert b"rtaprotocol._" not in pickle.dumps(value) or type(value).__name__ == "Negotiation"
        assert pickle.loads(pickle.dumps(value)) == value


def test_adopt_renames_classes_functions_and_their_methods():
    """adopt names a class, its methods and property accessors, and a function; it leaves
    values that are neither (a constant) alone."""

    class Thing:
        def method(self) -> int:
            return 1

        @property
        def prop(self) -> int:
            return 2

        @staticmethod
        def static() -> int:
            return 3

    def function() -> int:
        return 4

    namespace = {"__name__": "somewhere.public", "Thing": Thing, "function": function, "N": 5}
    _reexport.adopt(namespace, ["Thing", "function", "N"])
    assert Thing.__module__ == function.__module__ == "somewhere.public"
    assert Thing.method.__module__ == "somewhere.public"
    assert Thing.prop.fget.__module__ == "somewhere.public"
    assert Thing.static.__module__ == "somewhere.public"
    assert namespace["N"] == 5
