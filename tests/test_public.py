"""Tests for rtaprotocol._public: a package's public names answer to the package (issue 25).

``rtaprotocol.batch`` and ``rtaprotocol.losses`` were modules; split into packages, every
public name keeps the path it had, for pickles, doctest names and ``help()``.
"""

from __future__ import annotations

import doctest
import pickle
import sys
import types

import pytest

import rtaprotocol.batch
import rtaprotocol.losses
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
