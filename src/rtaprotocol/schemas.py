"""The JSON Schemas of every document the library reads or writes, shipped inside the package.

Each schema is a file ``src/rtaprotocol/data/schemas/<name>.schema.json`` (draft 2020-12),
read with :mod:`importlib.resources`, so it is there in an installed wheel as much as in a
checkout. A schema added to that folder appears here without any code change.

>>> "claim-facts" in schema_names()
True
>>> schema("claim-facts")["title"]
'rtaprotocol claim facts'
>>> schema("facts")
Traceback (most recent call last):
...
rtaprotocol.errors.RulesError: name: no such schema; known: ..., event, event-KIND for each event kind, ...: got 'facts' [rtaprotocol schemas]

A schema describes the shape of a document; the rules JSON Schema cannot express (one
date not before another, say) are enforced by the matching ``from_dict`` and each
schema's ``description`` names them.
"""

from __future__ import annotations

import json
from importlib import resources
from typing import TYPE_CHECKING, Any, Final

# Loads the sources registry, so that the reference of each refusal raised here is a
# Reference whose citations resolve: the errors module never imports the registry itself
# (issue 25, no errors <-> sources cycle).
from rtaprotocol import sources as _sources  # noqa: F401
from rtaprotocol.errors import ErrorCode, RulesError

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

__all__ = ["SCHEMA_SUFFIX", "schema", "schema_names", "schema_text"]

#: Every schema file's name ends with this.
SCHEMA_SUFFIX: Final = ".schema.json"
_REFERENCE: Final = "rtaprotocol schemas"


def _folder() -> Traversable:
    return resources.files("rtaprotocol") / "data" / "schemas"


def schema_names() -> tuple[str, ...]:
    """Return the name of every shipped schema, sorted (``claim-facts``, ...).

    >>> names = schema_names()
    >>> names == tuple(sorted(names)) and all("." not in n for n in names)
    True
    """
    return tuple(
        sorted(
            entry.name.removesuffix(SCHEMA_SUFFIX)
            for entry in _folder().iterdir()
            if entry.name.endswith(SCHEMA_SUFFIX) and entry.is_file()
        )
    )


def schema_text(name: str) -> str:
    """Return the schema file ``name`` exactly as shipped (UTF-8 text).

    An unknown name raises :class:`~rtaprotocol.errors.RulesError` listing the known ones.

    >>> schema_text("claim-facts").startswith("{")
    True
    """
    names = schema_names()
    if not isinstance(name, str) or name not in names:
        # One name for the 30-odd event kinds' schemas keeps the refusal one readable line.
        shown = [n for n in names if not n.startswith("event-")]
        if len(shown) < len(names):
            at = shown.index("event") + 1 if "event" in shown else len(shown)
            shown.insert(at, "event-KIND for each event kind")
        raise RulesError(
            "no such schema; known: " + ", ".join(shown) + " (`rtaprotocol schema` lists all)",
            value=name,
            field="name",
            reference=_REFERENCE,
            code=ErrorCode.VALUE_INVALID,
        )
    return (_folder() / f"{name}{SCHEMA_SUFFIX}").read_text(encoding="utf-8")


def schema(name: str) -> dict[str, Any]:
    """Return the schema ``name`` parsed into a new dict (the caller may change its copy).

    >>> s = schema("claim-facts")
    >>> s["$schema"]
    'https://json-schema.org/draft/2020-12/schema'
    >>> s["required"]
    ['accident_date', 'entry_date']
    """
    parsed: dict[str, Any] = json.loads(schema_text(name))
    return parsed
