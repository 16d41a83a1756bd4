"""Public names defined in a package's submodules answer to the package's own path.

``rtaprotocol.batch`` and ``rtaprotocol.losses`` are packages whose modules follow their
sections; users import from the package. :func:`publish` gives each name of the package's
``__all__`` (and the methods of a public class) the package as its ``__module__``, so a
pickle, a doctest's name and ``help()`` read ``rtaprotocol.batch.value_claims`` as they
did before the split, and a later move between submodules changes none of them.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterable, Mapping
from typing import Any, Final

__all__ = ["publish"]


#: mutmut (scripts/mutation.sh) keeps its copies of a method in the class, named
#: ``xǁClassǁmethod__mutmut_orig`` and ``..._N``, and matches them to the mutant under test
#: by their ``__module__``: they keep the module they were written in.
_MUTMUT: Final = "__mutmut_"


def _functions(cls: type) -> Iterable[Any]:
    for name, value in vars(cls).items():
        if _MUTMUT in name:
            continue
        inner = value.__func__ if isinstance(value, staticmethod | classmethod) else value
        function = inner.fget if isinstance(inner, property) else inner
        if inspect.isfunction(function):
            yield function


def publish(namespace: Mapping[str, Any]) -> None:
    """Set ``__module__`` to the package's name on every public name from its submodules.

    ``namespace`` is the package's ``globals()``. Doctests follow: a class's doctests and
    its methods' run once, as the package's, under their public names (a doctest runs
    with the package's globals, so it imports what it uses).

    >>> import rtaprotocol.losses
    >>> rtaprotocol.losses.LossItem.__module__, rtaprotocol.losses.LossItem.to_dict.__module__
    ('rtaprotocol.losses', 'rtaprotocol.losses')
    """
    package = namespace["__name__"]
    for name in namespace["__all__"]:
        obj = namespace[name]
        module = getattr(obj, "__module__", None)
        if not isinstance(module, str) or not module.startswith(package + "."):
            continue
        if isinstance(obj, type):
            for function in _functions(obj):
                if function.__module__ == module:
                    function.__module__ = package
        obj.__module__ = package
