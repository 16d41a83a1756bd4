"""``rtaprotocol deadline PERIOD DATE``: the last day of one of the protocol's periods."""

from __future__ import annotations

import argparse
from typing import Any

from rtaprotocol.cli._common import (
    add_extra_holiday_flag,
    add_json_flag,
    date_argument,
    emit,
    extra_holidays,
    iso_date,
)
from rtaprotocol.deadlines import EnglandWalesCalendar, Period, due_date

__all__ = ["register"]


def register(sub: Any) -> None:
    """Add the ``deadline`` subcommand."""
    parser: argparse.ArgumentParser = sub.add_parser(
        "deadline",
        help="the due date of a protocol period",
        description="Print the last day of a protocol period counted from an event date, "
        "in England & Wales business days (guide 6.3.1).",
    )
    parser.add_argument("period", choices=[p.value for p in Period], help="the period")
    parser.add_argument("event_date", type=date_argument, help="the event date, YYYY-MM-DD")
    add_extra_holiday_flag(parser)
    add_json_flag(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Print the due date and the rule used."""
    period = Period.from_slug(args.period)
    event = iso_date(args.event_date, field="event_date")
    cal = EnglandWalesCalendar(extra_holidays=extra_holidays(args))
    due = due_date(period, event, calendar=cal)
    data = {
        "period": period.value,
        "description": period.description,
        "event_date": event,
        "business_days": period.business_days,
        "due_date": due,
        "weekday": due.strftime("%A"),
        "reference": period.reference,
        "rule": "counted from the first full business day after the event (guide 6.3.1)",
        "extra_holidays": sorted(cal.extra_holidays),
    }
    text = (
        f"{due.isoformat()} ({due:%A}): {period.description}, {period.business_days} business "
        f"days after {event.isoformat()} ({period.reference}); counted from the first full "
        "business day after the event, skipping weekends and England & Wales bank holidays "
        "(guide 6.3.1)"
    )
    emit(args, data, text)
    return 0
