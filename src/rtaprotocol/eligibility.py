"""Who may use the portal, where else to go, and when a claim must leave it.

Guide 4.1 ("Requirements to make a claim"), 4.2 ("When you will not be able to use the
portal", summarising protocol para 4.3), 4.3 (redirects), 5.4 (limitation), 6.4.2 (a
prognosis beyond 24 months) and 6.6.2.1 (exits); Limitation Act 1980 ss.11, 28.

**Facts in, reasons out.** :class:`ClaimFacts` holds the answers to the portal's opening
questions; :func:`check_eligibility` returns an :class:`EligibilityResult` with

- ``eligible``: ``True``, ``False``, or ``None`` for "cannot tell yet";
- ``reasons``: every criterion that fails (not just the first), each a :class:`Reason`
  with a stable snake_case ``code``, a plain-English ``message`` and its ``reference``,
  always in the fixed order of :data:`CRITERIA`;
- ``questions``: the unknown answers some criterion still depends on;
- ``redirects``: where the guide points instead (no registration number: the Motor
  Insurers' Bureau; foreign plates: the MIB Green Card, guide 4.3). Those two criteria
  still fail (guide 4.1 requires the vehicle details and a UK plate, and 4.2 excludes a
  vehicle registered outside the UK), but their :class:`Reason` says it is a redirect
  and carries the :class:`Redirect`, and the verdict's headline names where to go;
- ``warnings``: the limitation deadline has passed, or is near (guide 5.4).

An unknown answer (``None``) never gives a silent yes: if nothing known fails but some
criterion is still open, ``eligible`` is ``None``. If a known criterion fails, the answer
is ``False`` and the open questions are still listed.

Only ``accident_date`` and ``entry_date`` cannot be unknown: the result is worked out as
at the entry date, and the accident date fixes both the regime (on or after 31 May 2021)
and the limitation deadline. Every other answer may be ``None``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from datetime import date
from decimal import Decimal
from enum import Enum
from typing import Any, Final, final

import attrs
from attrs import frozen
from dateutil.relativedelta import relativedelta

from rtaprotocol._checks import (
    check_bool,
    check_date,
    check_enum,
    check_int,
    check_optional_bool,
    parse_iso_date,
)
from rtaprotocol._decimal import exact
from rtaprotocol._render import (
    KeyedEquality,
    html_table,
    html_text,
    html_verdict,
    jsonable,
    text_table,
)
from rtaprotocol._views import install_views
from rtaprotocol.deadlines import (
    FIRST_SUPPORTED_DATE,
    LAST_SUPPORTED_DATE,
    RANGE_REFERENCE,
    eighteenth_birthday,
    limitation_deadline,
    supported_date,
)
from rtaprotocol.errors import (
    InvalidInput,
    OutOfCoverageError,
    RulesError,
    RulesTypeError,
    _shorten,
)
from rtaprotocol.limits import LimitBreach, ValueLimitCheck, _over_limits, check_value_limits
from rtaprotocol.limits import _check as _check_limits
from rtaprotocol.money import ZERO, format_money, to_money
from rtaprotocol.money import _money as _plain_money
from rtaprotocol.sources import Reference

__all__ = [
    "CRITERIA",
    "DEFAULT_LIMITATION_WARNING_DAYS",
    "PORTAL_ACCIDENTS_FROM",
    "TARIFF_PROGNOSIS_MONTHS",
    "ClaimFacts",
    "Criterion",
    "CriterionCheck",
    "EligibilityResult",
    "ExitReason",
    "Location",
    "MedicalOutlook",
    "Notice",
    "Question",
    "Reason",
    "Redirect",
    "RevaluationResult",
    "RoadUserRole",
    "check_eligibility",
    "check_revaluation",
    "medical_report_outlook",
]

#: Accidents on or after this date may use the portal (guide 4.1).
PORTAL_ACCIDENTS_FROM: Final = date(2021, 5, 31)
#: The library's default warning window before the limitation deadline, in days. A
#: choice, not the guide's: a liability response alone takes 30 business days
#: (guide 6.3.1), an offer 20 more after the documents (6.5.3.1), so six months is a
#: cautious allowance for finishing the portal process.
DEFAULT_LIMITATION_WARNING_DAYS: Final = 180
#: An injury lasting longer than this from the accident is outside the tariff
#: (Civil Liability Act 2018 s.3; guide 6.4.2).
TARIFF_PROGNOSIS_MONTHS: Final = 24

_ADULT_AGE_REFERENCE: Final = "guide 4.1"
_FACTS_REFERENCE: Final = "guide 4.1, 4.2; protocol para 4.3"
_DATE_ORDER_REFERENCE: Final = "guide 4.1 (a claim is entered after the accident)"
_LIMITATION_REFERENCE: Final = "guide 5.4, 6.6.3.1; Limitation Act 1980 ss.11, 28"
_LIMITS_REFERENCE: Final = "guide 1.1, 4.1, 4.2, 4.4.3"
_INJURY_NEEDED_REFERENCE: Final = "guide 1.1, 4.1, 4.2 (a personal injury claim)"
_DEFENDANT_PROTECTED_REFERENCE: Final = (
    "guide 6.6.2.1 (a claim cannot proceed on the portal if either party becomes a protected "
    "party); definition: protocol para 4.3(g), quoted in guide 4.2"
)
_SCHEMA_REFERENCE: Final = "rtaprotocol schema claim-facts"
_OUTLOOK_REFERENCE: Final = "guide 6.4.2, 6.4.2.2; Civil Liability Act 2018 s.3"
_MITIGATION_REFERENCE: Final = "Civil Liability Act 2018 s.3(1)(b)(ii); guide 6.4.2"
_TARIFF_REGIME_REFERENCE: Final = (
    "Civil Liability Act 2018 Part 1; Whiplash Injury Regulations 2021 (SI 2021/642); guide 4.1"
)
_EXIT_REFERENCE: Final = "guide 6.6.2.1"


class Location(Enum):
    """Where the accident happened; only England and Wales are covered (guide 4.1).

    >>> Location("northern-ireland").in_england_or_wales
    False
    >>> Location.WALES.in_england_or_wales
    True
    """

    ENGLAND = "england"
    WALES = "wales"
    SCOTLAND = "scotland"
    NORTHERN_IRELAND = "northern-ireland"
    ELSEWHERE = "elsewhere"

    @property
    def in_england_or_wales(self) -> bool:
        """True for England and Wales, the only places the protocol covers."""
        return self is Location.ENGLAND or self is Location.WALES


class RoadUserRole(Enum):
    """What the claimant was at the time of the accident (guide 4.1, 4.2).

    ``VEHICLE_OCCUPANT`` ("you were inside a vehicle") is the only role that may use the
    portal; every other member is one of the vulnerable road users guide 4.2 lists.

    >>> RoadUserRole("sidecar-passenger").vulnerable
    True
    >>> RoadUserRole.VEHICLE_OCCUPANT.description
    'inside a vehicle'
    """

    VEHICLE_OCCUPANT = ("vehicle-occupant", "inside a vehicle")
    MOTORCYCLIST = ("motorcyclist", "a motorcyclist")
    PILLION_PASSENGER = ("pillion-passenger", "a pillion passenger")
    SIDECAR_PASSENGER = ("sidecar-passenger", "a passenger in a sidecar attached to a motorcycle")
    WHEELCHAIR_USER = ("wheelchair-user", "a wheelchair user")
    POWERED_WHEELCHAIR_USER = ("powered-wheelchair-user", "a powered wheelchair user")
    MOBILITY_SCOOTER_USER = ("mobility-scooter-user", "on a mobility scooter")
    CYCLIST = ("cyclist", "on a bicycle or other pedal cycle")
    HORSE_RIDER = ("horse-rider", "riding a horse")
    PEDESTRIAN = ("pedestrian", "a pedestrian")

    description: str

    def __new__(cls, slug: str, description: str) -> RoadUserRole:
        """Make a member whose value is its slug, with the guide's wording attached."""
        member = object.__new__(cls)
        member._value_ = slug
        member.description = description
        return member

    @property
    def vulnerable(self) -> bool:
        """True for every vulnerable road user in guide 4.2 (all but vehicle occupants)."""
        return self is not RoadUserRole.VEHICLE_OCCUPANT


# --------------------------------------------------------------------------- facts

_REQUIRED: Final = ("accident_date", "entry_date")
_BOOL_FIELDS: Final = (
    "someone_else_to_blame",
    "other_vehicle_registration_known",
    "other_vehicle_uk_registered",
    "claimant_protected_party",
    "defendant_protected_party",
    "health_and_safety_breach",
    "defendant_road_user",
    "untraced_driver",
    "claimant_personal_representative",
    "defendant_personal_representative",
    "claimant_bankrupt",
    "represented",
)
_MONEY_FIELDS: Final = ("injury", "other_protocol_damages")
_NEVER_COUNTED: Final = ("non_protocol_vehicle_costs", "fees")
_FIELDS: Final = (
    *_REQUIRED,
    "date_of_birth",
    "accident_location",
    "road_user",
    *_BOOL_FIELDS,
    *_MONEY_FIELDS,
    *_NEVER_COUNTED,
)
_FIELD_REFERENCES: Final[Mapping[str, str]] = {
    "accident_date": "guide 4.1",
    "entry_date": "guide 4.1",
    "date_of_birth": "guide 4.1, 5.4",
    "accident_location": "guide 4.1",
    "road_user": "guide 4.1, 4.2; protocol para 4.3",
    "someone_else_to_blame": "guide 4.1",
    "other_vehicle_registration_known": "guide 4.1, 4.3",
    "other_vehicle_uk_registered": "guide 4.1, 4.2, 4.3; protocol para 4.3",
    "claimant_protected_party": "guide 4.2; protocol para 4.3",
    "defendant_protected_party": _DEFENDANT_PROTECTED_REFERENCE,
    "health_and_safety_breach": "guide 4.2; protocol para 4.3",
    "defendant_road_user": "guide 4.2; protocol para 4.3",
    "untraced_driver": "guide 4.2; protocol para 4.3",
    "claimant_personal_representative": "guide 4.2; protocol para 4.3",
    "defendant_personal_representative": "guide 4.2; protocol para 4.3",
    "claimant_bankrupt": "guide 4.2; protocol para 4.3",
    "represented": "guide 5.3.1, 6.1 (step 3), 6.4.1",
    "injury": "guide 4.1, 4.4",
    "other_protocol_damages": "guide 1.1, 4.1, 4.4",
    "non_protocol_vehicle_costs": "guide 1.1.1",
    "fees": "guide 5.3",
}


def _covered_date(value: Any, fld: str) -> date:
    return supported_date(value, field=fld, reference=_FIELD_REFERENCES[fld])


def _optional_money(value: Any, fld: str) -> Decimal | None:
    if value is None:
        return None
    return to_money(value, field=fld, reference=_FIELD_REFERENCES[fld])


def _optional_date(value: Any, fld: str) -> date | None:
    if value is None:
        return None
    return check_date(value, field=fld, reference=_FIELD_REFERENCES[fld])


def _optional_member(enum: type[Location] | type[RoadUserRole]) -> Callable[[Any, str], Any]:
    def convert(value: Any, fld: str) -> Any:
        if value is None:
            return None
        return check_enum(value, enum, field=fld, reference=_FIELD_REFERENCES[fld])

    return convert


def _optional_flag(value: Any, fld: str) -> bool | None:
    return check_optional_bool(value, field=fld, reference=_FIELD_REFERENCES[fld])


def _money(value: Any, fld: str) -> Decimal:
    return to_money(value, field=fld, reference=_FIELD_REFERENCES[fld])


#: How the constructor converts each field, in the order it checks them (so a single bad
#: field is always reported as itself, and the first of several is the same every time).
_CONVERTERS: Final[Mapping[str, Callable[[Any, str], Any]]] = {
    "accident_date": _covered_date,
    "entry_date": _covered_date,
    "date_of_birth": _optional_date,
    **dict.fromkeys(_BOOL_FIELDS, _optional_flag),
    "accident_location": _optional_member(Location),
    "road_user": _optional_member(RoadUserRole),
    **dict.fromkeys(_MONEY_FIELDS, _optional_money),
    **dict.fromkeys(_NEVER_COUNTED, _money),
}


_DATE, _OPTIONAL_DATE, _FLAG, _MEMBER, _OPTIONAL_MONEY, _MONEY = range(6)
#: The constructor's plan, in the converters' order: each field, the kind of its fast
#: path, the members by slug (for a place or role) and its converter.
_PLAN: Final = tuple(
    (
        name,
        _DATE
        if name in _REQUIRED
        else _OPTIONAL_DATE
        if name == "date_of_birth"
        else _FLAG
        if name in _BOOL_FIELDS
        else _OPTIONAL_MONEY
        if name in _MONEY_FIELDS
        else _MONEY
        if name in _NEVER_COUNTED
        else _MEMBER,
        {m.value: m for m in (Location if name == "accident_location" else RoadUserRole)},
        convert,
    )
    for name, convert in _CONVERTERS.items()
)


def _convert(given: Mapping[str, Any]) -> dict[str, Any]:
    """Convert every field, in order: plain values by a fast path, the rest by its converter.

    The fast paths accept only values the converter would return unchanged (or convert
    the same way), so the first field refused, and its error, are the converter's.
    """
    converted: dict[str, Any] = {}
    for name, kind, members, convert in _PLAN:
        value = given[name]
        if kind == _FLAG:
            if value is None or value.__class__ is bool:
                converted[name] = value
                continue
        elif kind == _DATE:
            if value.__class__ is date and FIRST_SUPPORTED_DATE <= value <= LAST_SUPPORTED_DATE:
                converted[name] = value
                continue
        elif kind == _OPTIONAL_DATE:
            if value is None or value.__class__ is date:
                converted[name] = value
                continue
        elif kind == _MEMBER:
            if value is None:
                converted[name] = None
                continue
            if value.__class__ is str:
                member = members.get(value)
                if member is not None:
                    converted[name] = member
                    continue
        elif value is None and kind == _OPTIONAL_MONEY:
            converted[name] = None
            continue
        else:  # an amount, inside the library's context already
            converted[name] = _plain_money(value, name, _FIELD_REFERENCES[name])
            continue
        converted[name] = convert(value, name)
    return converted


def _cross_field_problems(
    converted: Mapping[str, Any], given: Mapping[str, Any]
) -> list[RulesError]:
    """Check the two rules across fields: entry not before the accident, nor birth after."""
    accident, found = converted["accident_date"], []
    if converted["entry_date"] < accident:
        found.append(
            RulesError(
                f"the claim cannot be entered before the accident on {accident}",
                value=given["entry_date"],
                field="entry_date",
                reference=_DATE_ORDER_REFERENCE,
            )
        )
    dob = converted["date_of_birth"]
    if dob is not None and dob > accident:
        found.append(
            RulesError(
                f"date of birth is after the accident on {accident}",
                value=given["date_of_birth"],
                field="date_of_birth",
                reference="guide 4.1, 5.4",
            )
        )
    return found


@final
@frozen(init=False)
class ClaimFacts:
    """What the portal asks at the start (guide 4.1, 4.2, 6.2.1.2), keyword-only.

    Required: ``accident_date`` and ``entry_date`` (the day the claim is entered on the
    portal), both within 2000-01-01..2100-12-31. Everything else defaults to ``None``,
    "not known yet", except the two amounts that never count towards the limits
    (``non_protocol_vehicle_costs``, ``fees``: guide 1.1.1, 5.3), which default to 0.

    ``represented`` is not a criterion: whether a representative acts for the claimant,
    which decides who arranges and pays the first medical report (guide 5.3.1, 6.4.1;
    ``None``: not stated). Each other flag is phrased as the guide phrases its criterion;
    the ones that bar the portal when ``True`` are ``claimant_protected_party``, ``defendant_protected_party``,
    ``health_and_safety_breach``, ``untraced_driver``, both ``*_personal_representative``
    and ``claimant_bankrupt``; the others bar it when ``False``.

    Refused (a :class:`~rtaprotocol.errors.RulesError` naming the field): wrong types
    (``0`` for ``False``, an ISO string for a date), a slug that is not a member, a bad
    amount, an entry date before the accident, a date of birth after the accident.

    >>> from datetime import date
    >>> facts = ClaimFacts(accident_date=date(2023, 3, 1), entry_date=date(2023, 4, 3),
    ...                    road_user="cyclist", injury="1390")
    >>> facts.road_user, facts.injury, facts.claimant_bankrupt
    (<RoadUserRole.CYCLIST: 'cyclist'>, Decimal('1390.00'), None)
    >>> ClaimFacts(accident_date=date(2023, 3, 1), entry_date=date(2023, 2, 28))
    Traceback (most recent call last):
    ...
    rtaprotocol.errors.RulesError: entry_date: the claim cannot be entered before the accident on 2023-03-01: got datetime.date(2023, 2, 28) [guide 4.1 (a claim is entered after the accident)]
    """

    accident_date: date
    entry_date: date
    date_of_birth: date | None
    accident_location: Location | None
    road_user: RoadUserRole | None
    someone_else_to_blame: bool | None
    other_vehicle_registration_known: bool | None
    other_vehicle_uk_registered: bool | None
    claimant_protected_party: bool | None
    defendant_protected_party: bool | None
    health_and_safety_breach: bool | None
    defendant_road_user: bool | None
    untraced_driver: bool | None
    claimant_personal_representative: bool | None
    defendant_personal_representative: bool | None
    claimant_bankrupt: bool | None
    represented: bool | None
    injury: Decimal | None
    other_protocol_damages: Decimal | None
    non_protocol_vehicle_costs: Decimal
    fees: Decimal

    @exact
    def __init__(
        self,
        *,
        accident_date: date,
        entry_date: date,
        date_of_birth: date | None = None,
        accident_location: Location | str | None = None,
        road_user: RoadUserRole | str | None = None,
        someone_else_to_blame: bool | None = None,
        other_vehicle_registration_known: bool | None = None,
        other_vehicle_uk_registered: bool | None = None,
        claimant_protected_party: bool | None = None,
        defendant_protected_party: bool | None = None,
        health_and_safety_breach: bool | None = None,
        defendant_road_user: bool | None = None,
        untraced_driver: bool | None = None,
        claimant_personal_representative: bool | None = None,
        defendant_personal_representative: bool | None = None,
        claimant_bankrupt: bool | None = None,
        represented: bool | None = None,
        injury: Decimal | int | str | None = None,
        other_protocol_damages: Decimal | int | str | None = None,
        non_protocol_vehicle_costs: Decimal | int | str = 0,
        fees: Decimal | int | str = 0,
    ) -> None:
        given = {
            "accident_date": accident_date,
            "entry_date": entry_date,
            "date_of_birth": date_of_birth,
            "accident_location": accident_location,
            "road_user": road_user,
            "someone_else_to_blame": someone_else_to_blame,
            "other_vehicle_registration_known": other_vehicle_registration_known,
            "other_vehicle_uk_registered": other_vehicle_uk_registered,
            "claimant_protected_party": claimant_protected_party,
            "defendant_protected_party": defendant_protected_party,
            "health_and_safety_breach": health_and_safety_breach,
            "defendant_road_user": defendant_road_user,
            "untraced_driver": untraced_driver,
            "claimant_personal_representative": claimant_personal_representative,
            "defendant_personal_representative": defendant_personal_representative,
            "claimant_bankrupt": claimant_bankrupt,
            "represented": represented,
            "injury": injury,
            "other_protocol_damages": other_protocol_damages,
            "non_protocol_vehicle_costs": non_protocol_vehicle_costs,
            "fees": fees,
        }
        converted = _convert(given)
        # Cross-field rules last, so a single bad field is always reported as itself.
        crossed = _cross_field_problems(converted, given)
        if crossed:
            raise crossed[0]
        self.__attrs_init__(**converted)

    @exact
    def to_dict(self) -> dict[str, Any]:
        """Return the facts as JSON-ready data: the shape :meth:`from_dict` reads back.

        >>> from datetime import date
        >>> ClaimFacts(accident_date=date(2023, 3, 1), entry_date=date(2023, 4, 3)).to_dict()["fees"]
        '0.00'
        """
        return {name: jsonable(getattr(self, name)) for name in _FIELDS}

    @classmethod
    @exact
    def from_dict(cls, data: Mapping[str, Any]) -> ClaimFacts:
        """Build facts from parsed JSON, exactly as the ``claim-facts`` schema says (``rtaprotocol schema claim-facts``).

        Stricter than the constructor, because this is the door for files: dates are
        ``YYYY-MM-DD`` strings, flags ``true``/``false``/``null``, places and roles their
        slugs, amounts a string of pounds with at most two decimal places (``"1390.50"``)
        or a JSON number by the one number policy (:func:`~rtaprotocol.money.read_number`),
        at most :data:`~rtaprotocol.money.MAX_AMOUNT`. Unknown keys and
        missing ``accident_date``/``entry_date`` are refused. Two rules the schema cannot
        express are enforced here and by the constructor: the entry date is not before
        the accident, and the date of birth is not after it.

        >>> facts = ClaimFacts.from_dict({"accident_date": "2023-03-01",
        ...                               "entry_date": "2023-04-03", "injury": 1390})
        >>> facts.injury, facts == ClaimFacts.from_dict(facts.to_dict())
        (Decimal('1390.00'), True)
        >>> ClaimFacts.from_dict({"accident_date": "2023-03-01", "entry_date": "2023-04-03",
        ...                       "injury": 1390.505})
        Traceback (most recent call last):
        ...
        rtaprotocol.errors.RulesError: $.injury: amount has more than two decimal places of value: got 1390.505 [rtaprotocol schema claim-facts]
        """
        problems = _facts_problems(data)
        if len(problems) == 1:
            raise problems[0]
        if problems:
            raise InvalidInput(problems, reference=_SCHEMA_REFERENCE)
        return cls(**{name: _read_json(name, value) for name, value in data.items()})

    @classmethod
    @exact
    def from_json(cls, text: str | bytes) -> ClaimFacts:
        """Build facts from JSON text: :func:`rtaprotocol.json.loads`, then :meth:`from_dict`.

        >>> ClaimFacts.from_json('{"accident_date": "2023-03-01", "accident_date": "2023-03-02"}')
        Traceback (most recent call last):
        ...
        rtaprotocol.errors.InvalidJSON: /accident_date: the same key appears twice in one JSON object, so its value is ambiguous: got 'accident_date' [rtaprotocol json text (RFC 8259)]
        """
        from rtaprotocol.json import loads

        return cls.from_dict(loads(text))

    @classmethod
    @exact
    def problems(cls, data: Any) -> tuple[RulesError, ...]:
        """Return every problem in a facts document, each with its JSON path; never raise.

        The same checks as :meth:`from_dict` (the schema's, then the constructor's, then
        the two rules across fields), all of them: an empty tuple means ``from_dict``
        accepts ``data``. Each problem's ``field`` is a JSON path such as ``$.injury``.

        >>> for p in ClaimFacts.problems({"accident_date": "2023-02-30", "injury": -5,
        ...                               "psych": True}):
        ...     print(p)
        $.psych: unknown key in the facts; allowed: ...
        $.entry_date: required key is missing [rtaprotocol schema claim-facts]
        $.accident_date: no such date: got '2023-02-30' [rtaprotocol schema claim-facts]
        $.injury: amount is negative: got -5 [rtaprotocol schema claim-facts]
        """
        return _facts_problems(data)


def _json_path(key: object) -> str:
    """``$.name`` for a key that is a plain name, else ``$["..."]`` (JSONPath)."""
    if isinstance(key, str) and key.isidentifier() and key.isascii():
        return f"$.{key}"
    return f"$[{_shorten(key) if not isinstance(key, str) else _json_string(key)}]"


def _json_string(text: str) -> str:
    """Quote ``text`` as a JSON string (for a JSON path), without a huge result."""
    return json.dumps(str.__str__(text)[:80])


def _at(err: RulesError, path: str) -> RulesError:
    """Return ``err`` again with ``path`` as its field (a JSON path) and its pointer."""
    return err.evolve(field=path)


def _read_json(name: str, value: Any) -> Any:
    """Read one known field of a facts document by the schema's rules, or raise."""
    if name in {"accident_date", "entry_date"}:
        return _json_date(value, name, nullable=False)
    if name == "date_of_birth":
        return _json_date(value, name, nullable=True)
    if name in {"accident_location", "road_user"}:
        return _json_slug(value, name)
    if name in _BOOL_FIELDS:
        return check_optional_bool(value, field=name, reference=_SCHEMA_REFERENCE)
    return _json_money(value, name, nullable=name in _MONEY_FIELDS)


def _facts_problems(data: Any) -> tuple[RulesError, ...]:
    """Every problem in a facts document, in a fixed order, each with its JSON path."""
    if not isinstance(data, Mapping):
        return (
            RulesTypeError(
                f"facts must be a JSON object, not {type(data).__name__}",
                value=data,
                field="$",
                reference=_SCHEMA_REFERENCE,
            ),
        )
    problems: list[RulesError] = []
    known = set(_FIELDS)
    problems.extend(
        RulesError(
            "unknown key in the facts; allowed: " + ", ".join(_FIELDS),
            value=key,
            field=_json_path(key),
            reference=_SCHEMA_REFERENCE,
        )
        for key in data
        if not (isinstance(key, str) and key in known)
    )
    problems.extend(
        RulesError("required key is missing", field=f"$.{name}", reference=_SCHEMA_REFERENCE)
        for name in _REQUIRED
        if name not in data
    )
    given: dict[str, Any] = {"date_of_birth": None}
    converted: dict[str, Any] = {"date_of_birth": None}
    for name in _FIELDS:  # the constructor's order, whatever the document's
        if name not in data:
            continue
        value = data[name]
        try:
            converted[name] = _CONVERTERS[name](_read_json(name, value), name)
            given[name] = value
        except RulesError as err:
            problems.append(_at(err, f"$.{name}"))
    if all(name in converted for name in (*_REQUIRED, "date_of_birth")):
        problems.extend(
            _at(err, f"$.{err.field}") for err in _cross_field_problems(converted, given)
        )
    return tuple(problems)


_JSON_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _json_date(value: Any, name: str, *, nullable: bool) -> date | None:
    """Read a date by the one date grammar (YYYY-MM-DD, nothing around it)."""
    if value is None and nullable:
        return None
    return parse_iso_date(value, field=name, reference=_SCHEMA_REFERENCE)


def _json_slug(value: Any, name: str) -> str | None:
    if value is None or isinstance(value, str):
        return value
    raise RulesTypeError(
        f"expected a string slug or null, not {type(value).__name__}",
        value=value,
        field=name,
        reference=_SCHEMA_REFERENCE,
    )


def _json_money(value: Any, name: str, *, nullable: bool) -> Decimal | int | None:
    """Read an amount by the library's one number policy (``to_money``)."""
    if value is None and nullable:
        return None
    return to_money(value, field=name, reference=_SCHEMA_REFERENCE)


# --------------------------------------------------------------------------- criteria


@final
@frozen
class Criterion:
    """One requirement of guide 4.1/4.2, with its stable ``code`` and ``reference``.

    ``fields`` are the :class:`ClaimFacts` fields it reads; ``requirement`` says what
    must be true for the claim to use the portal.

    >>> CRITERIA[0].code, CRITERIA[0].reference
    ('injury_over_limit', 'guide 1.1, 4.1, 4.2, 4.4.3')
    """

    code: str
    requirement: str
    reference: str = attrs.field(converter=Reference)
    fields: tuple[str, ...]

    @exact
    def to_dict(self) -> dict[str, Any]:
        """Return JSON-ready data."""
        return {
            "code": self.code,
            "requirement": self.requirement,
            "reference": self.reference,
            "fields": list(self.fields),
        }


def _c(code: str, requirement: str, fields: tuple[str, ...], reference: str) -> Criterion:
    return Criterion(code=code, requirement=requirement, reference=reference, fields=fields)


#: Every criterion, in the fixed order reasons are reported: guide 4.1's list, then 4.2's.
CRITERIA: Final[tuple[Criterion, ...]] = (
    _c("injury_over_limit", "injury claim not more than £5,000", ("injury",), _LIMITS_REFERENCE),
    _c("total_over_limit", "injury plus other protocol damages not more than £10,000",
       ("injury", "other_protocol_damages"), _LIMITS_REFERENCE),
    _c("claimant_under_18", "claimant aged 18 or over when the claim is entered",
       ("date_of_birth",), "guide 4.1"),
    _c("accident_outside_england_and_wales", "accident in England or Wales",
       ("accident_location",), "guide 4.1"),
    _c("accident_before_31_may_2021", "accident on or after 31 May 2021", ("accident_date",),
       "guide 4.1"),
    _c("vulnerable_road_user", "claimant inside a vehicle, not a vulnerable road user",
       ("road_user",), "guide 4.1, 4.2; protocol para 4.3"),
    _c("no_one_else_to_blame", "someone else responsible in full or in part",
       ("someone_else_to_blame",), "guide 4.1"),
    _c("registration_unknown", "registration of the vehicle responsible known",
       ("other_vehicle_registration_known",), "guide 4.1, 4.3"),
    _c("other_vehicle_not_uk_registered", "vehicle responsible has a UK registration plate",
       ("other_vehicle_uk_registered",), "guide 4.1, 4.2, 4.3; protocol para 4.3"),
    _c("no_injury", "a personal injury claim: an injury valued at more than £0.00",
       ("injury",), _INJURY_NEEDED_REFERENCE),
    _c("claimant_protected_party", "claimant not a protected party",
       ("claimant_protected_party",), "guide 4.2; protocol para 4.3"),
    _c("defendant_protected_party",
       "defendant not a protected party (either party being one stops a portal claim)",
       ("defendant_protected_party",), _DEFENDANT_PROTECTED_REFERENCE),
    _c("health_and_safety_breach", "injury not partly caused by a breach of HSWA 1974 s.53",
       ("health_and_safety_breach",), "guide 4.2; protocol para 4.3"),
    _c("defendant_not_road_user", "defendant a road user", ("defendant_road_user",),
       "guide 4.2; protocol para 4.3"),
    _c("untraced_driver", "driver responsible is traced", ("untraced_driver",),
       "guide 4.2; protocol para 4.3; Untraced Drivers' Agreement 2017"),
    _c("claimant_personal_representative", "claimant not a personal representative",
       ("claimant_personal_representative",), "guide 4.2; protocol para 4.3"),
    _c("defendant_personal_representative", "defendant not a personal representative",
       ("defendant_personal_representative",), "guide 4.2; protocol para 4.3"),
    _c("claimant_bankrupt", "claimant not bankrupt", ("claimant_bankrupt",),
       "guide 4.2; protocol para 4.3"),
)  # fmt: skip

_QUESTIONS: Final[Mapping[str, str]] = {
    "injury": "What is your injury claim worth (pain, suffering and loss of amenity, "
    "whiplash tariff and other injuries together)?",
    "other_protocol_damages": "What are your other protocol damages worth (losses, costs "
    "and expenses other than for the injury, leaving out non-protocol vehicle costs)?",
    "date_of_birth": "What is your date of birth?",
    "accident_location": "Where did the accident happen: England, Wales, Scotland, "
    "Northern Ireland or elsewhere?",
    "road_user": "Were you inside a vehicle at the time of the accident, or a "
    "motorcyclist, pillion or sidecar passenger, wheelchair or powered wheelchair user, "
    "on a mobility scooter, on a bicycle or other pedal cycle, riding a horse or a "
    "pedestrian?",
    "someone_else_to_blame": "Do you believe someone else was responsible, in full or in "
    "part, for the accident?",
    "other_vehicle_registration_known": "Do you have the registration number of the "
    "vehicle you believe was responsible?",
    "other_vehicle_uk_registered": "Did the vehicle you believe was responsible have a UK "
    "registration number plate?",
    "claimant_protected_party": "Are you a protected party (someone who lacks capacity to "
    "conduct proceedings)?",
    "defendant_protected_party": "Is the defendant a protected party (someone who lacks "
    "capacity to conduct proceedings)?",
    "health_and_safety_breach": "Were your injuries partly caused by the defendant's "
    "breach of section 53 of the Health and Safety at Work etc Act 1974?",
    "defendant_road_user": "Is the person you are claiming against a road user?",
    "untraced_driver": "Is your claim against an untraced driver (Untraced Drivers' "
    "Agreement 2017)?",
    "claimant_personal_representative": "Are you claiming as the personal representative "
    "of someone who has died?",
    "defendant_personal_representative": "Is the defendant the personal representative of "
    "someone who has died?",
    "claimant_bankrupt": "Are you currently bankrupt?",
}


@final
@frozen
class Reason:
    """Why a claim cannot use the portal: a criterion that fails (guide 4.1, 4.2).

    ``code`` is stable and machine-readable (one of :data:`CRITERIA`' codes),
    ``message`` is for the claimant, ``reference`` is the rule. ``redirect`` is set when
    the guide sends the claimant somewhere else instead (guide 4.3): a redirect, not a
    plain refusal; it is ``None`` for every other reason.

    >>> Reason(code="claimant_bankrupt", message="you are currently bankrupt",
    ...        reference="guide 4.2").to_dict()
    {'code': 'claimant_bankrupt', 'message': 'you are currently bankrupt', 'reference': 'guide 4.2', 'redirect': None}
    """

    code: str
    message: str
    reference: str = attrs.field(converter=Reference)
    redirect: Redirect | None = None

    @exact
    def to_dict(self) -> dict[str, Any]:
        """Return JSON-ready data (``redirect`` is ``None`` or the redirect's data)."""
        return {
            "code": self.code,
            "message": self.message,
            "reference": self.reference,
            "redirect": None if self.redirect is None else self.redirect.to_dict(),
        }


@final
@frozen
class Question:
    """An unknown answer some criterion still depends on, and the question to ask.

    >>> Question(field="date_of_birth", question="What is your date of birth?",
    ...          reference="guide 4.1").field
    'date_of_birth'
    """

    field: str
    question: str
    reference: str = attrs.field(converter=Reference)

    @exact
    def to_dict(self) -> dict[str, Any]:
        """Return JSON-ready data."""
        return {"field": self.field, "question": self.question, "reference": self.reference}


@final
@frozen
class Redirect:
    """Where the guide sends a claimant instead of the portal (guide 4.3).

    >>> Redirect(code="mib_green_card", to="Motor Insurers' Bureau Green Card",
    ...          message="might be able to help", reference="guide 4.3").to
    "Motor Insurers' Bureau Green Card"
    """

    code: str
    to: str
    message: str
    reference: str = attrs.field(converter=Reference)

    @exact
    def to_dict(self) -> dict[str, Any]:
        """Return JSON-ready data."""
        return {
            "code": self.code,
            "to": self.to,
            "message": self.message,
            "reference": self.reference,
        }


@final
@frozen
class Notice:
    """A warning that does not bar the portal, such as a near limitation deadline (guide 5.4).

    >>> Notice(code="limitation_near", message="...", reference="guide 5.4").code
    'limitation_near'
    """

    code: str
    message: str
    reference: str = attrs.field(converter=Reference)

    @exact
    def to_dict(self) -> dict[str, Any]:
        """Return JSON-ready data."""
        return {"code": self.code, "message": self.message, "reference": self.reference}


@final
@frozen
class CriterionCheck:
    """One criterion's outcome for one claim: ``met`` is True, False or None (unknown).

    >>> CriterionCheck(criterion=CRITERIA[2], met=None).status
    'unknown'
    """

    criterion: Criterion
    met: bool | None

    @property
    @exact
    def status(self) -> str:
        """``"met"``, ``"not met"`` or ``"unknown"``."""
        return {True: "met", False: "not met", None: "unknown"}[self.met]

    @exact
    def to_dict(self) -> dict[str, Any]:
        """Return JSON-ready data."""
        return {
            "code": self.criterion.code,
            "requirement": self.criterion.requirement,
            "reference": self.criterion.reference,
            "met": self.met,
        }


# Each evaluator returns (met, message): met is None when an answer it needs is unknown;
# the message explains a failure to the claimant and is ignored otherwise.
_Outcome = tuple[bool | None, str]


def _flag(value: bool | None, bars_when: bool, message: str) -> _Outcome:
    if value is None:
        return None, ""
    return value is not bars_when, message


def _known_breaches(f: ClaimFacts) -> dict[str, LimitBreach]:
    """Run the value-limit check (``limits.check_value_limits``) on the amounts known so far.

    An unknown amount counts as £0.00 here: amounts are never negative, so a breach by
    the known amounts is a breach whatever the unknown one turns out to be.
    """
    check = check_value_limits(
        ZERO if f.injury is None else f.injury,
        ZERO if f.other_protocol_damages is None else f.other_protocol_damages,
    )
    return {b.code: b for b in check.breaches}


def _injury(f: ClaimFacts) -> _Outcome:
    if f.injury is None:
        return None, ""
    if not _over_limits(f.injury, f.injury)[0]:  # within: no breach to describe
        return True, ""
    breach = _known_breaches(f).get("injury_over_limit")
    if breach is None:
        return True, ""
    return False, (
        f"your injury claim of {format_money(breach.value)} is more than the "
        f"{format_money(breach.limit)} limit by {format_money(breach.excess)}: seek advice "
        "(guide 1.2.3.1)"
    )


def _total(f: ClaimFacts) -> _Outcome:
    partial = f.injury is None or f.other_protocol_damages is None
    inj, other = f.injury, f.other_protocol_damages
    if inj is not None and other is not None and not _over_limits(inj, inj + other)[1]:
        return True, ""  # both known and within: no breach to describe
    breach = _known_breaches(f).get("total_over_limit")
    if breach is None:
        return (None if partial else True), ""
    at_least = "at least " if partial else ""
    return False, (
        f"your injury and other protocol damages come to {at_least}"
        f"{format_money(breach.value)}, more than the {format_money(breach.limit)} limit by "
        f"{at_least}{format_money(breach.excess)} (non-protocol vehicle costs and "
        "fees do not count): seek advice (guide 1.2.3.1)"
    )


def _age(f: ClaimFacts) -> _Outcome:
    if f.date_of_birth is None:
        return None, ""
    birthday = eighteenth_birthday(f.date_of_birth)
    if f.entry_date >= birthday:
        return True, ""
    return False, (
        f"you are under 18 on {f.entry_date}, the day the claim is entered; you turn "
        f"18 on {birthday}"
    )


def _location(f: ClaimFacts) -> _Outcome:
    loc = f.accident_location
    if loc is None:
        return None, ""
    if loc.in_england_or_wales:
        return True, ""
    place = loc.value.replace("-", " ").title() if loc is not Location.ELSEWHERE else "elsewhere"
    where = "outside the UK" if loc is Location.ELSEWHERE else f"in {place}"
    return loc.in_england_or_wales, f"the accident happened {where}, not in England or Wales"


def _regime(f: ClaimFacts) -> _Outcome:
    if f.accident_date >= PORTAL_ACCIDENTS_FROM:
        return True, ""
    return False, (
        f"the accident on {f.accident_date} happened before 31 May 2021; the portal only "
        "takes accidents on or after that date"
    )


def _role(f: ClaimFacts) -> _Outcome:
    if f.road_user is None:
        return None, ""
    if not f.road_user.vulnerable:
        return True, ""
    return False, (
        f"you were {f.road_user.description} at the time of the accident: a vulnerable "
        "road user, not inside a vehicle"
    )


def _needs_injury(f: ClaimFacts) -> _Outcome:
    if f.injury is None:
        return None, ""
    return f.injury > 0, (
        "the portal is for a personal injury claim, and the injury is valued at £0.00 (or "
        "there is no injury): a claim with no injury cannot use it"
    )


_EVALUATORS: Final[Mapping[str, Callable[[ClaimFacts], _Outcome]]] = {
    "no_injury": _needs_injury,
    "injury_over_limit": _injury,
    "total_over_limit": _total,
    "claimant_under_18": _age,
    "accident_outside_england_and_wales": _location,
    "accident_before_31_may_2021": _regime,
    "vulnerable_road_user": _role,
    "no_one_else_to_blame": lambda f: _flag(
        f.someone_else_to_blame,
        False,
        "you do not believe someone else was responsible, in full or in part, for the accident",
    ),
    "registration_unknown": lambda f: _flag(
        f.other_vehicle_registration_known,
        False,
        "redirect: you do not have the registration number of the "
        "vehicle you believe was responsible, so the claim cannot start on the portal; "
        "go instead to the Motor Insurers' Bureau, which might be able to help (guide 4.3)",
    ),
    "other_vehicle_not_uk_registered": lambda f: _flag(
        f.other_vehicle_uk_registered,
        False,
        "redirect: the vehicle you believe was responsible had "
        "foreign number plates (registered outside the United Kingdom), so the claim "
        "cannot start on the portal; go instead to the Motor Insurers' Bureau Green Card, "
        "which might be able to help (guide 4.3)",
    ),
    "claimant_protected_party": lambda f: _flag(
        f.claimant_protected_party,
        True,
        "you are a protected party (a party who lacks capacity to conduct proceedings)",
    ),
    "defendant_protected_party": lambda f: _flag(
        f.defendant_protected_party,
        True,
        "the defendant is a protected party (a party who lacks capacity to conduct "
        "proceedings): a claim cannot proceed on the portal if either party is one "
        "(guide 6.6.2.1); seek advice",
    ),
    "health_and_safety_breach": lambda f: _flag(
        f.health_and_safety_breach,
        True,
        "your injuries were partly caused by the defendant's breach of section 53 of the "
        "Health and Safety at Work etc Act 1974",
    ),
    "defendant_not_road_user": lambda f: _flag(
        f.defendant_road_user,
        False,
        "your claim is for a breach of duty owed to a road user by a person who is not a road user",
    ),
    "untraced_driver": lambda f: _flag(
        f.untraced_driver,
        True,
        "redirect: your claim is against an untraced driver (Untraced Drivers' Agreement "
        "2017), so it cannot use the portal and is not a court claim either (there is no "
        "one to sue); go instead to the Motor Insurers' Bureau, which deals with it under "
        "that agreement (guide 4.2)",
    ),
    "claimant_personal_representative": lambda f: _flag(
        f.claimant_personal_representative,
        True,
        "you are claiming as the personal representative of a deceased person",
    ),
    "defendant_personal_representative": lambda f: _flag(
        f.defendant_personal_representative,
        True,
        "the defendant is the personal representative of a deceased person",
    ),
    "claimant_bankrupt": lambda f: _flag(f.claimant_bankrupt, True, "you are currently bankrupt"),
}

#: The criteria whose failure the guide answers with a redirect (guide 4.3), by code; an
#: untraced driver's claim is redirected to the MIB the same way (guide 4.2 excludes it;
#: the Untraced Drivers' Agreement 2017 is where it goes: routing sends it there too).
_REDIRECTS: Final[Mapping[str, Redirect]] = {
    "registration_unknown": Redirect(
        code="motor_insurers_bureau",
        to="Motor Insurers' Bureau",
        message="you do not have the registration number of the vehicle: the Motor "
        "Insurers' Bureau might be able to help",
        reference="guide 4.3",
    ),
    "untraced_driver": Redirect(
        code="mib_untraced_drivers",
        to="Motor Insurers' Bureau (Untraced Drivers' Agreement 2017)",
        message="the driver responsible cannot be traced: the claim is made to the Motor "
        "Insurers' Bureau under the Untraced Drivers' Agreement 2017, by its own procedure",
        reference="guide 4.2; Untraced Drivers' Agreement 2017",
    ),
    "other_vehicle_not_uk_registered": Redirect(
        code="mib_green_card",
        to="Motor Insurers' Bureau Green Card",
        message="the vehicle you believe was responsible had foreign number plates: the "
        "Motor Insurers' Bureau Green Card might be able to help",
        reference="guide 4.3",
    ),
}


#: Each criterion with its evaluator, in :data:`CRITERIA` order.
_CRITERIA_EVALUATORS: Final = tuple((c, _EVALUATORS[c.code]) for c in CRITERIA)


@final
class _PendingChecks(tuple[bool | None, ...]):
    """Each criterion's ``met``, in :data:`CRITERIA` order: the checks, not yet built."""

    __slots__ = ()


@final
class _PendingLimits(tuple[Decimal, Decimal, Decimal, Decimal]):
    """The four validated amounts (injury, other, non-protocol, fees): the check, not yet built."""

    __slots__ = ()


def _build_checks(pending: _PendingChecks) -> tuple[CriterionCheck, ...]:
    """Build the trace of every criterion (when first read: the verdict does not need it)."""
    return tuple(
        CriterionCheck(criterion=c, met=met) for c, met in zip(CRITERIA, pending, strict=True)
    )


@final
@frozen(eq=False)
class EligibilityResult(KeyedEquality):
    """Whether a claim may use the portal, every reason, and what is still to ask.

    ``eligible`` is True, False or None ("cannot tell yet"); see
    :func:`check_eligibility`. ``checks`` traces every criterion; ``value_limits`` is
    the full :class:`~rtaprotocol.limits.ValueLimitCheck` when both amounts are known
    (else ``None``); ``limitation_deadline`` is the last day to issue proceedings,
    assuming an adult claimant when the date of birth is unknown (the earliest it can be).
    """

    facts: ClaimFacts
    eligible: bool | None
    reasons: tuple[Reason, ...]
    questions: tuple[Question, ...]
    redirects: tuple[Redirect, ...]
    warnings: tuple[Notice, ...]
    # Given as ``checks=`` (attrs drops the underscore); check_eligibility passes a
    # _PendingChecks and the CriterionCheck rows are built, once, when first read.
    _checks: tuple[CriterionCheck, ...] | _PendingChecks
    # Given as ``value_limits=``; check_eligibility passes a _PendingLimits and the
    # ValueLimitCheck is built, once, when first read (the verdict does not need it).
    _value_limits: ValueLimitCheck | _PendingLimits | None
    limitation_deadline: date
    limitation_warning_days: int

    @property
    @exact
    def checks(self) -> tuple[CriterionCheck, ...]:
        """Every criterion's outcome, in :data:`CRITERIA` order (built when first read)."""
        checks = self._checks
        if isinstance(checks, _PendingChecks):
            checks = _build_checks(checks)
            object.__setattr__(self, "_checks", checks)  # a private cache slot
        return checks

    @property
    @exact
    def value_limits(self) -> ValueLimitCheck | None:
        """The value-limit check, when both amounts are known (built when first read)."""
        limits = self._value_limits
        if isinstance(limits, _PendingLimits):
            limits = _check_limits(*limits)
            object.__setattr__(self, "_value_limits", limits)  # a private cache slot
        return limits

    def _key(self) -> tuple[Any, ...]:
        return (
            self.facts,
            self.eligible,
            self.reasons,
            self.questions,
            self.redirects,
            self.warnings,
            self.checks,
            self.value_limits,
            self.limitation_deadline,
            self.limitation_warning_days,
        )

    @exact
    def __repr__(self) -> str:
        return (
            f"EligibilityResult(facts={self.facts!r}, eligible={self.eligible!r}, "
            f"reasons={self.reasons!r}, questions={self.questions!r}, "
            f"redirects={self.redirects!r}, warnings={self.warnings!r}, "
            f"checks={self.checks!r}, value_limits={self.value_limits!r}, "
            f"limitation_deadline={self.limitation_deadline!r}, "
            f"limitation_warning_days={self.limitation_warning_days!r})"
        )

    @property
    @exact
    def verdict(self) -> str:
        """``"eligible"``, ``"not eligible"`` or ``"cannot tell yet"``."""
        return {True: "eligible", False: "not eligible", None: "cannot tell yet"}[self.eligible]

    @property
    @exact
    def codes(self) -> tuple[str, ...]:
        """The failing criteria's codes, in :data:`CRITERIA` order."""
        return tuple(r.code for r in self.reasons)

    @property
    @exact
    def headline(self) -> str:
        """The verdict in one line for the claimant; a redirect names where to go.

        When every reason is a redirect (guide 4.3) the headline sends the claimant
        there rather than to "seek advice"; when some are, it points to both.
        """
        if self.eligible is True:
            return "Eligible: this claim can use the Official Injury Claim portal (guide 4.1)"
        if self.eligible is None:
            return "Cannot tell yet: answer the questions below (guide 4.1, 4.2)"
        refused = "Not eligible: this claim cannot use the Official Injury Claim portal"
        if not self.redirects:
            return f"{refused}; seek advice (guide 4.1, 4.2)"
        where = " or ".join(f"the {r.to}" for r in self.redirects)
        if all(r.redirect is not None for r in self.reasons):
            cited = (
                "guide 4.1, 4.2, 4.3"
                if any(r.code == "mib_untraced_drivers" for r in self.redirects)
                else "guide 4.1, 4.3"
            )
            return f"{refused}; the guide redirects you: go instead to {where} ({cited})"
        return (
            f"{refused}; seek advice (guide 4.1, 4.2); the guide also redirects you to "
            f"{where} (guide 4.3)"
        )

    def _sections(self) -> list[tuple[str, list[str], list[list[Any]]]]:
        sections: list[tuple[str, list[str], list[list[Any]]]] = [
            (
                self.headline,
                ["requirement", "status", "reference"],
                [[c.criterion.requirement, c.status, c.criterion.reference] for c in self.checks],
            )
        ]
        if self.redirects:
            rows = [[r.to, r.message, r.reference] for r in self.redirects]
            sections.append(("Where to go instead", ["go to", "why", "reference"], rows))
        if self.reasons:
            rows = [[r.code, r.message, r.reference] for r in self.reasons]
            sections.append(("Reasons", ["code", "reason", "reference"], rows))
        if self.questions:
            rows = [[q.field, q.question, q.reference] for q in self.questions]
            sections.append(("Questions to answer", ["field", "question", "reference"], rows))
        if self.warnings:
            rows = [[w.code, w.message, w.reference] for w in self.warnings]
            sections.append(("Warnings", ["code", "warning", "reference"], rows))
        return sections

    @exact
    def __str__(self) -> str:
        parts = [text_table(h, rows, title=title) for title, h, rows in self._sections()]
        if self.value_limits is not None:
            parts.append(str(self.value_limits))
        parts.append(f"Limitation deadline: {self.limitation_deadline} ({_LIMITATION_REFERENCE})")
        return "\n\n".join(parts)

    @exact
    def _repr_html_(self) -> str:
        """Render the verdict first, then every criterion, limit and the limitation deadline."""
        sections = self._sections()
        parts = [html_verdict(self.headline, self.eligible)]
        parts.extend(
            html_table(h, rows, caption="Each criterion" if i == 0 else title)
            for i, (title, h, rows) in enumerate(sections)
        )
        if self.value_limits is not None:
            parts.append(self.value_limits._repr_html_())
        parts.append(
            "<p>"
            + html_text(
                f"Limitation deadline: {self.limitation_deadline} [{_LIMITATION_REFERENCE}]"
            )
            + "</p>"
        )
        return "".join(parts)

    @exact
    def to_dict(self) -> dict[str, Any]:
        """Return JSON-ready data: verdict, reasons, questions, redirects, warnings, trace."""
        return {
            "eligible": self.eligible,
            "verdict": self.verdict,
            "headline": self.headline,
            "reasons": [r.to_dict() for r in self.reasons],
            "questions": [q.to_dict() for q in self.questions],
            "redirects": [r.to_dict() for r in self.redirects],
            "warnings": [w.to_dict() for w in self.warnings],
            "checks": [c.to_dict() for c in self.checks],
            "value_limits": None if self.value_limits is None else self.value_limits.to_dict(),
            "limitation_deadline": jsonable(self.limitation_deadline),
            "limitation_reference": _LIMITATION_REFERENCE,
            "limitation_warning_days": self.limitation_warning_days,
            "facts": self.facts.to_dict(),
        }


def _limitation_warnings(facts: ClaimFacts, deadline: date, window: int) -> tuple[Notice, ...]:
    days_left = (deadline - facts.entry_date).days
    if days_left > window:
        return ()
    caveat = ""
    if facts.date_of_birth is None:
        caveat = (
            " (your date of birth is not known, so this is the earliest the deadline can "
            "be: it is later if you were under 18 at the accident)"
        )
    if days_left < 0:
        return (
            Notice(
                code="limitation_passed",
                message=(
                    f"the 3-year limitation period ended on {deadline}{caveat}, "
                    f"{-days_left} days before the claim is entered: you can still enter "
                    "it, but the compensator is likely to deny liability; seek advice"
                ),
                reference=_LIMITATION_REFERENCE,
            ),
        )
    return (
        Notice(
            code="limitation_near",
            message=(
                f"the 3-year limitation period ends on {deadline}{caveat}, {days_left} days "
                "after the claim is entered; starting on the portal does not stop the "
                "clock: if it will pass before the portal process ends, select 'Go to "
                "court' and issue proceedings"
            ),
            reference=_LIMITATION_REFERENCE,
        ),
    )


@exact
def check_eligibility(
    facts: ClaimFacts, *, limitation_warning_days: int = DEFAULT_LIMITATION_WARNING_DAYS
) -> EligibilityResult:
    """Check a claim against every criterion of guide 4.1 and 4.2 (protocol para 4.3).

    - ``eligible`` is False when any known answer fails a criterion (with the open
      questions still listed), None when nothing known fails but an answer a criterion
      needs is unknown, True only when every criterion is met.
    - Age is taken on ``entry_date``: an 18th birthday on the entry date is eligible.
    - The value limits reuse :func:`~rtaprotocol.limits.check_value_limits`: exactly
      £5,000 and £10,000 are inside; non-protocol vehicle costs and fees never count.
      With one amount unknown, the known amounts still fail the £10,000 limit if they
      already exceed it.
    - ``warnings`` has ``limitation_passed`` when the limitation deadline is before the
      entry date, ``limitation_near`` when it is at most ``limitation_warning_days``
      days after it (guide 5.4).

    >>> from datetime import date
    >>> facts = ClaimFacts(
    ...     accident_date=date(2023, 3, 1), entry_date=date(2023, 4, 3),
    ...     date_of_birth=date(2005, 4, 3), accident_location="england",
    ...     road_user="vehicle-occupant", someone_else_to_blame=True,
    ...     other_vehicle_registration_known=True, other_vehicle_uk_registered=True,
    ...     claimant_protected_party=False, defendant_protected_party=False,
    ...     health_and_safety_breach=False, defendant_road_user=True, untraced_driver=False,
    ...     claimant_personal_representative=False, defendant_personal_representative=False,
    ...     claimant_bankrupt=False, injury="5000.00", other_protocol_damages="5000.00",
    ...     non_protocol_vehicle_costs=12000)
    >>> check_eligibility(facts).eligible   # 18 on the entry date; exactly at both limits
    True
    >>> import attrs
    >>> result = check_eligibility(attrs.evolve(facts, road_user="cyclist", injury=None))
    >>> result.eligible, result.codes, [q.field for q in result.questions]
    (False, ('vulnerable_road_user',), ['injury'])
    """
    if not isinstance(facts, ClaimFacts):
        raise RulesTypeError(
            f"expected ClaimFacts, not {type(facts).__name__}",
            value=facts,
            field="facts",
            reference=_FACTS_REFERENCE,
        )
    window = (
        limitation_warning_days
        if limitation_warning_days.__class__ is int
        else check_int(
            limitation_warning_days, field="limitation_warning_days", reference="guide 5.4"
        )
    )
    if window < 0:
        raise RulesError(
            "the warning window cannot be negative",
            value=limitation_warning_days,
            field="limitation_warning_days",
            reference="guide 5.4",
        )
    mets: list[bool | None] = []
    reasons: list[Reason] = []
    questions: dict[str, Question] = {}
    for criterion, evaluate in _CRITERIA_EVALUATORS:
        met, message = evaluate(facts)
        mets.append(met)
        if met is False:
            reasons.append(
                Reason(
                    code=criterion.code,
                    message=message,
                    reference=criterion.reference,
                    redirect=_REDIRECTS.get(criterion.code),
                )
            )
        elif met is None:
            for name in criterion.fields:
                if getattr(facts, name) is None and name not in questions:
                    questions[name] = Question(
                        field=name, question=_QUESTIONS[name], reference=criterion.reference
                    )
    eligible: bool | None = False if reasons else (None if questions else True)
    redirects = tuple(r.redirect for r in reasons if r.redirect is not None)
    value_limits = None
    if facts.injury is not None and facts.other_protocol_damages is not None:
        value_limits = _PendingLimits(  # validated already; checked when first read
            (
                facts.injury,
                facts.other_protocol_damages,
                facts.non_protocol_vehicle_costs,
                facts.fees,
            )
        )
    deadline = limitation_deadline(facts.accident_date, date_of_birth=facts.date_of_birth)
    return EligibilityResult(
        facts=facts,
        eligible=eligible,
        reasons=tuple(reasons),
        questions=tuple(questions.values()),
        redirects=redirects,
        warnings=_limitation_warnings(facts, deadline, window),
        checks=_PendingChecks(mets),
        value_limits=value_limits,
        limitation_deadline=deadline,
        limitation_warning_days=window,
    )


# --------------------------------------------------------------------------- exits


class ExitReason(Enum):
    """The seven ways a claim stops proceeding on the portal (guide 6.6.2.1).

    ``value`` is a stable slug; ``description`` the guide's ground, ``reference`` the
    rule, ``next_steps`` what the claimant can do. In every case the claimant can still
    download the claim's correspondence and documents to take to an adviser.

    >>> len(ExitReason), ExitReason("no-defendant-address").reference
    (7, 'guide 6.6.2.1, 6.6.3.3')
    """

    REVALUED_OVER_LIMITS = (
        "revalued-over-limits",
        (
            "the claim has been revalued at more than £10,000 overall and/or more than "
            "£5,000 for injury"
        ),
        "guide 6.6.2.1, 1.2.3, 4.4.3",
        (
            "This portal is not the right place for the claim: seek advice, the cost of "
            "which may be recoverable (guide 1.2.3.1). Non-protocol vehicle costs never "
            "count towards the limits (guide 1.1.1)."
        ),
    )
    PROTECTED_PARTY = (
        "protected-party",
        (
            "the claimant or the defendant has become a protected party (a party who lacks "
            "capacity to conduct proceedings)"
        ),
        "guide 6.6.2.1; protocol para 4.3(g)",
        "Seek advice (guide 1.2.3.1); the claim continues outside the portal.",
    )
    COMPLEX_ISSUES = (
        "complex-issues",
        (
            "the compensator says the claim is unsuitable for the protocol because there "
            "are complex issues of fact or law"
        ),
        "guide 6.6.2.1",
        "The compensator must give you a reason; you may then wish to seek advice.",
    )
    FRAUD_ALLEGED = (
        "fraud-alleged",
        "the compensator alleges fraud or fundamental dishonesty in respect of the claim",
        "guide 6.6.2.1",
        "The compensator must give you a reason; you may then wish to seek advice.",
    )
    CAUSATION_DISPUTED = (
        "causation-disputed",
        (
            "the compensator disputes, or continues to dispute, that the accident caused "
            "any injury after a medical report is disclosed"
        ),
        "guide 6.6.2.1, 6.5.4",
        "The compensator must give you a reason; you may then wish to seek advice.",
    )
    COURT_ORDER = (
        "court-order",
        ("a court orders that the claim must leave the portal and be included in proceedings"),
        "guide 6.6.2.1",
        "The claim continues in the court proceedings the order names; seek advice.",
    )
    NO_DEFENDANT_ADDRESS = (
        "no-defendant-address",
        (
            "neither party can give an address for the defendant for the court form (the "
            "compensator is the MIB or its agents, or an RTA insurer)"
        ),
        "guide 6.6.2.1, 6.6.3.3",
        "The court form cannot be prepared on the portal; seek advice.",
    )

    description: str
    reference: str
    next_steps: str

    def __new__(cls, slug: str, description: str, reference: str, next_steps: str) -> ExitReason:
        """Make a member whose value is its slug, with its ground and next steps attached."""
        member = object.__new__(cls)
        member._value_ = slug
        member.description = description
        member.reference = Reference(reference)
        member.next_steps = next_steps
        return member


@final
@frozen
class RevaluationResult:
    """Whether a revalued claim must leave the portal (guide 6.6.2.1, first ground)."""

    value_limits: ValueLimitCheck
    must_exit: bool
    exit_reason: ExitReason | None

    def _rows(self) -> list[list[Any]]:
        rows: list[list[Any]] = [
            [b.code, b.message, b.reference] for b in self.value_limits.breaches
        ]
        if self.exit_reason is not None:
            rows.append(["next steps", self.exit_reason.next_steps, self.exit_reason.reference])
        return rows

    def _title(self) -> str:
        if self.must_exit:
            return "The claim must leave the portal: revalued above the limits (guide 6.6.2.1)"
        return "The claim can stay on the portal: within the value limits (guide 6.6.2.1)"

    @exact
    def __str__(self) -> str:
        parts = [str(self.value_limits)]
        rows = self._rows()
        parts.insert(
            0,
            text_table(["item", "detail", "reference"], rows, title=self._title())
            if rows
            else self._title(),
        )
        return "\n\n".join(parts)

    @exact
    def _repr_html_(self) -> str:
        """Render the verdict first, then the breaches and the value limits."""
        rows = self._rows() or [["within limits", "no limit is breached", "guide 6.6.2.1"]]
        return (
            html_verdict(self._title(), not self.must_exit)
            + html_table(["item", "detail", "reference"], rows)
            + self.value_limits._repr_html_()
        )

    @exact
    def to_dict(self) -> dict[str, Any]:
        """Return JSON-ready data."""
        reason = self.exit_reason
        return {
            "must_exit": self.must_exit,
            "exit_reason": None if reason is None else reason.value,
            "reference": _EXIT_REFERENCE if reason is None else reason.reference,
            "next_steps": None if reason is None else reason.next_steps,
            "value_limits": self.value_limits.to_dict(),
        }


@exact
def check_revaluation(
    injury: Any,
    other_protocol_damages: Any = 0,
    *,
    non_protocol_vehicle_costs: Any = 0,
    fees: Any = 0,
) -> RevaluationResult:
    """Say whether a claim revalued mid-process must leave the portal (guide 6.6.2.1).

    It must when the injury is revalued at more than £5,000 or injury plus other
    protocol damages at more than £10,000; exactly at the limits it stays. Non-protocol
    vehicle costs and fees never count (guide 1.1.1, 5.3).

    >>> check_revaluation("5000.00", "5000.00", non_protocol_vehicle_costs=9000).must_exit
    False
    >>> result = check_revaluation("4000", "6000.01")
    >>> result.must_exit, result.exit_reason
    (True, <ExitReason.REVALUED_OVER_LIMITS: 'revalued-over-limits'>)
    """
    limits = check_value_limits(
        injury,
        other_protocol_damages,
        non_protocol_vehicle_costs=non_protocol_vehicle_costs,
        fees=fees,
    )
    must_exit = not limits.within_limits
    return RevaluationResult(
        value_limits=limits,
        must_exit=must_exit,
        exit_reason=ExitReason.REVALUED_OVER_LIMITS if must_exit else None,
    )


# --------------------------------------------------------------------------- medical


@final
@frozen
class MedicalOutlook:
    """What a medical report's prognosis means for the tariff and the limits (guide 6.4.2).

    ``within_tariff`` is False when the injuries are likely to last more than 24 months
    from the accident (``recovery_date`` after ``tariff_end``): the injury is then not a
    tariff injury (Civil Liability Act 2018 s.3) and the claim may exceed the limits.
    """

    accident_date: date
    recovery_date: date
    tariff_end: date
    within_tariff: bool
    message: str
    reference: str = attrs.field(converter=Reference)
    #: The claimant failed to take reasonable steps to mitigate (CLA 2018 s.3(1)(b)(ii)).
    failed_to_mitigate: bool = False

    def _rows(self) -> list[list[Any]]:
        return [
            ["accident", self.accident_date, "", ""],
            [f"{TARIFF_PROGNOSIS_MONTHS} months after the accident", self.tariff_end,
             "last day inside the tariff", "Civil Liability Act 2018 s.3"],
            ["expected recovery", self.recovery_date,
             _outlook_meaning(self), "guide 6.4.2, 6.4.2.2"],
        ]  # fmt: skip

    @exact
    def __str__(self) -> str:
        return text_table(
            ["item", "date", "meaning", "reference"], self._rows(), title=self.message
        )

    @exact
    def _repr_html_(self) -> str:
        """Render the outlook first, then each date with its meaning and rule."""
        return html_verdict(self.message, "info") + html_table(
            ["item", "date", "meaning", "reference"], self._rows()
        )

    @exact
    def to_dict(self) -> dict[str, Any]:
        """Return JSON-ready data."""
        return {
            "accident_date": jsonable(self.accident_date),
            "recovery_date": jsonable(self.recovery_date),
            "tariff_end": jsonable(self.tariff_end),
            "within_tariff": self.within_tariff,
            "failed_to_mitigate": self.failed_to_mitigate,
            "message": self.message,
            "reference": self.reference,
        }


def _outlook_meaning(outlook: MedicalOutlook) -> str:
    if outlook.recovery_date <= outlook.tariff_end:
        return "inside the tariff"
    if outlook.failed_to_mitigate:
        return "beyond 24 months, but a tariff injury (CLA 2018 s.3(1)(b)(ii))"
    return "beyond the tariff"


_RELATIVE_PARTS: Final = ("years", "months", "days")
_FORBIDDEN_PARTS: Final = (
    "hours", "minutes", "seconds", "microseconds", "leapdays",
    "year", "month", "day", "weekday", "hour", "minute", "second", "microsecond",
)  # fmt: skip


def _prognosis_end(accident: date, prognosis: Any) -> date:
    if isinstance(prognosis, relativedelta):
        bad = [p for p in _FORBIDDEN_PARTS if getattr(prognosis, p) not in (0, None)]
        negative = [p for p in _RELATIVE_PARTS if getattr(prognosis, p) < 0]
        if bad or negative:
            raise RulesError(
                "a prognosis is a period of years, months, weeks and days, none negative",
                value=prognosis,
                field="prognosis",
                reference=_OUTLOOK_REFERENCE,
            )
        try:
            end: date = accident + prognosis
        except (ValueError, OverflowError):  # past year 9999: no real prognosis
            raise OutOfCoverageError(
                "the recovery date this prognosis gives is beyond any calendar",
                value=prognosis,
                field="prognosis",
                reference=_OUTLOOK_REFERENCE,
            ) from None
        return end
    if isinstance(prognosis, date):
        end = check_date(prognosis, field="prognosis", reference=_OUTLOOK_REFERENCE)
        if end < accident:
            raise RulesError(
                f"the recovery date is before the accident on {accident}",
                value=prognosis,
                field="prognosis",
                reference=_OUTLOOK_REFERENCE,
            )
        return end
    raise RulesTypeError(
        f"expected a dateutil relativedelta or a recovery date, not {type(prognosis).__name__}",
        value=prognosis,
        field="prognosis",
        reference=_OUTLOOK_REFERENCE,
    )


@exact
def medical_report_outlook(
    accident_date: date, prognosis: relativedelta | date, *, failed_to_mitigate: bool = False
) -> MedicalOutlook:
    """Say whether a prognosis keeps the injury inside the tariff (guide 6.4.2, 6.4.2.2).

    ``prognosis`` is how long the injuries are likely to last, as a
    ``dateutil.relativedelta`` measured from the accident, or the expected recovery
    date. More than 24 months from the accident is outside the tariff (Civil Liability
    Act 2018 s.3: "not more than two years"), and the guide says "the value of your
    claim may exceed the small claims track limit": seek advice before withdrawing.
    Exactly 24 months is inside. Months are calendar months with dateutil's month-end
    clamping: from 29 February 2024, 24 months ends on 28 February 2026. The accident
    must be on or after 31 May 2021, when the tariff began, and by 2100-12-31
    (otherwise :class:`~rtaprotocol.errors.OutOfCoverageError`): an earlier accident has
    no tariff to be inside.

    ``failed_to_mitigate=True`` says the injury lasts more than two years only because
    the claimant failed to take reasonable steps to mitigate its effect: it is then still
    a tariff injury (CLA 2018 s.3(1)(b)(ii)), valued at the 18 to 24 month row.

    >>> medical_report_outlook(date(2024, 2, 29), date(2026, 3, 1),
    ...                        failed_to_mitigate=True).within_tariff
    True

    >>> from datetime import date
    >>> medical_report_outlook(date(2024, 2, 29), relativedelta(months=24)).within_tariff
    True
    >>> medical_report_outlook(date(2024, 2, 29), date(2026, 3, 1)).within_tariff
    False
    >>> medical_report_outlook(date(2021, 5, 30), relativedelta(months=3))
    Traceback (most recent call last):
    ...
    rtaprotocol.errors.OutOfCoverageError: accident_date: the accident is before the whiplash tariff began on 2021-05-31: got datetime.date(2021, 5, 30) [Civil Liability Act 2018 Part 1; Whiplash Injury Regulations 2021 (SI 2021/642); guide 4.1]
    """
    accident = check_date(accident_date, field="accident_date", reference=_OUTLOOK_REFERENCE)
    if accident < PORTAL_ACCIDENTS_FROM:
        raise OutOfCoverageError(
            f"the accident is before the whiplash tariff began on {PORTAL_ACCIDENTS_FROM}",
            value=accident_date,
            field="accident_date",
            reference=_TARIFF_REGIME_REFERENCE,
        )
    if accident > LAST_SUPPORTED_DATE:
        raise OutOfCoverageError(
            "date is outside the supported range",
            value=accident_date,
            field="accident_date",
            reference=RANGE_REFERENCE,
        )
    mitigated = check_bool(
        failed_to_mitigate, field="failed_to_mitigate", reference=_MITIGATION_REFERENCE
    )
    end = _prognosis_end(accident, prognosis)
    tariff_end = accident + relativedelta(months=TARIFF_PROGNOSIS_MONTHS)
    within = end <= tariff_end or mitigated
    reference = _OUTLOOK_REFERENCE
    if end > tariff_end and mitigated:
        reference = _MITIGATION_REFERENCE
        message = (
            f"Recovery expected on {end}, more than {TARIFF_PROGNOSIS_MONTHS} months after "
            "the accident, but only because the claimant failed to take reasonable steps to "
            "mitigate: still a whiplash tariff injury, valued at the 18 to 24 month row "
            "(Civil Liability Act 2018 s.3(1)(b)(ii))"
        )
    elif within:
        message = (
            f"Recovery expected by {end}, not more than {TARIFF_PROGNOSIS_MONTHS} months "
            "after the accident: inside the whiplash tariff"
        )
    else:
        message = (
            f"Recovery expected on {end}, more than {TARIFF_PROGNOSIS_MONTHS} months after "
            "the accident: outside the whiplash tariff, and the claim may exceed the small "
            "claims limits; seek advice before withdrawing the claim from the portal"
        )
    return MedicalOutlook(
        accident_date=accident,
        recovery_date=end,
        tariff_end=tariff_end,
        within_tariff=within,
        message=message,
        reference=reference,
        failed_to_mitigate=mitigated,
    )


install_views(globals())  # notebook views of every public class (rtaprotocol._views)
