"""The facts routing reads, and their JSON reader (CPR 26.9(10); RTA and EL/PL Protocols para 4).

A private part of :mod:`rtaprotocol.routing` (its "facts" section), which re-exports
every name: import them from there.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any, Final, final

from attrs import frozen

from rtaprotocol._checks import check_enum, check_optional_bool
from rtaprotocol._routing_limits import (
    _ROUTE_REFERENCE,
    _SCHEMA_REFERENCE,
    AccidentType,
    ClaimCategory,
)
from rtaprotocol.deadlines import supported_date
from rtaprotocol.eligibility import (
    ClaimFacts,
)
from rtaprotocol.errors import ErrorCode, InvalidInput, RulesError, RulesTypeError

# --------------------------------------------------------------------------- facts

_OWN_FIELDS: Final = (
    "accident_type",
    "date_of_knowledge",
    "letter_of_claim_date",
    "uninsured_driver",
    "claim_category",
    "clinical_negligence_admitted",
    "defendant_individual",
    "more_than_one_employer",
)
_OWN_FLAGS: Final[Mapping[str, str]] = {
    "uninsured_driver": "guide 6.3.1; RTA Protocol para 6.11; Uninsured Drivers' Agreement 2015",
    "clinical_negligence_admitted": "CPR 26.9(10)(b)",
    "defendant_individual": "EL/PL Protocol para 4.3",
    "more_than_one_employer": "EL/PL Protocol para 4.3",
}
_CATEGORY_REFERENCE: Final = "CPR 26.9(10); EL/PL Protocol para 4.3"
_LETTER_REFERENCE: Final = "SI 2023/572 r.2(2)(b)"


@final
@frozen(init=False)
class RoutingFacts:
    """The facts routing reads: the accident type, the claim's :class:`ClaimFacts`, and more.

    Build it from a ready :class:`~rtaprotocol.eligibility.ClaimFacts` (``claim=``) or
    from ClaimFacts' own keyword arguments, never both. ``date_of_knowledge`` (optional)
    matters only for a claim that is not a road traffic accident, with an accident
    before 6 April 2022 and an injury claim of more than £1,000 but not more than £1,500
    (SI 2022/101 r.2). For claims that are not road traffic accidents,
    ``other_protocol_damages`` means every other head of damages in the claim's value.

    The other optional answers (each ``None``, "not known", by default):

    - ``letter_of_claim_date``: when the letter of claim was (or will be) sent; for a
      disease claim it decides whether the new tracks apply (SI 2023/572 r.2(2)(b)). It
      cannot be before the accident date.
    - ``uninsured_driver``: the driver is traced but uninsured, so the Motor Insurers'
      Bureau is the compensator within the protocols (guide 6.3.1; RTA Protocol para 6.11).
    - ``claim_category`` (:class:`ClaimCategory`): mesothelioma, asbestos lung disease,
      clinical negligence, abuse, a police claim, or ``none`` (CPR 26.9(10); EL/PL 4.3).
    - ``clinical_negligence_admitted``: breach of duty and causation admitted, the
      exception in CPR 26.9(10)(b).
    - ``defendant_individual``: a public liability claim against an individual, not sued
      in their business capacity or as occupier (EL/PL Protocol para 4.3).
    - ``more_than_one_employer``: a disease claim against more than one employer
      (EL/PL Protocol para 4.3).

    >>> from datetime import date
    >>> facts = RoutingFacts(accident_type="public-liability", accident_date=date(2023, 3, 1),
    ...                      entry_date=date(2023, 4, 3), injury="1500.00")
    >>> facts.accident_type, facts.claim.injury, facts.claim_category
    (<AccidentType.PUBLIC_LIABILITY: 'public-liability'>, Decimal('1500.00'), None)
    >>> RoutingFacts(accident_type="disease", accident_date=date(2023, 3, 1),
    ...              entry_date=date(2023, 4, 3), letter_of_claim_date=date(2023, 2, 28))
    Traceback (most recent call last):
    ...
    rtaprotocol.errors.RulesError: letter_of_claim_date: a letter of claim cannot be sent before the accident on 2023-03-01: got datetime.date(2023, 2, 28) [SI 2023/572 r.2(2)(b)]
    """

    accident_type: AccidentType | None
    date_of_knowledge: date | None
    claim: ClaimFacts
    letter_of_claim_date: date | None
    uninsured_driver: bool | None
    claim_category: ClaimCategory | None
    clinical_negligence_admitted: bool | None
    defendant_individual: bool | None
    more_than_one_employer: bool | None

    def __init__(
        self,
        *,
        accident_type: AccidentType | str | None = None,
        date_of_knowledge: date | None = None,
        claim: ClaimFacts | None = None,
        letter_of_claim_date: date | None = None,
        uninsured_driver: bool | None = None,
        claim_category: ClaimCategory | str | None = None,
        clinical_negligence_admitted: bool | None = None,
        defendant_individual: bool | None = None,
        more_than_one_employer: bool | None = None,
        **claim_fields: Any,
    ) -> None:
        kind = None
        if accident_type is not None:
            kind = check_enum(
                accident_type, AccidentType, field="accident_type", reference=_ROUTE_REFERENCE
            )
        knowledge = None
        if date_of_knowledge is not None:
            knowledge = supported_date(
                date_of_knowledge, field="date_of_knowledge",
                reference="SI 2022/101 r.2; Limitation Act 1980 s.14",
            )  # fmt: skip
        letter = None
        if letter_of_claim_date is not None:
            letter = supported_date(
                letter_of_claim_date, field="letter_of_claim_date", reference=_LETTER_REFERENCE
            )
        category = None
        if claim_category is not None:
            category = check_enum(
                claim_category, ClaimCategory, field="claim_category", reference=_CATEGORY_REFERENCE
            )
        flags = {
            name: check_optional_bool(value, field=name, reference=_OWN_FLAGS[name])
            for name, value in (
                ("uninsured_driver", uninsured_driver),
                ("clinical_negligence_admitted", clinical_negligence_admitted),
                ("defendant_individual", defendant_individual),
                ("more_than_one_employer", more_than_one_employer),
            )
        }
        if claim is not None:
            if claim_fields:
                raise RulesError(
                    "give either claim= or the claim's own fields, not both",
                    value=sorted(claim_fields)[0],
                    field="claim",
                    reference=_ROUTE_REFERENCE,
                    code=ErrorCode.VALUE_INVALID,
                )
            if not isinstance(claim, ClaimFacts):
                raise RulesTypeError(
                    f"claim must be ClaimFacts, not {type(claim).__name__}",
                    value=claim, field="claim", reference=_ROUTE_REFERENCE,
                )  # fmt: skip
            built = claim
        else:
            built = ClaimFacts(**claim_fields)
        if letter is not None and letter < built.accident_date:
            raise RulesError(
                f"a letter of claim cannot be sent before the accident on {built.accident_date}",
                value=letter, field="letter_of_claim_date", reference=_LETTER_REFERENCE, code=ErrorCode.VALUE_INVALID,
            )  # fmt: skip
        self.__attrs_init__(
            accident_type=kind,
            date_of_knowledge=knowledge,
            claim=built,
            letter_of_claim_date=letter,
            claim_category=category,
            **flags,
        )

    def to_dict(self) -> dict[str, Any]:
        """Return JSON-ready data: the shape :meth:`from_dict` reads back (one flat object).

        >>> from datetime import date
        >>> f = RoutingFacts(accident_type="disease", accident_date=date(2020, 1, 6),
        ...                  entry_date=date(2023, 1, 9), claim_category="mesothelioma",
        ...                  letter_of_claim_date=date(2023, 9, 30))
        >>> RoutingFacts.from_dict(f.to_dict()) == f
        True
        """

        def iso(day: date | None) -> str | None:
            return None if day is None else day.isoformat()

        return {
            "accident_type": None if self.accident_type is None else self.accident_type.value,
            "date_of_knowledge": iso(self.date_of_knowledge),
            "letter_of_claim_date": iso(self.letter_of_claim_date),
            "uninsured_driver": self.uninsured_driver,
            "claim_category": None if self.claim_category is None else self.claim_category.value,
            "clinical_negligence_admitted": self.clinical_negligence_admitted,
            "defendant_individual": self.defendant_individual,
            "more_than_one_employer": self.more_than_one_employer,
            **self.claim.to_dict(),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> RoutingFacts:
        """Build facts from parsed JSON (``route-facts.schema.json``), every problem at once.

        The claim's keys are read by :meth:`ClaimFacts.from_dict`; ``accident_type`` and
        ``claim_category`` are slugs or null, ``date_of_knowledge`` and
        ``letter_of_claim_date`` ``YYYY-MM-DD`` strings or null, the other answers
        ``true``, ``false`` or null.

        >>> from rtaprotocol.errors import InvalidInput
        >>> try:
        ...     RoutingFacts.from_dict({"accident_type": "boating", "date_of_knowledge": 3,
        ...                             "accident_date": "2023-03-01"})
        ... except InvalidInput as err:
        ...     for p in err.problems:
        ...         print(f"{p.field}: {p.message}")
        $.accident_type: not one of AccidentType: 'road-traffic', 'employers-liability', 'public-liability', 'disease'
        $.date_of_knowledge: a date is a YYYY-MM-DD string or null
        $.entry_date: required key is missing
        """
        if not isinstance(data, Mapping):
            raise RulesTypeError(
                f"route facts must be a JSON object, not {type(data).__name__}",
                value=data, field="$", reference=_SCHEMA_REFERENCE,
            )  # fmt: skip
        problems: list[RulesError] = []
        kwargs: dict[str, Any] = {}
        for name, enum in (("accident_type", AccidentType), ("claim_category", ClaimCategory)):
            slug = data.get(name)
            if slug is not None:
                try:
                    kwargs[name] = check_enum(
                        slug, enum, field=f"$.{name}", reference=_SCHEMA_REFERENCE
                    )
                except RulesError as err:
                    problems.append(err)
        for name in ("date_of_knowledge", "letter_of_claim_date"):
            text = data.get(name)
            if text is None:
                continue
            parsed = None
            if isinstance(text, str) and len(text) == 10:
                try:
                    parsed = date.fromisoformat(text)
                except ValueError:
                    parsed = None
            if parsed is None:
                problems.append(
                    RulesError(
                        "a date is a YYYY-MM-DD string or null",
                        value=text,
                        field=f"$.{name}",
                        reference=_SCHEMA_REFERENCE,
                        code=ErrorCode.DATE_FORMAT,
                    )
                )
            kwargs[name] = parsed
        for name in _OWN_FLAGS:
            flag = data.get(name)
            if flag is None:
                continue
            if not isinstance(flag, bool):
                problems.append(
                    RulesTypeError(
                        "an answer is true, false or null",
                        value=flag,
                        field=f"$.{name}",
                        reference=_SCHEMA_REFERENCE,
                    )
                )
            kwargs[name] = flag
        rest = {k: v for k, v in data.items() if k not in _OWN_FIELDS}
        claim = None
        try:
            claim = ClaimFacts.from_dict(rest)
        except RulesError as err:
            problems.extend(_json_path(p) for p in err.problems)
        if problems or claim is None:
            raise InvalidInput(problems, reference=_SCHEMA_REFERENCE)
        try:
            return cls(claim=claim, **kwargs)
        except RulesError as err:
            raise InvalidInput(
                [_json_path(p) for p in err.problems], reference=_SCHEMA_REFERENCE
            ) from None


def _json_path(err: RulesError) -> RulesError:
    fld = err.field or ""
    path = fld if fld.startswith("$") else (f"$.{fld}" if fld else "$")
    if err.has_value:
        return type(err)(
            err.message, value=err.value, field=path, reference=err.reference, code=err.code
        )
    return type(err)(err.message, field=path, reference=err.reference, code=err.code)
