"""Name a rules module's parts, defined in its private modules, as the public module's.

A public rules module (``rtaprotocol.eligibility``, ...) keeps its rules and imports
the parts that are not (its facts and their JSON reading, its views, ...) from private
modules along its own sections (issue 25). :func:`adopt` gives each such public class
and function the public module's name, so reprs, the docs, pickles, the API listing and
doctest discovery see them where users import them; the code itself is unchanged.

>>> import rtaprotocol.eligibility as e
>>> e.ClaimFacts.__module__
'rtaprotocol.eligibility'
"""

from __future__ import annotations

from collections.abc import Iterable, MutableMapping
from types import FunctionType
from typing import Any

__all__ = ["adopt"]


def _functions(obj: Any) -> Iterable[Any]:
    """Yield the functions a class defines (methods, properties' accessors, nested classes')."""
    for value in vars(obj).values():
        member = value.__func__ if isinstance(value, staticmethod | classmethod) else value
        if isinstance(member, property):
            yield from (f for f in (member.fget, member.fset, member.fdel) if f is not None)
        elif isinstance(member, FunctionType):
            yield member
        elif isinstance(member, type) and member.__module__ == obj.__module__:
            yield member
            yield from _functions(member)


def adopt(namespace: MutableMapping[str, Any], names: Iterable[str]) -> None:
    """Set ``__module__`` of each named class or function (and its methods) to the namespace's."""
    module = namespace["__name__"]
    for name in names:
        obj = namespace[name]
        if not isinstance(obj, type) and not callable(obj):
            continue
        if isinstance(obj, type):
            home = obj.__module__
            for member in list(_functions(obj)):
                if getattr(member, "__module__", None) == home:
                    member.__module__ = module
        obj.__module__ = module
