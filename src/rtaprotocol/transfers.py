"""Bulk transfers of claims between Claims Portal organisations (Claims Portal, Release 5).

The Claims Portal's announcement of its claims transfer process (the Claims Portal home
page) sets four points, each checked by :func:`check_transfer`:

1. "It is only possible to transfer claims between organisations of the same type":
   compensator to compensator, claimant representative to claimant representative
   (a refusal);
2. "The process is designed to transfer 100 claims, or more and is not suitable for
   transferring individual claims": guidance on what the process suits, not a bar, so
   fewer than 100 claims is a warning (see :func:`check_transfer`);
3. "you must contact us as soon as possible to discuss your organisation's
   requirements": a request that does not record contact with Claims Portal Ltd is
   refused until it does;
4. third parties are notified within the Portal only at the time of the transfer; "it
   is the responsibility of the organisations transferring / or receiving the claims to
   notify the third parties, prior to the transfer" (a refusal until they are).

Every problem is reported, not only the first: ``refusals`` bar the transfer,
``warnings`` do not.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from enum import Enum
from typing import Any, Final, final

from attrs import frozen

from rtaprotocol._checks import (
    check_enum,
    check_text,
    not_an_object,
    parse_iso_date,
    unknown_keys,
    wrong_type,
)
from rtaprotocol._render import html_table, html_verdict, text_table
from rtaprotocol._views import install_views
from rtaprotocol.deadlines import supported_date
from rtaprotocol.errors import ErrorCode, InvalidInput, RulesError

__all__ = [
    "MIN_BULK_TRANSFER_CLAIMS",
    "Finding",
    "OrganisationType",
    "ThirdParty",
    "TransferCheck",
    "TransferRequest",
    "check_transfer",
]

#: The bulk transfer process is designed for this many claims or more (Claims Portal).
MIN_BULK_TRANSFER_CLAIMS: Final = 100

_SOURCE: Final = "Claims Portal, 'Claims transfer process explained' (Release 5)"
_SCHEMA: Final = "rtaprotocol schema transfer-request"
_KEYS: Final = ("from_organisation", "to_organisation", "claim_count", "transfer_date",
                "third_parties", "portal_contacted")  # fmt: skip
_PARTY_KEYS: Final = ("name", "notified_on", "notified_by")


class OrganisationType(Enum):
    """The two kinds of Portal organisation.

    >>> OrganisationType("claimant-representative").description
    'claimant representative'
    """

    COMPENSATOR = "compensator"
    CLAIMANT_REPRESENTATIVE = "claimant-representative"

    @property
    def description(self) -> str:
        """The type in words."""
        return self.value.replace("-", " ")


class _Notifier(Enum):
    TRANSFERRING = "transferring"
    RECEIVING = "receiving"


@final
@frozen
class ThirdParty:
    """A third party to the transferred claims, and when (if yet) it was notified.

    ``notified_by`` is ``"transferring"`` or ``"receiving"`` (the organisation that gave
    notice) or None.
    """

    name: str
    notified_on: date | None = None
    notified_by: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """Return JSON-ready data."""
        return {
            "name": self.name,
            "notified_on": None if self.notified_on is None else self.notified_on.isoformat(),
            "notified_by": self.notified_by,
        }


def _problem(
    message: str, value: object, path: str, code: ErrorCode = ErrorCode.VALUE_INVALID
) -> RulesError:
    return RulesError(message, value=value, field=path, reference=_SCHEMA, code=code)


def _json_date(value: Any, path: str, problems: list[RulesError]) -> date | None:
    try:
        day = parse_iso_date(value, field=path, reference=_SCHEMA)
        return supported_date(day, field=path, reference=_SCHEMA)
    except RulesError as err:
        problems.append(err)
        return None


@final
@frozen(init=False)
class TransferRequest:
    """A request to transfer claims from one Portal organisation to another.

    >>> from datetime import date
    >>> req = TransferRequest(from_organisation="compensator", to_organisation="compensator",
    ...                       claim_count=250, transfer_date=date(2024, 3, 1),
    ...                       third_parties=(ThirdParty("Smith & Co", date(2024, 2, 1), "transferring"),))
    >>> req.from_organisation
    <OrganisationType.COMPENSATOR: 'compensator'>
    """

    from_organisation: OrganisationType
    to_organisation: OrganisationType
    claim_count: int
    transfer_date: date
    third_parties: tuple[ThirdParty, ...]
    portal_contacted: bool | None

    def __init__(
        self,
        *,
        from_organisation: OrganisationType | str,
        to_organisation: OrganisationType | str,
        claim_count: int,
        transfer_date: date,
        third_parties: Sequence[ThirdParty] = (),
        portal_contacted: bool | None = None,
    ) -> None:
        problems = _check_fields(
            {
                "from_organisation": from_organisation,
                "to_organisation": to_organisation,
                "claim_count": claim_count,
                "transfer_date": transfer_date,
                "third_parties": third_parties,
                "portal_contacted": portal_contacted,
            },
            json=False,
        )
        if isinstance(problems, InvalidInput):
            raise problems
        self.__attrs_init__(**problems)

    def to_dict(self) -> dict[str, Any]:
        """Return JSON-ready data: the shape :meth:`from_dict` reads back."""
        return {
            "from_organisation": self.from_organisation.value,
            "to_organisation": self.to_organisation.value,
            "claim_count": self.claim_count,
            "transfer_date": self.transfer_date.isoformat(),
            "third_parties": [p.to_dict() for p in self.third_parties],
            "portal_contacted": self.portal_contacted,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> TransferRequest:
        """Build a request from parsed JSON (``transfer-request.schema.json``), every problem at once.

        >>> TransferRequest.from_dict({"from_organisation": "insurer", "claim_count": "100",
        ...                            "colour": "red"})
        Traceback (most recent call last):
        ...
        rtaprotocol.errors.InputError: 5 problems in the input:
          $.colour: unknown key; allowed: from_organisation, to_organisation, claim_count, transfer_date, third_parties, portal_contacted: got 'colour' [rtaprotocol schema transfer-request]
          $.from_organisation: not one of OrganisationType: 'compensator', 'claimant-representative': got 'insurer' [rtaprotocol schema transfer-request]
          $.to_organisation: required key is missing [rtaprotocol schema transfer-request]
          $.claim_count: a count of claims is a whole number of at least 1: got '100' [rtaprotocol schema transfer-request]
          $.transfer_date: required key is missing [rtaprotocol schema transfer-request]
        """
        if not isinstance(data, Mapping):
            raise not_an_object(data, "a transfer request", reference=_SCHEMA)
        checked = _check_fields(data, json=True)
        if isinstance(checked, InvalidInput):
            raise checked
        return cls(**checked)


def _check_fields(data: Mapping[str, Any], *, json: bool) -> dict[str, Any] | InvalidInput:
    """Check every field, collecting every problem (JSON paths as fields)."""
    problems = unknown_keys(data, _KEYS, path="$", reference=_SCHEMA)
    out: dict[str, Any] = {}
    for key in ("from_organisation", "to_organisation"):
        if key not in data:
            problems.append(
                RulesError(
                    "required key is missing",
                    field=f"$.{key}",
                    reference=_SCHEMA,
                    code=ErrorCode.FIELD_MISSING,
                )
            )
            continue
        try:
            out[key] = check_enum(data[key], OrganisationType, field=f"$.{key}", reference=_SCHEMA)
        except RulesError as err:
            problems.append(err)
    count = data.get("claim_count")
    if "claim_count" not in data:
        problems.append(
            RulesError(
                "required key is missing",
                field="$.claim_count",
                reference=_SCHEMA,
                code=ErrorCode.FIELD_MISSING,
            )
        )
    elif count.__class__ is not int or count < 1:
        problems.append(
            _problem(
                "a count of claims is a whole number of at least 1",
                count,
                "$.claim_count",
                ErrorCode.NUMBER_OUT_OF_RANGE,
            )
        )
    else:
        out["claim_count"] = count
    if "transfer_date" not in data:
        problems.append(
            RulesError(
                "required key is missing",
                field="$.transfer_date",
                reference=_SCHEMA,
                code=ErrorCode.FIELD_MISSING,
            )
        )
    elif json:
        out["transfer_date"] = _json_date(data["transfer_date"], "$.transfer_date", problems)
    else:
        try:
            out["transfer_date"] = supported_date(
                data["transfer_date"], field="$.transfer_date", reference=_SOURCE
            )
        except RulesError as err:
            problems.append(err)
    contacted = data.get("portal_contacted")
    if contacted is not None and not isinstance(contacted, bool):
        problems.append(
            _problem("portal_contacted is true, false or null", contacted, "$.portal_contacted")
        )
    out["portal_contacted"] = contacted if isinstance(contacted, bool) else None
    out["third_parties"] = _third_parties(
        data.get("third_parties", []), json=json, problems=problems
    )
    if problems:
        return InvalidInput(problems, reference=_SCHEMA)
    return out


def _third_parties(value: Any, *, json: bool, problems: list[RulesError]) -> tuple[ThirdParty, ...]:
    if isinstance(value, str | bytes | Mapping) or not isinstance(value, Sequence):
        problems.append(_problem("third_parties is a list", value, "$.third_parties"))
        return ()
    parties: list[ThirdParty] = []
    for i, raw in enumerate(value):
        path = f"$.third_parties[{i}]"
        item = raw
        if isinstance(raw, ThirdParty) and not json:
            # Its fields as given (not to_dict(): a notified_on that is not a date is
            # refused below, never turned into an AttributeError by isoformat()).
            item = {
                "name": raw.name,
                "notified_on": raw.notified_on,
                "notified_by": raw.notified_by,
            }
        if not isinstance(item, Mapping):
            problems.append(_problem("a third party is an object", item, path))
            continue
        before = len(problems)
        problems.extend(unknown_keys(item, _PARTY_KEYS, path=path, reference=_SCHEMA))
        name = item.get("name")
        if not isinstance(name, str) or not name.strip():
            problems.append(_problem("a third party has a non-empty name", name, f"{path}.name"))
        else:
            try:
                check_text(name, field=f"{path}.name", reference=_SCHEMA)
            except RulesError as err:
                problems.append(err)
        notified = item.get("notified_on")
        day = None
        if notified is not None:
            if json:
                day = _json_date(notified, f"{path}.notified_on", problems)
            else:
                try:
                    day = supported_date(notified, field=f"{path}.notified_on", reference=_SOURCE)
                except RulesError as err:
                    problems.append(err)
        by = item.get("notified_by")
        if by is not None:
            try:
                by = check_enum(by, _Notifier, field=f"{path}.notified_by", reference=_SOURCE).value
            except RulesError as err:
                problems.append(err)
        if len(problems) == before:
            assert isinstance(name, str)
            parties.append(ThirdParty(name=name.strip(), notified_on=day, notified_by=by))
    return tuple(parties)


@final
@frozen
class Finding:
    """One refusal or warning about a transfer request."""

    code: str
    message: str
    reference: str

    def to_dict(self) -> dict[str, Any]:
        """Return JSON-ready data."""
        return {"code": self.code, "message": self.message, "reference": self.reference}


@final
@frozen
class TransferCheck:
    """The outcome of :func:`check_transfer`: every refusal and warning.

    ``must_notify`` lists each third party the transferring or receiving organisation
    must still notify before ``request.transfer_date``.
    """

    request: TransferRequest
    refusals: tuple[Finding, ...]
    warnings: tuple[Finding, ...]
    must_notify: tuple[ThirdParty, ...]

    @property
    def allowed(self) -> bool:
        """True when nothing bars the transfer."""
        return not self.refusals

    @property
    def codes(self) -> tuple[str, ...]:
        """Every refusal's code, then every warning's."""
        return tuple(f.code for f in (*self.refusals, *self.warnings))

    def _rows(self) -> list[list[Any]]:
        rows = [["refusal", f.code, f.message, f.reference] for f in self.refusals]
        rows += [["warning", f.code, f.message, f.reference] for f in self.warnings]
        rows += [
            ["must notify", p.name, f"before {self.request.transfer_date}", _SOURCE]
            for p in self.must_notify
        ]
        return rows

    def _title(self) -> str:
        return "Transfer allowed" if self.allowed else "Transfer refused"

    def __str__(self) -> str:
        rows = [row[:3] for row in self._rows()]
        return text_table(["kind", "code", "detail"], rows, title=f"{self._title()} [{_SOURCE}]")

    def _repr_html_(self) -> str:
        """Render the verdict first, then each refusal, warning and notice with its rule."""
        return html_verdict(f"{self._title()} [{_SOURCE}]", self.allowed) + html_table(
            ["kind", "code", "detail", "reference"], self._rows()
        )

    def to_dict(self) -> dict[str, Any]:
        """Return JSON-ready data."""
        return {
            "allowed": self.allowed,
            "refusals": [f.to_dict() for f in self.refusals],
            "warnings": [f.to_dict() for f in self.warnings],
            "must_notify": [p.to_dict() for p in self.must_notify],
            "request": self.request.to_dict(),
        }


def check_transfer(request: TransferRequest) -> TransferCheck:
    """Check a bulk claims transfer against the Claims Portal's rules, reporting every problem.

    Refusals: organisations of different types ("only possible ... between organisations
    of the same type"); Claims Portal Ltd not contacted, or contact not recorded ("you
    must contact us as soon as possible"); no third-party notification recorded at all; a
    third party not notified, or notified only on or after the transfer date ("prior to
    the transfer"). Warnings: fewer than 100 claims (the process "is designed to transfer
    100 claims, or more and is not suitable for transferring individual claims": words of
    design and suitability, not the "only possible" and "must" the seed uses for its bars);
    a notification that does not say which organisation gave it.

    >>> from datetime import date
    >>> req = TransferRequest(from_organisation="compensator",
    ...                       to_organisation="claimant-representative", claim_count=99,
    ...                       transfer_date=date(2024, 3, 1),
    ...                       third_parties=(ThirdParty("Smith & Co"),))
    >>> check_transfer(req).codes
    ('different_organisation_types', 'portal_contact_not_recorded', 'no_notification_recorded', 'third_party_not_notified', 'fewer_than_100_claims')
    """
    if not isinstance(request, TransferRequest):
        raise wrong_type(request, "TransferRequest", field="request", reference=_SOURCE)
    refusals: list[Finding] = []
    warnings: list[Finding] = []
    if request.from_organisation is not request.to_organisation:
        refusals.append(
            Finding(
                "different_organisation_types",
                f"claims transfer only between organisations of the same type: a "
                f"{request.from_organisation.description} cannot transfer claims to a "
                f"{request.to_organisation.description}",
                _SOURCE,
            )
        )
    if request.portal_contacted is False:
        refusals.append(
            Finding(
                "portal_not_contacted",
                "Claims Portal Ltd has not been contacted: the time a transfer takes varies, "
                "and the organisation must contact them as soon as possible to discuss its "
                "requirements before the transfer can go ahead",
                _SOURCE,
            )
        )
    elif request.portal_contacted is None:
        refusals.append(
            Finding(
                "portal_contact_not_recorded",
                "the request does not record whether Claims Portal Ltd was contacted: the "
                "organisation must contact them as soon as possible to discuss its "
                "requirements; record the contact (portal_contacted: true) to go ahead",
                _SOURCE,
            )
        )
    parties = request.third_parties
    if not any(p.notified_on is not None for p in parties):
        refusals.append(
            Finding(
                "no_notification_recorded",
                "the request records no notification of any third party: the transferring "
                "or receiving organisation must notify the third parties before the "
                "transfer (the Portal notifies them only at the time of transfer)",
                _SOURCE,
            )
        )
    must: list[ThirdParty] = []
    for p in parties:
        if p.notified_on is None:
            must.append(p)
            refusals.append(
                Finding(
                    "third_party_not_notified",
                    f"{p.name} has not been notified: notify it before {request.transfer_date}",
                    _SOURCE,
                )
            )
        elif p.notified_on >= request.transfer_date:
            must.append(p)
            refusals.append(
                Finding(
                    "third_party_notified_too_late",
                    f"{p.name} is notified on {p.notified_on}, not before the transfer on "
                    f"{request.transfer_date}",
                    _SOURCE,
                )
            )
        elif p.notified_by is None:
            warnings.append(
                Finding(
                    "notifier_not_recorded",
                    f"the notification of {p.name} does not record whether the transferring "
                    "or the receiving organisation gave it",
                    _SOURCE,
                )
            )
    if request.claim_count < MIN_BULK_TRANSFER_CLAIMS:
        warnings.append(
            Finding(
                "fewer_than_100_claims",
                f"{request.claim_count} claims: the transfer process is designed for "
                f"{MIN_BULK_TRANSFER_CLAIMS} claims or more and is not suitable for "
                "individual claims; ask the Claims Portal helpdesk whether to move these "
                "claims this way or one by one",
                _SOURCE,
            )
        )
    return TransferCheck(
        request=request,
        refusals=tuple(refusals),
        warnings=tuple(warnings),
        must_notify=tuple(must),
    )


install_views(globals())  # notebook views of every public class (rtaprotocol._views)
