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
from typing import Any

__all__ = ["publish"]


def _functions(cls: type) -> Iterable[Any]:
    for value in vars(cls).values():
        inner = value.__func__ if isinstance(value, staticmethod | classmethod) else value
        function = inner.fget if isinstance(inner, property) else inner
        if inspect.isfunction(function):
            yield function


def publish(namespace: Mapping[str, Any], extra: Iterable[str] = ()) -> None:
    """Set ``__module__`` to the package's name on every public name from its submodules.

    ``namespace`` is the package's ``globals()``; ``extra`` names public classes that are
    not in ``__all__`` (results of a public function). Doctests follow: a class's doctests
    and its methods' run once, as the package's, under their public names.

    >>> import rtaprotocol.losses
    >>> rtaprotocol.losses.LossItem.__module__, rtaprotocol.losses.LossItem.to_dict.__module__
    ('rtaprotocol.losses', 'rtaprotocol.losses')
    """
    package = namespace["__name__"]
    for name in (*namespace["__all__"], *extra):
        obj = namespace[name]
        module = getattr(obj, "__module__", None)
        if not isinstance(module, str) or not module.startswith(package + "."):
            continue
        if isinstance(obj, type):
            for function in _functions(obj):
                if function.__module__ == module:
                    function.__module__ = package
        obj.__module__ = package
