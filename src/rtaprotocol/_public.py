"""Public names defined in private modules answer to the public module's path.

Two layouts keep code out of the module users import (issue 25):

- ``rtaprotocol.batch``, ``rtaprotocol.losses`` (and ``rtaprotocol.claim``) are packages
  whose modules follow their sections; users import from the package;
- a public rules module (``rtaprotocol.eligibility``, ``rtaprotocol.tariff``, ...) keeps its
  rules and imports the parts that are not (its facts and their JSON reading, its views,
  its tables) from private sibling modules (``rtaprotocol._eligibility_facts``, ...).

:func:`publish` gives each such public class and function (and a public class's methods,
properties and nested classes) the public module as its ``__module__``, so a pickle, a
doctest's name, ``help()``, the docs and the API listing read
``rtaprotocol.batch.value_claims`` or ``rtaprotocol.eligibility.ClaimFacts`` where users
import them, and a later move between private modules changes none of them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from types import FunctionType
from typing import Any, Final

__all__ = ["publish"]


#: mutmut (scripts/mutation.sh) keeps its copies of a method in the class, named
#: ``xǁClassǁmethod__mutmut_orig`` and ``..._N``, and matches them to the mutant under test
#: by their ``__module__``: they keep the module they were written in.
_MUTMUT: Final = "__mutmut_"


def _functions(cls: type) -> Iterable[Any]:
    """Yield the functions a class defines (methods, properties' accessors, nested classes')."""
    for name, value in vars(cls).items():
        if _MUTMUT in name:
            continue
        member = value.__func__ if isinstance(value, staticmethod | classmethod) else value
        if isinstance(member, property):
            yield from (f for f in (member.fget, member.fset, member.fdel) if f is not None)
        elif isinstance(member, FunctionType):
            yield member
        elif isinstance(member, type) and member.__module__ == cls.__module__:
            yield member
            yield from _functions(member)


def publish(namespace: Mapping[str, Any], names: Iterable[str] | None = None) -> None:
    """Set ``__module__`` to the namespace's module on each public class and function.

    ``namespace`` is the public module's ``globals()``. Without ``names``, every name of
    its ``__all__`` defined in one of its own submodules (a package's layout); with
    ``names``, each named class or function wherever it was defined (a rules module's
    private parts). Values that are not classes or functions (constants) are left alone.
    Doctests follow: a class's doctests and its methods' run once, as the public
    module's, under their public names (a doctest runs with the public module's globals,
    so it imports what it uses).

    >>> import rtaprotocol.losses
    >>> rtaprotocol.losses.LossItem.__module__, rtaprotocol.losses.LossItem.to_dict.__module__
    ('rtaprotocol.losses', 'rtaprotocol.losses')
    >>> import rtaprotocol.eligibility as e
    >>> e.ClaimFacts.__module__
    'rtaprotocol.eligibility'
    """
    target = namespace["__name__"]
    chosen = namespace["__all__"] if names is None else names
    for name in chosen:
        obj = namespace[name]
        home = getattr(obj, "__module__", None)
        if not isinstance(home, str) or home == target:
            continue
        if names is None and not home.startswith(target + "."):
            continue
        if not (isinstance(obj, type) or callable(obj)):
            continue
        if isinstance(obj, type):
            for member in list(_functions(obj)):
                if getattr(member, "__module__", None) == home:
                    member.__module__ = target
        obj.__module__ = target
