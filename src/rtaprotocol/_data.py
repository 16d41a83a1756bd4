"""The one loader of the dated rule tables kept as data files (issue 25).

Rules that change over time live as JSON under ``rtaprotocol/data/rules/`` (JSON, not
TOML: ``tomllib`` needs Python 3.11 and the package supports 3.10, and the runtime
dependencies are attrs, python-dateutil and holidays only):

- ``tariff/<scenario>.json``: one file per tariff table (Whiplash Injury Regulations
  2021, reg 2, as made or amended); read by :mod:`rtaprotocol.tariff`.
- ``medical-fees/<year>.json``: one file per fixing or uprating of the fees for medical
  evidence (guide 5.3); read by :mod:`rtaprotocol.fees`.
- ``periods/<set>.json``: the guide's periods (:class:`rtaprotocol.deadlines.Period`)
  and the low-value protocols' (:data:`rtaprotocol.lowvalue.PROTOCOL_PERIODS`).
- ``loss-types/<set>.json``: the types of loss of the guide's table (guide 5.2, 4.4),
  :class:`rtaprotocol.losses.LossType` and :data:`rtaprotocol.losses.MOBILITY_LOSS_TYPES`.
- ``limits/<set>.json``: the portal's value limits (guide 1.1, 4.1, 4.4.3;
  :mod:`rtaprotocol.limits`) and the small claims track limits (CPR 26.9(1);
  :data:`rtaprotocol.routing.SMALL_CLAIMS_LIMITS`), each entry dated.
- ``fixed-costs/<year>.json``: one file per table of the low-value protocols' fixed
  recoverable costs (CPR Part 45; :data:`rtaprotocol.lowvalue.FIXED_COSTS_TABLES`), and
  ``london-weighting/cpr-45.json``, London weighting's dated rates
  (:data:`rtaprotocol.lowvalue.LONDON_WEIGHTING`).
- ``sources/registry.json``: every source the library cites
  (:data:`rtaprotocol.sources.SOURCES`), each with the date it was checked.

Every file carries the date it applies from (``applies_from``), its ``citation`` and its
``confidence`` (``P``, ``S`` or ``U``: :class:`rtaprotocol.sources.Confidence`). A file
applies until the day before the next file of its kind begins, so a new table or an
uprating is **one new file**: nothing else is edited. The files are read and validated
once, on first use (the modules that hold the rules import this one), and cached; a
file that breaks a rule of its kind raises :class:`DataFileError` naming the file, the
field and the value, so a bad edit cannot load. ``tests/test_data.py`` loads them all.

The directory is the package's own ``data/rules``; a maintainer trying a new file
without installing it points ``RTAPROTOCOL_DATA_DIR`` at a copy of that directory (read
once, when the tables are first loaded; see docs/maintaining.md), and the loaders take
an optional ``directory`` for tests.

>>> [t.name for t in tariff_tables()]
['Table 1', 'Table 2']
>>> tariff_tables()[0].applies_until
datetime.date(2025, 5, 31)
"""

from __future__ import annotations

import itertools
import json
import os
import re
from collections.abc import Hashable, Mapping
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from enum import Enum
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Final, TypeVar, cast, final

from attrs import evolve, frozen

from rtaprotocol._decimal import exact
from rtaprotocol.errors import ErrorCode, RulesError

if TYPE_CHECKING:
    # importlib.abc.Traversable is deprecated from Python 3.13 (a DeprecationWarning on
    # import); the annotation is all this module needs of it.
    from importlib.resources.abc import Traversable

__all__ = [
    "DATA_DIR_ENV",
    "Confidence",
    "DataFileError",
    "FeeRateData",
    "FixedCostsData",
    "FixedCostsTableData",
    "LimitData",
    "LondonWeightingData",
    "LondonWeightingFileData",
    "LossTypeData",
    "MedicalFeesData",
    "PeriodData",
    "SourceData",
    "TariffBandData",
    "TariffTableData",
    "data_directory",
    "data_file_error",
    "fixed_costs_tables",
    "limits",
    "london_weighting",
    "loss_types",
    "medical_fee_files",
    "periods",
    "sources",
    "tariff_tables",
]

#: The environment variable that points the loader at another rules directory.
DATA_DIR_ENV: Final = "RTAPROTOCOL_DATA_DIR"
_REFERENCE: Final = "rtaprotocol rule data files"
_AMOUNT: Final = re.compile(r"[0-9]+(?:\.[0-9]{1,2})?", re.ASCII)
_PENNY: Final = Decimal("0.01")
_T = TypeVar("_T")


class Confidence(Enum):
    """How far the library's reading of a source or figure has been checked.

    The one confidence scale of the library (issue 25): the sources registry, the dated
    tables and the low-value figures all use it (``rtaprotocol.Confidence``,
    ``rtaprotocol.sources.Confidence`` and ``rtaprotocol.lowvalue.Confidence`` are this
    class, defined with the data files it marks). Its value is the text the
    sources registry shows; :attr:`code` is the letter the figures' JSON carries and
    :attr:`mark` the ``[P]``/``[S]``/``[U]`` shown next to a figure. Either spelling
    reads back.

    >>> Confidence.UNCONFIRMED.mark, Confidence.UNCONFIRMED.code
    ('[U]', 'U')
    >>> Confidence("P") is Confidence("primary text read") is Confidence.PRIMARY
    True
    """

    #: The primary text itself (statute, regulation, judgment, the guide) was read.
    PRIMARY = "primary text read"
    #: Two or more secondary sources agree; the primary text was not read.
    SECONDARY = "secondary sources agree"
    #: Not confirmed: held as data that can be changed, and the docs say so.
    UNCONFIRMED = "unconfirmed"

    @property
    def code(self) -> str:
        """The one-letter code: ``"P"``, ``"S"`` or ``"U"`` (the figures' JSON value)."""
        return self.name[0]

    @property
    def mark(self) -> str:
        """The mark shown next to a figure: ``[P]``, ``[S]`` or ``[U]``."""
        return f"[{self.code}]"

    @classmethod
    def _missing_(cls, value: object) -> Confidence | None:
        for member in cls:
            if value == member.code:
                return member
        return None


class DataFileError(RulesError):
    """A rule data file that breaks a rule of its kind (a bad edit never loads).

    >>> _field({}, "citation", str, Path("x.json"))
    Traceback (most recent call last):
    ...
    rtaprotocol._data.DataFileError: citation: x.json: missing field: got {} [rtaprotocol rule data files]
    """


def _fail(
    path: Path | Traversable,
    field: str,
    message: str,
    value: object,
    code: ErrorCode = ErrorCode.VALUE_INVALID,
) -> DataFileError:
    """Return the refusal of a data file, with its code given, never read off the message."""
    return data_file_error(path.name, field, message, value, code)


def data_file_error(
    name: str,
    field: str,
    message: str,
    value: object,
    code: ErrorCode = ErrorCode.VALUE_INVALID,
) -> DataFileError:
    """Return the refusal of the data file ``name``: every module's, in one form.

    >>> print(data_file_error("oic-guide.json", "periods", "no entry for the period", "x"))
    periods: oic-guide.json: no entry for the period: got 'x' [rtaprotocol rule data files]
    """
    return DataFileError(
        f"{name}: {message}", value=value, field=field, reference=_REFERENCE, code=code
    )


def _field(entry: Mapping[str, object], name: str, kind: type[_T], path: Path | Traversable) -> _T:
    if name not in entry:
        raise _fail(path, name, "missing field", dict(entry))
    value = entry[name]
    if type(value) is not kind:
        raise _fail(path, name, f"expected {kind.__name__}", value)
    return value  # checked just above: type(value) is kind


def _day(entry: Mapping[str, object], path: Path | Traversable) -> date:
    text = _field(entry, "applies_from", str, path)
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise _fail(
            path, "applies_from", "expected an ISO date YYYY-MM-DD", text, ErrorCode.DATE_FORMAT
        ) from None


@exact  # runs at import, when the importing thread's context may be anything
def _amount(value: object, field: str, path: Path | Traversable) -> Decimal:
    if type(value) is not str or not _AMOUNT.fullmatch(value):
        raise _fail(path, field, 'expected pounds as a string like "240" or "12.50"', value)
    try:
        return Decimal(value).quantize(_PENNY)
    except InvalidOperation:  # pragma: no cover - the pattern admits only decimals
        raise _fail(path, field, "not an amount", value) from None


def _confidence(entry: Mapping[str, object], path: Path | Traversable) -> Confidence:
    code = _field(entry, "confidence", str, path)
    try:
        return Confidence(code)
    except ValueError:
        raise _fail(path, "confidence", "expected P, S or U", code) from None


def _keys(entry: Mapping[str, object], allowed: set[str], path: Path | Traversable) -> None:
    unknown = sorted(set(entry) - allowed)
    if unknown:
        raise _fail(
            path,
            unknown[0],
            "unknown field (a typo would otherwise be ignored)",
            unknown,
            ErrorCode.FIELD_UNKNOWN,
        )


def _entries(
    data: Mapping[str, object], key: str, what: str, path: Path | Traversable
) -> list[object]:
    """Return the file's non-empty list ``key`` (``what`` names its entries in a refusal)."""
    raw = data.get(key)
    if type(raw) is not list or not raw:
        raise _fail(path, key, f"expected a non-empty list of {what}", raw)
    return raw


def _set_name(data: Mapping[str, object], path: Path | Traversable) -> str:
    """Return the file's ``set``, which must be its file name (``<set>.json``)."""
    name = _field(data, "set", str, path)
    if path.name != f"{name}.json":
        raise _fail(path, "set", "the file is named after its set", name)
    return name


def data_directory(directory: Path | str | None = None) -> Path | Traversable:
    """Return the rules directory: ``directory``, else ``$RTAPROTOCOL_DATA_DIR``, else the package's."""
    if directory is not None:
        return Path(directory)
    override = os.environ.get(DATA_DIR_ENV)
    if override:
        return Path(override)
    return resources.files("rtaprotocol") / "data" / "rules"


def _key(directory: Path | Traversable) -> Hashable:
    """Return the directory as a cache key (a Path hashes by value, a resource by itself)."""
    return cast("Hashable", directory)


def _files(
    directory: Path | Traversable, kind: str
) -> list[tuple[Path | Traversable, dict[str, object]]]:
    folder = directory / kind
    if not folder.is_dir():
        raise _fail(folder, kind, "no such rules folder", str(folder))
    out: list[tuple[Path | Traversable, dict[str, object]]] = []
    for path in sorted(folder.iterdir(), key=lambda p: p.name):
        if not path.name.endswith(".json"):
            continue
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except json.JSONDecodeError as exc:
            raise _fail(
                path, "file", f"not JSON ({exc.msg}, line {exc.lineno})", path.name
            ) from None
        if type(data) is not dict:
            raise _fail(path, "file", "expected a JSON object", type(data).__name__)
        if data.get("kind") != _KIND[kind]:
            raise _fail(path, "kind", f"expected {_KIND[kind]!r}", data.get("kind"))
        out.append((path, data))
    if not out:
        raise _fail(folder, kind, "no data files", str(folder))
    return out


_KIND: Final = {
    "tariff": "tariff-table",
    "medical-fees": "medical-fee-rates",
    "periods": "periods",
    "loss-types": "loss-types",
    "limits": "limits",
    "sources": "sources",
    "fixed-costs": "fixed-costs-table",
    "london-weighting": "london-weighting",
}


def _dated(
    entries: list[tuple[date, _T, Path | Traversable]], kind: str
) -> list[tuple[date, date | None, _T]]:
    """Order the files by ``applies_from`` (two on one day refused); each ends where the next begins."""
    entries.sort(key=lambda e: e[0])
    for (first, _, _), (second, _, path) in itertools.pairwise(entries):
        if first == second:
            raise _fail(
                path, "applies_from", f"two {kind} files apply from the same day", str(second)
            )
    ends: list[date | None] = [e[0] for e in entries[1:]]
    ends.append(None)
    return [(start, end, item) for (start, item, _), end in zip(entries, ends, strict=True)]


# --- tariff tables ------------------------------------------------------------------------


@final
@frozen
class TariffBandData:
    """One band of a tariff table file: months (more than, not more than) and two amounts."""

    more_than_months: int
    not_more_than_months: int
    whiplash: Decimal
    whiplash_with_psych: Decimal


@final
@frozen
class TariffTableData:
    """One tariff table file, validated; ``applies_until`` is the next table's first day."""

    scenario: str
    name: str
    applies_from: date
    applies_until: date | None
    regulation: str
    citation: str
    confidence: Confidence
    bands: tuple[TariffBandData, ...]


_TARIFF_KEYS: Final = {
    "kind",
    "scenario",
    "name",
    "applies_from",
    "regulation",
    "citation",
    "confidence",
    "bands",
}
_BAND_KEYS: Final = {"more_than_months", "not_more_than_months", "whiplash", "whiplash_with_psych"}
#: Reg 2(1): the bands run from 0 to 24 months with no gap.
_TARIFF_MONTHS: Final = 24


def _tariff_bands(raw: object, path: Path | Traversable) -> tuple[TariffBandData, ...]:
    if type(raw) is not list or not raw:
        raise _fail(path, "bands", "expected a non-empty list of bands", raw)
    bands: list[TariffBandData] = []
    edge = 0
    for i, entry in enumerate(raw):
        if type(entry) is not dict:
            raise _fail(path, f"bands[{i}]", "expected an object", entry)
        _keys(entry, _BAND_KEYS, path)
        low = _field(entry, "more_than_months", int, path)
        high = _field(entry, "not_more_than_months", int, path)
        if low != edge or high <= low:
            raise _fail(
                path, f"bands[{i}]", f"bands must run on from {edge} months with no gap", entry
            )
        band = TariffBandData(
            low,
            high,
            _amount(entry.get("whiplash"), f"bands[{i}].whiplash", path),
            _amount(entry.get("whiplash_with_psych"), f"bands[{i}].whiplash_with_psych", path),
        )
        if band.whiplash_with_psych < band.whiplash:
            raise _fail(
                path, f"bands[{i}]", "the reg 2(1)(b) amount is less than reg 2(1)(a)'s", entry
            )
        if bands and (
            band.whiplash <= bands[-1].whiplash
            or band.whiplash_with_psych <= bands[-1].whiplash_with_psych
        ):
            raise _fail(path, f"bands[{i}]", "amounts must rise with the duration", entry)
        bands.append(band)
        edge = high
    if edge != _TARIFF_MONTHS:
        raise _fail(path, "bands", f"the bands must end at {_TARIFF_MONTHS} months", edge)
    return tuple(bands)


@lru_cache(maxsize=8)
def _tariff_tables(directory: Path | Traversable) -> tuple[TariffTableData, ...]:
    read: list[tuple[date, TariffTableData, Path | Traversable]] = []
    for path, data in _files(directory, "tariff"):
        _keys(data, _TARIFF_KEYS, path)
        start = _day(data, path)
        table = TariffTableData(
            scenario=_field(data, "scenario", str, path),
            name=_field(data, "name", str, path),
            applies_from=start,
            applies_until=None,
            regulation=_field(data, "regulation", str, path),
            citation=_field(data, "citation", str, path),
            confidence=_confidence(data, path),
            bands=_tariff_bands(data.get("bands"), path),
        )
        if path.name != f"{table.scenario}.json":
            raise _fail(path, "scenario", "the file is named after its scenario", table.scenario)
        read.append((start, table, path))
    tables = tuple(
        TariffTableData(
            t.scenario, t.name, start, end, t.regulation, t.citation, t.confidence, t.bands
        )
        for start, end, t in _dated(read, "tariff")
    )
    if len({t.name for t in tables}) != len(tables):
        raise _fail(directory, "name", "two tariff tables share a name", [t.name for t in tables])
    return tables


def tariff_tables(directory: Path | str | None = None) -> tuple[TariffTableData, ...]:
    """Return the tariff table files in date order, validated (cached per directory)."""
    return _tariff_tables(_key(data_directory(directory)))


# --- fees for medical evidence --------------------------------------------------------------


@final
@frozen
class FeeRateData:
    """One fee's rate in a medical-fees file (``kind`` a :class:`rtaprotocol.fees.FeeKind` value)."""

    kind: str
    fixed: Decimal | None
    cap: Decimal | None
    reference: str
    confidence: str


@final
@frozen
class MedicalFeesData:
    """One medical-fees file: the rates from ``applies_from`` until the next file's first day."""

    applies_from: date
    applies_until: date | None
    citation: str
    confidence: Confidence
    rates: tuple[FeeRateData, ...]


_FEES_KEYS: Final = {"kind", "applies_from", "citation", "confidence", "rates"}
_RATE_KEYS: Final = {"kind", "fixed", "cap", "reference", "confidence"}
_RATE_CONFIDENCE: Final = ("primary", "secondary", "unconfirmed")


def _rate(entry: object, i: int, citation: str, path: Path | Traversable) -> FeeRateData:
    if type(entry) is not dict:
        raise _fail(path, f"rates[{i}]", "expected an object", entry)
    _keys(entry, _RATE_KEYS, path)
    fixed = entry.get("fixed")
    cap = entry.get("cap")
    confidence = _field(entry, "confidence", str, path)
    if confidence not in _RATE_CONFIDENCE:
        raise _fail(
            path, f"rates[{i}].confidence", f"expected one of {_RATE_CONFIDENCE}", confidence
        )
    return FeeRateData(
        kind=_field(entry, "kind", str, path),
        fixed=None if fixed is None else _amount(fixed, f"rates[{i}].fixed", path),
        cap=None if cap is None else _amount(cap, f"rates[{i}].cap", path),
        reference=_field(entry, "reference", str, path).replace("{citation}", citation),
        confidence=confidence,
    )


@lru_cache(maxsize=8)
def _medical_fee_files(directory: Path | Traversable) -> tuple[MedicalFeesData, ...]:
    read: list[tuple[date, MedicalFeesData, Path | Traversable]] = []
    for path, data in _files(directory, "medical-fees"):
        _keys(data, _FEES_KEYS, path)
        citation = _field(data, "citation", str, path)
        raw = _entries(data, "rates", "rates", path)
        rates = tuple(_rate(entry, i, citation, path) for i, entry in enumerate(raw))
        kinds = [r.kind for r in rates]
        if len(set(kinds)) != len(kinds):
            raise _fail(path, "rates", "a fee kind is listed twice", kinds)
        start = _day(data, path)
        read.append(
            (start, MedicalFeesData(start, None, citation, _confidence(data, path), rates), path)
        )
    return tuple(
        MedicalFeesData(start, end, f.citation, f.confidence, f.rates)
        for start, end, f in _dated(read, "medical-fees")
    )


def medical_fee_files(directory: Path | str | None = None) -> tuple[MedicalFeesData, ...]:
    """Return the medical-fees files in date order, validated (cached per directory)."""
    return _medical_fee_files(_key(data_directory(directory)))


# --- periods --------------------------------------------------------------------------------


@final
@frozen
class PeriodData:
    """One period entry: its set (file), protocol (``None`` for the guide's), name and days."""

    set: str
    protocol: str | None
    name: str
    business_days: int
    description: str
    reference: str
    confidence: Confidence
    applies_from: date


_PERIODS_KEYS: Final = {"kind", "set", "applies_from", "citation", "confidence", "periods"}
#: ``note``: why the entry reads as it does (its confidence's reason); kept as data, not shown.
_PERIOD_KEYS: Final = {
    "slug", "protocol", "name", "business_days", "reference", "description", "confidence",
    "note",
}  # fmt: skip
#: The longest period any protocol sets (a sanity bound: a typo of 300 for 30 is refused).
_MOST_BUSINESS_DAYS: Final = 100


def _period(entry: object, i: int, head: PeriodData, path: Path | Traversable) -> PeriodData:
    where = f"periods[{i}]"
    if type(entry) is not dict:
        raise _fail(path, where, "expected an object", entry)
    _keys(entry, _PERIOD_KEYS, path)
    name = _field(entry, "slug" if head.protocol is None else "name", str, path)
    _optional_text(entry, "note", path)  # a reason kept with the entry: text if given
    days = _field(entry, "business_days", int, path)
    if not 0 < days <= _MOST_BUSINESS_DAYS:
        raise _fail(path, f"{where}.business_days", f"expected 1 to {_MOST_BUSINESS_DAYS}", days)
    return PeriodData(
        set=head.set,
        protocol=head.protocol if head.protocol is None else _field(entry, "protocol", str, path),
        name=name,
        business_days=days,
        description=_field(entry, "description", str, path),
        reference=_field(entry, "reference", str, path),
        confidence=_confidence(entry, path) if "confidence" in entry else head.confidence,
        applies_from=head.applies_from,
    )


@lru_cache(maxsize=8)
def _periods(directory: Path | Traversable) -> dict[str, tuple[PeriodData, ...]]:
    sets: dict[str, tuple[PeriodData, ...]] = {}
    for path, data in _files(directory, "periods"):
        _keys(data, _PERIODS_KEYS, path)
        name = _set_name(data, path)
        raw = _entries(data, "periods", "periods", path)
        # The guide's periods are named by slug; a protocol's by (protocol, name).
        keyed = any(type(e) is dict and "protocol" in e for e in raw)
        head = PeriodData(
            name, "" if keyed else None, "", 0, "", "", _confidence(data, path), _day(data, path)
        )
        _field(data, "citation", str, path)
        entries = tuple(_period(e, i, head, path) for i, e in enumerate(raw))
        keys = [(e.protocol, e.name) for e in entries]
        if len(set(keys)) != len(keys):
            raise _fail(path, "periods", "a period is listed twice", keys)
        sets[name] = entries
    return sets


def periods(directory: Path | str | None = None) -> Mapping[str, tuple[PeriodData, ...]]:
    """Return the period files by set (``"oic-guide"``, ``"low-value-protocols"``), validated."""
    return _periods(_key(data_directory(directory)))


# --- loss types -----------------------------------------------------------------------------


@final
@frozen
class LossTypeData:
    """One loss type entry (guide 5.2): named fields, never a positional tuple.

    ``head`` is a :class:`rtaprotocol.money.Head` value, ``cru_head`` a
    :class:`rtaprotocol.losses.CruHead` value or ``None``; ``mobility`` the reason the
    type counts as loss of mobility (Sch 2 para 3), or ``None``.
    """

    slug: str
    label: str
    head: str
    evidence: str
    reference: str
    vehicle_cost: bool
    cru_head: str | None
    mobility: str | None
    confidence: Confidence


_LOSS_FILE_KEYS: Final = {"kind", "set", "applies_from", "citation", "confidence", "loss_types"}
_LOSS_KEYS: Final = {
    "slug", "label", "head", "evidence", "reference", "vehicle_cost", "cru_head", "mobility",
    "confidence",
}  # fmt: skip
_SLUG: Final = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*", re.ASCII)


def _optional_text(entry: Mapping[str, object], name: str, path: Path | Traversable) -> str | None:
    if entry.get(name) is None:
        return None
    return _field(entry, name, str, path)


def _loss_type(
    entry: object, i: int, default: Confidence, path: Path | Traversable
) -> LossTypeData:
    if type(entry) is not dict:
        raise _fail(path, f"loss_types[{i}]", "expected an object", entry)
    _keys(entry, _LOSS_KEYS, path)
    slug = _field(entry, "slug", str, path)
    if not _SLUG.fullmatch(slug):
        raise _fail(path, f"loss_types[{i}].slug", "expected a lower-case slug", slug)
    return LossTypeData(
        slug=slug,
        label=_field(entry, "label", str, path),
        head=_field(entry, "head", str, path),
        evidence=_field(entry, "evidence", str, path),
        reference=_field(entry, "reference", str, path),
        vehicle_cost=_field(entry, "vehicle_cost", bool, path),
        cru_head=_optional_text(entry, "cru_head", path),
        mobility=_optional_text(entry, "mobility", path),
        confidence=_confidence(entry, path) if "confidence" in entry else default,
    )


@lru_cache(maxsize=8)
def _loss_types(directory: Path | Traversable) -> tuple[LossTypeData, ...]:
    found: list[LossTypeData] = []
    for path, data in _files(directory, "loss-types"):
        _keys(data, _LOSS_FILE_KEYS, path)
        _set_name(data, path)
        _field(data, "citation", str, path)
        _day(data, path)
        raw = _entries(data, "loss_types", "loss types", path)
        default = _confidence(data, path)
        found.extend(_loss_type(e, i, default, path) for i, e in enumerate(raw))
    slugs = [t.slug for t in found]
    if len(set(slugs)) != len(slugs):
        raise _fail(directory, "loss_types", "a loss type is listed twice", slugs)
    both = [t.slug for t in found if t.cru_head is not None and t.mobility is not None]
    if both:
        raise _fail(directory, "mobility", "a type has a CRU head and a mobility reason", both)
    return tuple(found)


def loss_types(directory: Path | str | None = None) -> tuple[LossTypeData, ...]:
    """Return the loss type entries, in file order (the guide's table order), validated."""
    return _loss_types(_key(data_directory(directory)))


# --- value limits ---------------------------------------------------------------------------


@final
@frozen
class LimitData:
    """One dated limit: ``kind`` within its set, inclusive dates, amount, source, confidence."""

    set: str
    kind: str
    applies_from: date
    applies_until: date | None
    amount: Decimal
    reference: str
    confidence: Confidence


_LIMITS_FILE_KEYS: Final = {"kind", "set", "citation", "limits"}
_LIMIT_KEYS: Final = {"kind", "applies_from", "applies_until", "amount", "reference", "confidence"}


def _limit(entry: object, i: int, name: str, path: Path | Traversable) -> LimitData:
    where = f"limits[{i}]"
    if type(entry) is not dict:
        raise _fail(path, where, "expected an object", entry)
    _keys(entry, _LIMIT_KEYS, path)
    start = _day(entry, path)
    until: date | None = None
    if entry.get("applies_until") is not None:
        until = _day({"applies_from": entry["applies_until"]}, path)
        if until < start:
            raise _fail(path, f"{where}.applies_until", "ends before it begins", str(until))
    return LimitData(
        set=name,
        kind=_field(entry, "kind", str, path),
        applies_from=start,
        applies_until=until,
        amount=_amount(entry.get("amount"), f"{where}.amount", path),
        reference=_field(entry, "reference", str, path),
        confidence=_confidence(entry, path),
    )


@lru_cache(maxsize=8)
def _limits(directory: Path | Traversable) -> dict[str, tuple[LimitData, ...]]:
    sets: dict[str, tuple[LimitData, ...]] = {}
    for path, data in _files(directory, "limits"):
        _keys(data, _LIMITS_FILE_KEYS, path)
        name = _set_name(data, path)
        _field(data, "citation", str, path)
        raw = _entries(data, "limits", "limits", path)
        entries = tuple(_limit(e, i, name, path) for i, e in enumerate(raw))
        for kind in dict.fromkeys(e.kind for e in entries):
            series = [e for e in entries if e.kind == kind]
            for before, after in itertools.pairwise(series):
                if (
                    before.applies_until is None
                    or after.applies_from != before.applies_until + timedelta(days=1)
                ):
                    raise _fail(
                        path,
                        "limits",
                        f"the {kind} limits must follow on day by day, oldest first",
                        [str(before.applies_until), str(after.applies_from)],
                    )
        sets[name] = entries
    return sets


def limits(directory: Path | str | None = None) -> Mapping[str, tuple[LimitData, ...]]:
    """Return the limit files by set (``"oic-portal"``, ``"small-claims"``), validated."""
    return _limits(_key(data_directory(directory)))


# --- the sources registry -------------------------------------------------------------------


@final
@frozen
class SourceData:
    """One source entry of the registry file; ``pinpoint`` ``None`` means the default pattern."""

    id: str
    title: str
    publisher: str
    url: str | None
    checked: date
    confidence: Confidence
    note: str
    names: tuple[str, ...]
    pinpoint: str | None
    pinpoint_required: bool


_SOURCES_FILE_KEYS: Final = {"kind", "patterns", "sources"}
_SOURCE_KEYS: Final = {
    "id", "title", "publisher", "url", "checked", "confidence", "note", "names", "pinpoint",
    "pinpoint_required",
}  # fmt: skip


def _source(
    entry: object, i: int, patterns: Mapping[str, str], path: Path | Traversable
) -> SourceData:
    where = f"sources[{i}]"
    if type(entry) is not dict:
        raise _fail(path, where, "expected an object", entry)
    _keys(entry, _SOURCE_KEYS, path)
    ident = _field(entry, "id", str, path)
    if not _SLUG.fullmatch(ident):
        raise _fail(path, f"{where}.id", "expected a lower-case slug", ident)
    checked = _field(entry, "checked", str, path)
    try:
        day = date.fromisoformat(checked)
    except ValueError:
        raise _fail(
            path,
            f"{where}.checked",
            "expected an ISO date YYYY-MM-DD",
            checked,
            ErrorCode.DATE_FORMAT,
        ) from None
    names = _field(entry, "names", list, path)
    if not names or any(type(n) is not str or not n for n in names):
        raise _fail(path, f"{where}.names", "expected a non-empty list of names", names)
    pinpoint = _optional_text(entry, "pinpoint", path)
    if pinpoint is not None and pinpoint.startswith("@"):
        if pinpoint[1:] not in patterns:
            raise _fail(path, f"{where}.pinpoint", "no such named pattern", pinpoint)
        pinpoint = patterns[pinpoint[1:]]
    if pinpoint is not None:
        try:
            re.compile(pinpoint)
        except re.error:
            raise _fail(path, f"{where}.pinpoint", "not a regular expression", pinpoint) from None
    return SourceData(
        id=ident,
        title=_field(entry, "title", str, path),
        publisher=_field(entry, "publisher", str, path),
        url=_optional_text(entry, "url", path),
        checked=day,
        confidence=_confidence(entry, path),
        note=_field(entry, "note", str, path),
        names=tuple(names),
        pinpoint=pinpoint,
        pinpoint_required=_field(entry, "pinpoint_required", bool, path)
        if "pinpoint_required" in entry
        else True,
    )


@lru_cache(maxsize=8)
def _sources(directory: Path | Traversable) -> tuple[SourceData, ...]:
    found: list[SourceData] = []
    for path, data in _files(directory, "sources"):
        _keys(data, _SOURCES_FILE_KEYS, path)
        patterns = _field(data, "patterns", dict, path)
        raw = _entries(data, "sources", "sources", path)
        found.extend(_source(e, i, patterns, path) for i, e in enumerate(raw))
    ids = [s.id for s in found]
    if len(set(ids)) != len(ids):
        raise _fail(directory, "sources", "a source id is listed twice", ids)
    names = [n for s in found for n in s.names]
    if len(set(names)) != len(names):
        raise _fail(
            directory,
            "names",
            "two sources share a name",
            sorted({n for n in names if names.count(n) > 1}),
        )
    return tuple(found)


def sources(directory: Path | str | None = None) -> tuple[SourceData, ...]:
    """Return the sources registry entries, in file order, validated (cached per directory)."""
    return _sources(_key(data_directory(directory)))


# --- the low-value protocols' fixed recoverable costs ---------------------------------------


@final
@frozen
class FixedCostsData:
    """One row of a fixed costs table file: a protocol's stage (1, 2, or 3 and its type).

    ``protocol`` is ``"rta"`` or ``"elpl"``; ``stage`` is ``"1"``, ``"2"``, ``"3A"``,
    ``"3B"`` or ``"3C"``; the two amounts are the damages bands (not more than £10,000;
    more than £10,000 but not more than £25,000).
    """

    protocol: str
    stage: str
    up_to_10000: Decimal
    over_10000: Decimal


@final
@frozen
class FixedCostsTableData:
    """One fixed costs table file (CPR Part 45), validated; ``applies_until`` is the next's first day."""

    applies_from: date
    applies_until: date | None
    citation: str
    confidence: Confidence
    note: str
    costs: tuple[FixedCostsData, ...]
    stage3_citation: str
    stage3_confidence: Confidence
    stage3: tuple[FixedCostsData, ...]


_FIXED_COSTS_KEYS: Final = {
    "kind", "applies_from", "citation", "confidence", "note", "costs", "stage3",
}  # fmt: skip
_STAGE3_KEYS: Final = {"citation", "confidence", "costs"}
_COSTS_PROTOCOLS: Final = ("rta", "elpl")


def _costs_rows(
    raw: object, where: str, column: str, kinds: tuple[object, ...], path: Path | Traversable
) -> tuple[FixedCostsData, ...]:
    """Read the rows ``where``: one per protocol and ``column`` value, each listed once."""
    if type(raw) is not list or not raw:
        raise _fail(path, where, "expected a non-empty list of costs", raw)
    found: list[FixedCostsData] = []
    for i, entry in enumerate(raw):
        at = f"{where}[{i}]"
        if type(entry) is not dict:
            raise _fail(path, at, "expected an object", entry)
        _keys(entry, {"protocol", column, "up_to_10000", "over_10000"}, path)
        protocol = _field(entry, "protocol", str, path)
        if protocol not in _COSTS_PROTOCOLS:
            raise _fail(path, f"{at}.protocol", f"expected one of {_COSTS_PROTOCOLS}", protocol)
        kind = entry.get(column)
        if kind not in kinds or type(kind) is not type(kinds[0]):
            raise _fail(path, f"{at}.{column}", f"expected one of {kinds}", kind)
        found.append(
            FixedCostsData(
                protocol=protocol,
                stage=str(kind) if column == "stage" else f"3{kind}",
                up_to_10000=_amount(entry.get("up_to_10000"), f"{at}.up_to_10000", path),
                over_10000=_amount(entry.get("over_10000"), f"{at}.over_10000", path),
            )
        )
    keys = [(r.protocol, r.stage) for r in found]
    wanted = len(_COSTS_PROTOCOLS) * len(kinds)
    if len(set(keys)) != len(keys) or len(keys) != wanted:
        raise _fail(path, where, f"expected each protocol's {column} once ({wanted} rows)", keys)
    return tuple(found)


@lru_cache(maxsize=8)
def _fixed_costs_tables(directory: Path | Traversable) -> tuple[FixedCostsTableData, ...]:
    read: list[tuple[date, FixedCostsTableData, Path | Traversable]] = []
    for path, data in _files(directory, "fixed-costs"):
        _keys(data, _FIXED_COSTS_KEYS, path)
        stage3 = data.get("stage3")
        if type(stage3) is not dict:
            raise _fail(path, "stage3", "expected an object", stage3)
        _keys(stage3, _STAGE3_KEYS, path)
        start = _day(data, path)
        table = FixedCostsTableData(
            applies_from=start,
            applies_until=None,
            citation=_field(data, "citation", str, path),
            confidence=_confidence(data, path),
            note=_field(data, "note", str, path),
            costs=_costs_rows(data.get("costs"), "costs", "stage", (1, 2), path),
            stage3_citation=_field(stage3, "citation", str, path),
            stage3_confidence=_confidence(stage3, path),
            stage3=_costs_rows(stage3.get("costs"), "stage3.costs", "type", ("A", "B", "C"), path),
        )
        read.append((start, table, path))
    return tuple(
        evolve(t, applies_from=start, applies_until=end)
        for start, end, t in _dated(read, "fixed-costs")
    )


def fixed_costs_tables(directory: Path | str | None = None) -> tuple[FixedCostsTableData, ...]:
    """Return the fixed costs table files in date order, validated (cached per directory)."""
    return _fixed_costs_tables(_key(data_directory(directory)))


@final
@frozen
class LondonWeightingData:
    """One dated London weighting rate: the percent added, its rule and confidence."""

    applies_from: date
    applies_until: date | None
    percent: Decimal
    reference: str
    confidence: Confidence


@final
@frozen
class LondonWeightingFileData:
    """The London weighting file: its name, citation and confidence, and its dated rates."""

    set: str
    name: str
    citation: str
    confidence: Confidence
    rates: tuple[LondonWeightingData, ...]


_LONDON_FILE_KEYS: Final = {"kind", "set", "name", "citation", "confidence", "rates"}
_LONDON_KEYS: Final = {"applies_from", "percent", "reference", "confidence"}
_PERCENT: Final = re.compile(r"[0-9]{1,3}(?:\.[0-9]{1,2})?", re.ASCII)


@exact  # runs at import, when the importing thread's context may be anything
def _percent(value: object, field: str, path: Path | Traversable) -> Decimal:
    if type(value) is not str or not _PERCENT.fullmatch(value) or not 0 < Decimal(value) <= 100:
        raise _fail(
            path, field, 'expected a percent as a string like "12.5", above 0 to 100', value
        )
    return Decimal(value)


@lru_cache(maxsize=8)
def _london_weighting(directory: Path | Traversable) -> LondonWeightingFileData:
    files = _files(directory, "london-weighting")
    if len(files) != 1:
        raise _fail(
            directory / "london-weighting",
            "london-weighting",
            "expected one file (its rates are dated entries)",
            [p.name for p, _ in files],
        )
    path, data = files[0]
    _keys(data, _LONDON_FILE_KEYS, path)
    name = _set_name(data, path)
    read: list[tuple[date, LondonWeightingData, Path | Traversable]] = []
    for i, entry in enumerate(_entries(data, "rates", "rates", path)):
        if type(entry) is not dict:
            raise _fail(path, f"rates[{i}]", "expected an object", entry)
        _keys(entry, _LONDON_KEYS, path)
        start = _day(entry, path)
        rate = LondonWeightingData(
            applies_from=start,
            applies_until=None,
            percent=_percent(entry.get("percent"), f"rates[{i}].percent", path),
            reference=_field(entry, "reference", str, path),
            confidence=_confidence(entry, path),
        )
        read.append((start, rate, path))
    rates = tuple(
        evolve(r, applies_from=start, applies_until=end)
        for start, end, r in _dated(read, "london-weighting rate")
    )
    return LondonWeightingFileData(
        set=name,
        name=_field(data, "name", str, path),
        citation=_field(data, "citation", str, path),
        confidence=_confidence(data, path),
        rates=rates,
    )


def london_weighting(directory: Path | str | None = None) -> LondonWeightingFileData:
    """Return the London weighting file, its rates in date order, validated (cached)."""
    return _london_weighting(_key(data_directory(directory)))
