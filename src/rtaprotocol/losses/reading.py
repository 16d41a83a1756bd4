"""Reading a List of Losses, its items and a CRU certificate from parsed JSON.

Every problem is collected, each with its JSON path, and reported at once as one
:class:`~rtaprotocol.errors.InputError` (schemas list-of-losses and cru-certificate).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Final

from rtaprotocol._checks import (
    MAX_LIST_ITEMS,
    check_bool,
    check_size,
    not_an_object,
    parse_iso_date,
    unknown_keys,
)
from rtaprotocol.errors import (
    ErrorCode,
    InputError,
    RulesError,
    RulesTypeError,
)
from rtaprotocol.losses.items import LossItem, _to_paid_by
from rtaprotocol.losses.loss_types import (
    CRU_SCHEMA_REFERENCE,
    SCHEMA_REFERENCE,
    CruHead,
    LossType,
    _to_stage,
)
from rtaprotocol.money import to_money

if TYPE_CHECKING:
    from rtaprotocol.losses.cru import CruCertificate
    from rtaprotocol.losses.list_of_losses import ListOfLosses

_ITEM_KEYS: Final = (
    "type",
    "amount",
    "description",
    "evidence_held",
    "date_added",
    "paid_by",
    "interim_paid",
)


def _relabel(err: RulesError, path: str) -> RulesError:
    """Return ``err`` with its field turned into a JSON path under ``path``."""
    name = err.field or ""
    return err.evolve(field=f"{path}.{name}" if name else path)


def _json_amount(value: Any, name: str, reference: str) -> Decimal:
    """Read an amount from a file by the library's one number policy (``to_money``)."""
    return to_money(value, field=name, reference=reference)


def _json_date(value: Any, name: str) -> date | None:
    """Read a date from a file by the one date grammar (YYYY-MM-DD, nothing around it)."""
    if value is None:
        return None
    return parse_iso_date(value, field=name, reference=SCHEMA_REFERENCE)


def _item_from_dict(data: Any, path: str, problems: list[RulesError]) -> LossItem | None:
    if not isinstance(data, Mapping):
        problems.append(not_an_object(data, "a loss item", reference=SCHEMA_REFERENCE, field=path))
        return None
    start = len(problems)
    problems.extend(
        unknown_keys(data, _ITEM_KEYS, path=path, reference=SCHEMA_REFERENCE, within="a loss item")
    )
    problems.extend(
        RulesError(
            "required key is missing",
            field=f"{path}.{key}",
            reference=SCHEMA_REFERENCE,
            code=ErrorCode.FIELD_MISSING,
        )
        for key in ("type", "amount")
        if key not in data
    )
    kwargs: dict[str, Any] = {}
    readers: dict[str, Any] = {
        "type": LossType.from_slug,
        "amount": lambda v: _json_amount(v, "amount", SCHEMA_REFERENCE),
        "description": lambda v: v,
        "evidence_held": lambda v: check_bool(v, field="evidence_held", reference=SCHEMA_REFERENCE),
        "date_added": lambda v: _json_date(v, "date_added"),
        "paid_by": _to_paid_by,
        "interim_paid": lambda v: _json_amount(v, "interim_paid", SCHEMA_REFERENCE),
    }
    for key in _ITEM_KEYS:
        if key in data:
            try:
                kwargs[key] = readers[key](data[key])
            except RulesError as err:
                problems.append(_relabel(err, path))
    if len(problems) > start:
        return None
    try:
        return LossItem(**kwargs)
    except RulesError as err:
        problems.append(_relabel(err, path))
        return None


_LIST_KEYS: Final = ("injury", "stage", "general_interim", "items")
_COMPUTED_KEYS: Final = ("totals", "value_limits", "warnings", "reference")


def _list_from_dict(cls: type[ListOfLosses], data: Any) -> ListOfLosses:
    """Build a :class:`~rtaprotocol.losses.ListOfLosses` from parsed JSON, every problem at once."""
    problems: list[RulesError] = []
    if not isinstance(data, Mapping):
        raise InputError(
            [not_an_object(data, "a List of Losses", reference=SCHEMA_REFERENCE)],
            reference=SCHEMA_REFERENCE,
        )
    problems.extend(
        unknown_keys(
            (key for key in data if key not in _COMPUTED_KEYS),
            _LIST_KEYS,
            path="$",
            reference=SCHEMA_REFERENCE,
            within="a List of Losses",
        )
    )
    kwargs: dict[str, Any] = {}
    for key, reader in (
        ("injury", lambda v: _json_amount(v, "injury", SCHEMA_REFERENCE)),
        ("general_interim", lambda v: _json_amount(v, "general_interim", SCHEMA_REFERENCE)),
        ("stage", _to_stage),
    ):
        if key in data:
            try:
                kwargs[key] = reader(data[key])
            except RulesError as err:
                problems.append(_relabel(err, "$"))
    raw_items = data.get("items", [])
    if isinstance(raw_items, list) and len(raw_items) > MAX_LIST_ITEMS:
        try:
            check_size(raw_items, field="$.items", reference=SCHEMA_REFERENCE)
        except RulesError as err:
            problems.append(err)
        raw_items = []
    if not isinstance(raw_items, list):
        problems.append(
            RulesTypeError(
                f"items is a JSON array, not {type(raw_items).__name__}",
                value=raw_items,
                field="$.items",
                reference=SCHEMA_REFERENCE,
            )
        )
        raw_items = []
    items = [_item_from_dict(raw, f"$.items[{i}]", problems) for i, raw in enumerate(raw_items)]
    if problems:
        raise InputError(problems, reference=SCHEMA_REFERENCE)
    return cls(items=[i for i in items if i is not None], **kwargs)


def _certificate_from_dict(cls: type[CruCertificate], data: Any) -> CruCertificate:
    """Build a :class:`~rtaprotocol.losses.CruCertificate` from parsed JSON (every problem at once)."""
    if not isinstance(data, Mapping):
        raise InputError(
            [not_an_object(data, "a CRU certificate", reference=CRU_SCHEMA_REFERENCE)],
            reference=CRU_SCHEMA_REFERENCE,
        )
    allowed = [h.value for h in CruHead]
    problems = unknown_keys(
        data, allowed, path="$", reference=CRU_SCHEMA_REFERENCE, within="a CRU certificate"
    )
    kwargs: dict[str, Decimal] = {}
    for key in allowed:
        if key in data:
            try:
                kwargs[key] = _json_amount(data[key], f"$.{key}", CRU_SCHEMA_REFERENCE)
            except RulesError as err:
                problems.append(err)
    if problems:
        raise InputError(problems, reference=CRU_SCHEMA_REFERENCE)
    return cls(**kwargs)
