"""Tests for rtaprotocol._public: public names answer to the public module (issue 25).

``rtaprotocol.batch`` and ``rtaprotocol.losses`` were modules; split into packages, every
public name keeps the path it had, for pickles, doctest names and ``help()``. The large
rules modules keep their rules and import their other parts from private modules
(``_eligibility_facts``, ``_offers_events``, ``_tariff_tables``, ``_routing_limits``,
``_lowvalue_costs``, ...); every public class and function is named after the module users
import it from, so reprs, the docs, pickles, the API listing and doctest discovery are what
they were before the move.
"""

from __future__ import annotations

import doctest
import importlib
import inspect
import pickle
import sys
import types
from datetime import date

import pytest

import rtaprotocol.batch
import rtaprotocol.losses
from rtaprotocol import _public
from rtaprotocol._public import publish
from rtaprotocol.losses import ListOfLosses, LossItem


@pytest.mark.parametrize("package", [rtaprotocol.batch, rtaprotocol.losses])
def test_every_public_name_answers_to_its_package(package):
    """Each class and function of the package's __all__ has the package as __module__, and
    no method of a public class names a submodule (their doctests are found as the
    package's)."""
    checked = 0
    for name in package.__all__:
        obj = getattr(package, name)
        if isinstance(obj, type) or callable(obj):
            assert obj.__module__ == package.__name__, name
            checked += 1
        if isinstance(obj, type):
            for attr, value in vars(obj).items():
                if "__mutmut_" in attr:
                    # mutmut's copies keep their own module (rtaprotocol._public._MUTMUT)
                    continue
                module = getattr(value, "__module__", None) if callable(value) else None
                # none names a submodule (rtaprotocol._views' additions keep their own)
                assert not str(module).startswith(package.__name__ + "."), f"{name}.{attr}"
    assert checked >= 10


def test_a_pickle_names_the_public_path():
    """A pickled value names rtaprotocol.losses.LossItem, as before the split, and loads."""
    item = LossItem("property-excess", 200)
    data = pickle.dumps(ListOfLosses(injury=10).add(item))
    assert b"rtaprotocol.losses\x94" in data
    assert b"rtaprotocol.losses.items" not in data
    assert pickle.loads(data).items == (item,)


def test_method_doctests_are_found_once_from_the_package():
    """The doctests of a class's methods are collected from the package (their public
    names), and not again from the module that defines them."""
    finder = doctest.DocTestFinder()
    names = {t.name for t in finder.find(rtaprotocol.losses) if t.examples}
    assert "rtaprotocol.losses.ListOfLosses.add" in names
    assert "rtaprotocol.losses.LossItem.from_dict" in names
    from rtaprotocol.losses import list_of_losses

    assert not [t for t in finder.find(list_of_losses) if t.examples]


def _package(monkeypatch):
    """A throwaway package ``pkg`` whose submodule ``pkg.sub`` defines a class and a
    function (with mutmut's copy of a method), published from the package."""
    sub = types.ModuleType("pkg.sub")
    exec(
        "class Thing:\n"
        "    def shown(self):\n        return 1\n"
        "    def xǁThingǁshown__mutmut_orig(self):\n        return 1\n"
        "def make():\n    return Thing()\n",
        sub.__dict__,
    )
    monkeypatch.setitem(sys.modules, "pkg.sub", sub)
    namespace = {"__name__": "pkg", "__all__": ["Thing", "make", "ZERO", "publish"]}
    namespace.update(Thing=sub.Thing, make=sub.make, ZERO=0, publish=publish)
    return namespace, sub


def test_mutmut_copies_keep_their_module(monkeypatch):
    """mutmut's copies of a method keep the module they were written in (mutmut matches the
    mutant under test by it), while the method itself answers to the package."""
    namespace, sub = _package(monkeypatch)
    publish(namespace)
    thing = sub.Thing
    assert thing.__module__ == "pkg"
    assert thing.shown.__module__ == "pkg"
    assert vars(thing)["xǁThingǁshown__mutmut_orig"].__module__ == "pkg.sub"
    assert sub.make.__module__ == "pkg"


def test_names_from_elsewhere_are_left_alone(monkeypatch):
    """A public name defined outside the package (a helper it re-exports, a plain value)
    keeps its own module: only the package's submodules are rewritten."""
    namespace, _ = _package(monkeypatch)
    publish(namespace)
    assert publish.__module__ == "rtaprotocol._public"


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
                # mutmut's copies of a method (``xǁClassǁm__mutmut_orig``, only in its
                # mutated tree, scripts/mutation.sh) are reached through the method itself
                if inspect.isfunction(member) and "__mutmut_" not in attr:
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
            and "__mutmut_" not in n  # mutmut's copies (scripts/mutation.sh), reached via n
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


def test_publish_with_names_renames_classes_functions_and_their_methods():
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
    _public.publish(namespace, ["Thing", "function", "N"])
    assert Thing.__module__ == function.__module__ == "somewhere.public"
    assert Thing.method.__module__ == "somewhere.public"
    assert Thing.prop.fget.__module__ == "somewhere.public"
    assert Thing.static.__module__ == "somewhere.public"
    assert namespace["N"] == 5


@pytest.mark.parametrize("part", sorted(p for parts in SPLIT.values() for p in parts))
def test_moved_examples_also_run_in_their_own_module(part):
    """Every example of a moved function or class runs in its private module's globals too.

    Doctest runs a published name's examples in the public module, where every public name
    is defined. mutmut's copies of a function (scripts/mutation.sh) keep the private
    module's name, so its whole-suite pass runs their examples there: an example that uses
    a public name without importing it failed tariff's run (``tariff_amount`` in
    ``what_if_tariff_table``). Each example imports what its private module lacks.
    """
    module = importlib.import_module(f"rtaprotocol.{part}")
    path = inspect.getsourcefile(module)
    finder = doctest.DocTestFinder()
    flags = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
    failed = []
    for name, obj in list(vars(module).items()):
        inner = inspect.unwrap(obj) if callable(obj) else obj
        if not (inspect.isfunction(inner) or inspect.isclass(inner)):
            continue
        if inner.__qualname__ != name or inspect.getsourcefile(inner) != path:
            continue
        for test in finder.find(inner, name, globs=dict(vars(module))):
            runner = doctest.DocTestRunner(optionflags=flags)
            if runner.run(test, out=lambda _text: None).failed:
                failed.append(test.name)
    assert failed == []
