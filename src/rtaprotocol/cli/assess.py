"""``rtaprotocol assess FILE.json``: the main job, one claim file in and one report out.

The claim file (schema: ``rtaprotocol/data/schemas/claim.schema.json``) holds the facts
(guide 4.1, 4.2), the injuries (whiplash duration and psychological flag; non-whiplash
injuries with their JCG areas and sums), the List of Losses (guide 5.2), the compensator,
the events so far after submission (liability responses, medical events, offers: each
carries its own liability and deduction figures, as on the portal) and an optional
``as_of`` date. The report gives eligibility with reasons, the injury valuation (tariff
table and row, uplift, mixed-injury overlap, JCG brackets), the payment breakdown for the
latest offer, the negotiation, every deadline and what each side may do next (overdue
first) and the limitation deadline. ``--json`` gives the same report as data.

A bad file gives every problem found, one a line with its JSON path, on stderr and exit 2;
nothing is printed until the whole report is built. ``--example`` runs on the example
claim shipped in the package.
"""

from __future__ import annotations

import argparse
import importlib.resources
import json
import re
from collections.abc import Callable, Mapping
from datetime import date
from decimal import Decimal
from functools import partial
from typing import Any, Final

from rtaprotocol._checks import (
    check_bool,
    check_enum,
    check_text,
    field_under,
    not_an_object,
    parse_iso_date,
    unknown_keys,
    wrong_type,
)
from rtaprotocol.claim import Claim, ClaimEvent, Compensator
from rtaprotocol.cli._common import (
    add_json_flag,
    add_max_bytes_flag,
    add_tariff_table_flag,
    emit,
    read_json_file,
    read_tariff_table,
)
from rtaprotocol.deadlines import EnglandWalesCalendar
from rtaprotocol.eligibility import ClaimFacts
from rtaprotocol.errors import ErrorCode, InvalidInput, RulesError, RulesTypeError
from rtaprotocol.jcg import JcgArea
from rtaprotocol.losses import ListOfLosses
from rtaprotocol.money import ZERO, to_money
from rtaprotocol.report import Injuries, NonWhiplashInjury
from rtaprotocol.tariff import TariffTable, tariff_award
from rtaprotocol.valuation import mixed_injury_award

__all__ = ["EXAMPLE_AS_OF", "load_claim_file", "register", "report"]

FILE_REFERENCE: Final = "a claim file (rtaprotocol schema claim)"
#: The date the shipped example is assessed on, so its report never changes.
EXAMPLE_AS_OF: Final = date(2024, 7, 1)

_KEYS: Final = (
    "as_of",
    "compensator",
    "facts",
    "injuries",
    "losses",
    "events",
    "extra_holidays",
)
_INJURY_KEYS: Final = ("whiplash", "non_whiplash", "overlap")
_WHIPLASH_KEYS: Final = ("months", "psychological", "uplift_percent")
_NON_WHIPLASH_KEYS: Final = ("area", "description", "amount")


def register(sub: Any) -> None:
    """Add the ``assess`` subcommand."""
    parser: argparse.ArgumentParser = sub.add_parser(
        "assess",
        help="assess a whole claim: eligibility, valuation, payment, deadlines, next steps",
        description="Read one JSON claim file and report eligibility, the injury valuation, "
        "the payment breakdown of the latest offer, the negotiation, every deadline and what "
        "each side may do next (guide 4 to 6).",
    )
    parser.add_argument("claim_file", nargs="?", metavar="FILE.json", help="the claim file")
    parser.add_argument(
        "--example", action="store_true", help="assess the example claim shipped in the package"
    )
    add_max_bytes_flag(parser)
    add_tariff_table_flag(parser)
    add_json_flag(parser)
    parser.set_defaults(run=run)


# --- reading the file, every problem at once --------------------------------------------


class _Problems:
    def __init__(self) -> None:
        self.found: list[RulesError] = []

    def add(self, err: RulesError, path: str) -> None:
        for problem in err.problems:
            self.found.append(problem.evolve(field=field_under(path, problem.field)))

    def missing(self, path: str) -> None:
        """Add the refusal of a required key missing at ``path``."""
        self.found.append(
            RulesError(
                "required key is missing",
                field=path,
                reference=FILE_REFERENCE,
                code=ErrorCode.FIELD_MISSING,
            )
        )

    def run(self, path: str, read: Callable[[], Any]) -> Any:
        try:
            return read()
        except RulesError as err:
            self.add(err, path)
            return None


def _unknown(data: Mapping[str, Any], allowed: tuple[str, ...], path: str, p: _Problems) -> None:
    p.found.extend(unknown_keys(data, allowed, path=path, reference=FILE_REFERENCE))


def _wrong_type(value: Any, expected: str, path: str, p: _Problems) -> None:
    """Add the refusal of ``value`` at ``path``, which is not ``expected``."""
    p.found.append(wrong_type(value, expected, field=path, reference=FILE_REFERENCE))


def _object(value: Any, path: str, p: _Problems) -> Mapping[str, Any] | None:
    if isinstance(value, Mapping):
        return value
    _wrong_type(value, "a JSON object", path, p)
    return None


def _list(value: Any, path: str, p: _Problems) -> list[Any]:
    if isinstance(value, list):
        return value
    _wrong_type(value, "a JSON array", path, p)
    return []


def _months(value: Any) -> int | Decimal:
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise RulesTypeError(
            'months is a whole number or a decimal string such as "7.5"',
            value=value,
            reference=FILE_REFERENCE,
        )
    return value if isinstance(value, int) else Decimal(_decimal_text(value))


_MONTHS_TEXT: Final = re.compile(r"[0-9]{1,2}(?:\.[0-9]{1,9})?")


def _decimal_text(value: str) -> str:
    """Return ``value`` if it is months as the schema allows (``"7.5"``), else refuse."""
    if not _MONTHS_TEXT.fullmatch(value):
        raise RulesError(
            'not a number of months such as "7.5"',
            value=value,
            reference=FILE_REFERENCE,
            code=ErrorCode.VALUE_INVALID,
        )
    return value


class _Injuries:
    def __init__(self) -> None:
        self.whiplash: dict[str, Any] | None = None
        self.non_whiplash: list[tuple[JcgArea, str, Decimal]] = []
        self.overlap: Decimal = ZERO
        self.award: Any = None
        self.mixed: Any = None
        self.tariff_table: TariffTable | None = None

    def value(self) -> Injuries:
        """Return the injuries read as the library's value, for the report."""
        w = self.whiplash
        return Injuries(
            whiplash_months=None if w is None else w["months"],
            psychological=False if w is None else w["psychological"],
            uplift_percent=0 if w is None else w["uplift_percent"],
            non_whiplash=tuple(
                NonWhiplashInjury(area, amount, description)
                for area, description, amount in self.non_whiplash
            ),
            overlap=self.overlap,
            tariff_table=self.tariff_table,
        )


def _read_injuries(value: Any, p: _Problems) -> _Injuries:
    out = _Injuries()
    data = _object(value, "$.injuries", p)
    if data is None:
        return out
    _unknown(data, _INJURY_KEYS, "$.injuries", p)
    whiplash = data.get("whiplash")
    if whiplash is not None:
        w = _object(whiplash, "$.injuries.whiplash", p)
        if w is not None:
            _unknown(w, _WHIPLASH_KEYS, "$.injuries.whiplash", p)
            if "months" not in w:
                p.missing("$.injuries.whiplash.months")
            months = p.run("$.injuries.whiplash.months", lambda: _months(w.get("months", 0)))
            psych = p.run(
                "$.injuries.whiplash.psychological",
                lambda: check_bool(
                    w.get("psychological", False), field="", reference=FILE_REFERENCE
                ),
            )
            uplift = w.get("uplift_percent", 0)
            out.whiplash = {"months": months, "psychological": psych, "uplift_percent": uplift}
    for i, raw in enumerate(_list(data.get("non_whiplash", []), "$.injuries.non_whiplash", p)):
        path = f"$.injuries.non_whiplash[{i}]"
        item = _object(raw, path, p)
        if item is None:
            continue
        _unknown(item, _NON_WHIPLASH_KEYS, path, p)
        area = p.run(
            f"{path}.area",
            partial(check_enum, item.get("area"), JcgArea, field="", reference="guide 4.4.2"),
        )
        amount = p.run(f"{path}.amount", partial(_file_money, item.get("amount")))
        description = p.run(
            f"{path}.description",
            partial(check_text, item.get("description", ""), field="", reference=FILE_REFERENCE),
        )
        if description is not None and area is not None and amount is not None:
            out.non_whiplash.append((area, description, amount))
    if "overlap" in data:
        overlap = p.run("$.injuries.overlap", lambda: to_money(_money_text(data["overlap"])))
        if overlap is not None:
            out.overlap = overlap
    return out


def _file_money(value: Any) -> Decimal:
    return to_money(_money_text(value))


def _money_text(value: Any) -> Any:
    """Amounts in a file follow the library's one number policy (``to_money`` applies it)."""
    return value


def _value_injuries(
    injuries: _Injuries, facts: ClaimFacts, p: _Problems, table: TariffTable | None = None
) -> None:
    """Value the injuries now, so a bad duration or overlap is reported with its path."""
    w = injuries.whiplash
    if w is not None and w["months"] is not None and w["psychological"] is not None:
        try:
            injuries.award = tariff_award(
                w["months"],
                accident_date=facts.accident_date,
                psychological=w["psychological"],
                uplift_percent=w["uplift_percent"],
                tariff_table=table,
            )
        except RulesError as err:
            fld = {"duration": "months"}.get(err.field or "", err.field)
            p.add(_relabelled(err, fld), "$.injuries.whiplash")
    if injuries.award is not None and injuries.non_whiplash:
        total = sum((amount for _, _, amount in injuries.non_whiplash), ZERO)
        try:
            injuries.mixed = mixed_injury_award(injuries.award, total, injuries.overlap)
        except RulesError as err:
            p.add(_relabelled(err, None), "$.injuries.overlap")
    elif injuries.overlap:  # nothing for it to come off: refused, never ignored
        p.found.append(
            RulesError(
                "an overlap comes off a mixed claim: whiplash and non-whiplash injuries",
                value=str(injuries.overlap),
                field="$.injuries.overlap",
                reference="guide 4.4.2",
                code=ErrorCode.VALUE_INVALID,
            )
        )


def _relabelled(err: RulesError, fld: str | None) -> RulesError:
    kwargs: dict[str, Any] = {"reference": err.reference, "field": fld, "code": err.code}
    if err.has_value:
        kwargs["value"] = err.value
    return type(err)(err.message, **kwargs)


class ClaimFile:
    """A parsed claim file: the claim replayed, the injuries and the date to assess on."""

    def __init__(
        self,
        claim: Claim,
        injuries: _Injuries,
        as_of: date | None,
    ) -> None:
        self.claim = claim
        self.injuries = injuries
        self.as_of = as_of


def load_claim_file(data: Any, *, tariff_table: TariffTable | None = None) -> ClaimFile:
    """Parse a claim file's JSON, or raise :class:`InvalidInput` with every problem found.

    The events in the file are those after submission: the ``submitted`` event is built
    from ``facts`` (its ``entry_date``), ``compensator``, ``losses`` and whether a
    whiplash injury is claimed. ``tariff_table``: a what-if table to value the whiplash
    injury by (``--tariff-table``), instead of the law's table for the accident date.
    """
    p = _Problems()
    if not isinstance(data, Mapping):
        raise InvalidInput(
            [not_an_object(data, "a claim file", reference=FILE_REFERENCE)],
            reference=FILE_REFERENCE,
        )
    _unknown(data, _KEYS, "$", p)
    if "facts" not in data:
        p.missing("$.facts")
    facts = (
        p.run("$.facts", lambda: ClaimFacts.from_dict(data["facts"])) if "facts" in data else None
    )
    compensator = p.run(
        "$.compensator",
        lambda: check_enum(
            data.get("compensator", "insurer"), Compensator, field="", reference=FILE_REFERENCE
        ),
    )
    injuries = _read_injuries(data.get("injuries", {}), p)
    losses = None
    if "losses" in data:
        losses = p.run("$.losses", lambda: ListOfLosses.from_dict(data["losses"]))
    as_of = None
    if "as_of" in data:
        as_of = p.run(
            "$.as_of", lambda: parse_iso_date(data["as_of"], field="", reference=FILE_REFERENCE)
        )
    holidays: list[date] = []
    for i, raw in enumerate(_list(data.get("extra_holidays", []), "$.extra_holidays", p)):
        day = p.run(
            f"$.extra_holidays[{i}]",
            partial(parse_iso_date, raw, field="", reference=FILE_REFERENCE),
        )
        if day is not None:
            holidays.append(day)
    events: list[ClaimEvent] = []
    for i, raw in enumerate(_list(data.get("events", []), "$.events", p)):
        event = p.run(f"$.events[{i}]", partial(ClaimEvent.from_dict, raw, where="$"))
        if event is not None:
            events.append(event)
    injuries.tariff_table = tariff_table
    if facts is not None:
        _value_injuries(injuries, facts, p, tariff_table)
    if p.found:
        raise InvalidInput(p.found, reference=FILE_REFERENCE)
    assert facts is not None
    calendar = p.run("$.extra_holidays", lambda: EnglandWalesCalendar(extra_holidays=holidays))
    claim = Claim(calendar=calendar)
    try:
        claim = claim.act(
            "submitted",
            on=facts.entry_date,
            facts=facts,
            whiplash=injuries.whiplash is not None,
            compensator=compensator,
            losses=losses,
        )
    except RulesError as err:
        for problem in err.problems:  # an ineligible claim: one per criterion, at its fact
            p.add(problem, "$" if (problem.field or "").startswith("facts.") else "$.facts")
        raise InvalidInput(p.found, reference=FILE_REFERENCE) from None
    for i, event in enumerate(events):
        try:
            claim = claim.apply(event)
        except RulesError as err:  # noqa: PERF203 - stops at the first refused event
            p.add(err, f"$.events[{i}]")
            raise InvalidInput(p.found, reference=FILE_REFERENCE) from None
    return ClaimFile(claim, injuries, as_of)


# --- the report --------------------------------------------------------------------------


def report(cf: ClaimFile, as_of: date) -> tuple[dict[str, Any], str]:
    """Build the whole report (data and text) before anything is printed.

    A thin caller of :meth:`Claim.report <rtaprotocol.claim.Claim.report>`: the report
    is the library's value, the CLI only reads the file and prints it.
    """
    result = cf.claim.report(as_of, injuries=cf.injuries.value())
    return result.to_dict(), str(result)


def _example() -> Any:
    resource = importlib.resources.files("rtaprotocol") / "data" / "examples" / "claim.json"
    return json.loads(resource.read_text(encoding="utf-8"))


def run(args: argparse.Namespace) -> int:
    """Assess the claim file (or the shipped example) and print the report."""
    if args.example == (args.claim_file is not None):
        raise RulesError(
            "give either a claim file or --example",
            value=args.claim_file,
            field="claim_file",
            reference=FILE_REFERENCE,
            code=ErrorCode.VALUE_INVALID,
        )
    if args.example:
        data = _example()
    else:
        data = read_json_file(
            args.claim_file,
            field="claim_file",
            reference=FILE_REFERENCE,
            max_bytes=args.max_bytes,
        )
    table = None if args.tariff_table is None else read_tariff_table(args.tariff_table)
    cf = load_claim_file(data, tariff_table=table)
    last = cf.claim.history[-1].on
    if args.example:
        as_of = EXAMPLE_AS_OF if cf.as_of is None else cf.as_of
    else:
        as_of = cf.as_of if cf.as_of is not None else date.today()  # the CLI edge
    if as_of < last:
        raise InvalidInput(
            [
                RulesError(
                    f"the claim is assessed on or after its last event ({last})",
                    value=as_of.isoformat(),
                    field="$.as_of",
                    reference=FILE_REFERENCE,
                    code=ErrorCode.VALUE_INVALID,
                )
            ],
            reference=FILE_REFERENCE,
        )
    body, text = report(cf, as_of)
    emit(args, body, text)
    return 0
