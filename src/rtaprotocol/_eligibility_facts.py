"""The facts of a claim that eligibility reads (guide 4.1, 4.2; protocol para 4.3), and their JSON reader.

A private part of :mod:`rtaprotocol.eligibility` (its "facts" section), which
re-exports every name: import them from there.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import date
from decimal import Decimal
from enum import Enum
from typing import Any, Final, final

from attrs import frozen

from rtaprotocol._checks import (
    check_date,
    check_enum,
    check_optional_bool,
    key_path,
    parse_iso_date,
    wrong_type,
)
from rtaprotocol._decimal import exact
from rtaprotocol._render import (
    jsonable,
)
from rtaprotocol.deadlines import (
    FIRST_SUPPORTED_DATE,
    LAST_SUPPORTED_DATE,
    supported_date,
)
from rtaprotocol.errors import (
    ErrorCode,
    InvalidInput,
    RulesError,
    RulesTypeError,
)
from rtaprotocol.money import _money as _plain_money
from rtaprotocol.money import to_money

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
                code=ErrorCode.VALUE_INVALID,
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
                code=ErrorCode.VALUE_INVALID,
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
            field=key_path("$", key),
            reference=_SCHEMA_REFERENCE,
            code=ErrorCode.FIELD_UNKNOWN,
        )
        for key in data
        if not (isinstance(key, str) and key in known)
    )
    problems.extend(
        RulesError(
            "required key is missing",
            field=f"$.{name}",
            reference=_SCHEMA_REFERENCE,
            code=ErrorCode.FIELD_MISSING,
        )
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
    raise wrong_type(value, "a string slug or null", field=name, reference=_SCHEMA_REFERENCE)


def _json_money(value: Any, name: str, *, nullable: bool) -> Decimal | int | None:
    """Read an amount by the library's one number policy (``to_money``)."""
    if value is None and nullable:
        return None
    return to_money(value, field=name, reference=_SCHEMA_REFERENCE)
