"""DOC storage."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rtaprotocol.claim.kinds import ORDER_REFERENCE
from rtaprotocol.errors import (
    RulesTypeError,
)
from rtaprotocol.json import to_jsonable

if TYPE_CHECKING:
    pass


def _listed(value: Any, fld: str) -> list[Any]:
    if not isinstance(value, list):
        raise RulesTypeError(
            "expected a list of dates", value=value, field=fld, reference=ORDER_REFERENCE
        )
    return value


def _shown(value: Any) -> str:
    text = repr(to_jsonable(value))
    return text if len(text) <= 60 else text[:57] + "..."
