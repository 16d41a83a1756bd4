"""``rtaprotocol tariff DURATION --accident-date DATE``: the whiplash tariff amount."""

from __future__ import annotations

import argparse
import re
from decimal import Decimal
from typing import Any

from dateutil.relativedelta import relativedelta

from rtaprotocol._checks import parse_iso_date
from rtaprotocol.cli._common import (
    MAX_NUMBER_ARGUMENT_CHARS,
    add_json_flag,
    add_tariff_table_flag,
    date_argument,
    emit,
    number_argument,
    read_tariff_table,
)
from rtaprotocol.errors import ErrorCode, RulesError
from rtaprotocol.tariff import DURATION_REFERENCE, REGIME_REFERENCE, tariff_award

__all__ = ["parse_duration", "register"]

_MONTHS = re.compile(r"[0-9]+(?:\.[0-9]+)?", re.ASCII)
_PARTS = re.compile(r"(?:([0-9]+)y)?(?:([0-9]+)m)?(?:([0-9]+)d)?", re.ASCII)
#: More digits than this in one part is far past 24 months; and int() refuses > 4,300 digits.
_MAX_PART_DIGITS = 9


def parse_duration(text: str) -> Decimal | relativedelta:
    """Read ``7`` or ``3.5`` as months, or ``3m1d``, ``2y``, ``92d`` as a relativedelta.

    >>> parse_duration("3.5"), parse_duration("3m1d")
    (Decimal('3.5'), relativedelta(months=+3, days=+1))
    >>> parse_duration("1234567890d")
    Traceback (most recent call last):
    ...
    rtaprotocol.errors.RulesError: duration: not a tariff injury: the duration must be more than 0 and not more than 24 months: got '1234567890d' [Civil Liability Act 2018 s.3: a tariff injury lasts not more than 2 years (more than 0 and not more than 24 months); guide 4.4.1]
    """
    value = text.strip(" ").lower()
    if not value.isascii():
        raise RulesError(
            "not a duration: only ASCII digits 0-9 are accepted",
            value=text[:MAX_NUMBER_ARGUMENT_CHARS],
            field="duration",
            reference=DURATION_REFERENCE,
            code=ErrorCode.VALUE_INVALID,
        )
    if _MONTHS.fullmatch(value):
        return Decimal(value)
    parts = _PARTS.fullmatch(value)
    if value and parts:
        if any(len(p.lstrip("0")) > _MAX_PART_DIGITS for p in parts.groups() if p):
            raise RulesError(
                "not a tariff injury: the duration must be more than 0 and not more than 24 months",
                value=text,
                field="duration",
                reference=DURATION_REFERENCE,
                code=ErrorCode.VALUE_INVALID,
            )
        years, months, days = (int(p) if p else 0 for p in parts.groups())
        return relativedelta(years=years, months=months, days=days)
    raise RulesError(
        "not a duration: give months (7, 3.5) or years, months and days (3m1d, 2y, 92d)",
        value=text,
        field="duration",
        reference=DURATION_REFERENCE,
        code=ErrorCode.VALUE_INVALID,
    )


def register(sub: Any) -> None:
    """Add the ``tariff`` subcommand."""
    parser: argparse.ArgumentParser = sub.add_parser(
        "tariff",
        help="the whiplash tariff amount for an injury",
        description="Value a whiplash injury by the tariff for its accident date (Whiplash "
        "Injury Regulations 2021, reg 2 and 3; guide 4.4.1), with any uplift.",
    )
    parser.add_argument(
        "duration",
        help="the injury's duration: months (7, 3.5) or from the accident date (3m1d, 2y, 92d)",
    )
    parser.add_argument(
        "--accident-date",
        required=True,
        type=date_argument,
        metavar="DATE",
        help="the accident date, YYYY-MM-DD",
    )
    parser.add_argument(
        "--psych",
        action="store_true",
        help="whiplash with minor psychological injury (reg 2(1)(b))",
    )
    parser.add_argument(
        "--uplift",
        default="0",
        type=number_argument,
        metavar="PERCENT",
        help="uplift percent, 0 to 20 (reg 3)",
    )
    add_tariff_table_flag(parser)
    add_json_flag(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Print the tariff award and how it was reached."""
    award = tariff_award(
        parse_duration(args.duration),
        accident_date=parse_iso_date(
            args.accident_date, field="accident_date", reference=REGIME_REFERENCE
        ),
        psychological=args.psych,
        uplift_percent=args.uplift,
        tariff_table=None if args.tariff_table is None else read_tariff_table(args.tariff_table),
    )
    emit(args, award.to_dict(), str(award))
    return 0
