"""``rtaprotocol lowvalue ...``: the Claims Portal protocols' periods and fixed costs.

Four actions, each printing the figure with its rule and confidence mark:

- ``deadline PROTOCOL PERIOD DATE [--mib]``: a named period (``--mib``: the MIB is the
  defendant, 30 business days for the CNF response, RTA Protocol para 6.11);
- ``costs PROTOCOL STAGE DAMAGES --accrued-on DATE [--notified-on DATE] [--stage3-type T]
  [--london]``: fixed recoverable costs (``--london``: London weighting, CPR 45.18(3) /
  45.3);
- ``stage2 PROTOCOL ACKNOWLEDGED [--extension-days N] [--offer DATE ...]``: the Stage 2
  consideration periods and a late offer's further period (RTA Protocol para 7.35-7.37);
- ``interim PROTOCOL REQUESTED RECEIVED``: the interim payment period (para 7.18, 7.19).

Exit codes: 0 the answer, 2 bad input.
"""

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
    number_argument,
    whole_number_argument,
)
from rtaprotocol.deadlines import EnglandWalesCalendar
from rtaprotocol.lowvalue import (
    PROTOCOL_PERIODS,
    LowValueProtocol,
    fixed_costs,
    interim_payment_deadline,
    protocol_deadline,
    stage2_consideration,
)

__all__ = ["register"]

_PROTOCOLS = [p.value for p in LowValueProtocol]


def register(sub: Any) -> None:
    """Add the ``lowvalue`` subcommand and its four actions."""
    parser: argparse.ArgumentParser = sub.add_parser(
        "lowvalue",
        help="Claims Portal (low-value RTA, EL/PL protocols): periods and fixed costs",
        description="The low-value RTA and EL/PL Protocols' periods (business days) and "
        "fixed recoverable costs (CPR Part 45), each with its rule and confidence mark. "
        "Exit 0 the answer, 2 bad input.",
    )
    actions = parser.add_subparsers(dest="action", required=True)

    deadline = actions.add_parser(
        "deadline",
        help="the last day of a named protocol period",
        description="Print the last day of a named period counted in business days after "
        "the event (RTA Protocol para 1.1). --mib: the MIB is the defendant (RTA Protocol "
        "para 6.11: 30 business days to answer the CNF, not 15).",
    )
    deadline.add_argument("protocol", choices=_PROTOCOLS, help="rta, el or pl")
    deadline.add_argument(
        "period", choices=sorted({n for _, n in PROTOCOL_PERIODS}), help="the period's name"
    )
    deadline.add_argument("start", type=date_argument, help="the event date, YYYY-MM-DD")
    deadline.add_argument(
        "--mib", action="store_true", help="the Motor Insurers' Bureau is the defendant (RTA)"
    )
    add_extra_holiday_flag(deadline)
    add_json_flag(deadline)
    deadline.set_defaults(run=_deadline)

    costs = actions.add_parser(
        "costs",
        help="fixed recoverable costs of a protocol stage",
        description="Print the fixed recoverable costs of Stage 1, 2 or 3 (CPR Part 45). "
        "The costs rules turn on the day the cause of action accrued (SI 2023/572 "
        "r.2(2)(a)): give --accrued-on; --notified-on alone answers only for a CNF sent before "
        "1 October 2023. --london: the claimant lives or works in an area listed in PD 45 "
        "and instructs a legal representative practising there (12.5%%, CPR 45.18(3); "
        "CPR 45.3 from 1 October 2023).",
    )
    costs.add_argument("protocol", choices=_PROTOCOLS, help="rta, el or pl")
    costs.add_argument("stage", choices=["1", "2", "3"], help="the protocol stage")
    costs.add_argument("damages", type=number_argument, help="the damages, pounds")
    costs.add_argument("--accrued-on", type=date_argument, metavar="DATE", help="accident date")
    costs.add_argument(
        "--notified-on", type=date_argument, metavar="DATE", help="day the CNF was sent"
    )
    costs.add_argument(
        "--stage3-type",
        choices=["A", "B", "C"],
        help="Stage 3: A legal representative, B advocate, C child-settlement advice",
    )
    costs.add_argument(
        "--london", action="store_true", help="London weighting applies (PD 45 area)"
    )
    add_json_flag(costs)
    costs.set_defaults(run=_costs)

    stage2 = actions.add_parser(
        "stage2",
        help="Stage 2 consideration periods, an agreed extension and a late offer",
        description="Print the Stage 2 initial and total consideration periods counted "
        "after the day the Stage 2 Settlement Pack was acknowledged (RTA Protocol para "
        "7.35), with an agreed extension (para 7.36) and the further period an offer made "
        "5 business days or less before the end opens (para 7.37).",
    )
    stage2.add_argument("protocol", choices=_PROTOCOLS, help="rta, el or pl")
    stage2.add_argument(
        "acknowledged", type=date_argument, help="day the Stage 2 Settlement Pack was acknowledged"
    )
    stage2.add_argument(
        "--extension-days",
        type=whole_number_argument,
        default=0,
        metavar="N",
        help="agreed extension of the total consideration period, business days",
    )
    stage2.add_argument(
        "--offer",
        action="append",
        default=[],
        type=date_argument,
        metavar="DATE",
        help="the day an offer was made (repeatable)",
    )
    add_extra_holiday_flag(stage2)
    add_json_flag(stage2)
    stage2.set_defaults(run=_stage2)

    interim = actions.add_parser(
        "interim",
        help="when a requested interim payment is due",
        description="Print when the defendant must pay a requested interim payment: £1,000 "
        "in 10 business days (RTA Protocol para 7.18), more than £1,000 in 15 (para 7.19).",
    )
    interim.add_argument("protocol", choices=_PROTOCOLS, help="rta, el or pl")
    interim.add_argument("requested", type=number_argument, help="the amount requested")
    interim.add_argument(
        "received", type=date_argument, help="day the Interim Settlement Pack was received"
    )
    add_extra_holiday_flag(interim)
    add_json_flag(interim)
    interim.set_defaults(run=_interim)


def _calendar(args: argparse.Namespace) -> EnglandWalesCalendar:
    return EnglandWalesCalendar(extra_holidays=extra_holidays(args))


def _deadline(args: argparse.Namespace) -> int:
    result = protocol_deadline(
        args.protocol,
        args.period,
        iso_date(args.start, field="start"),
        mib=args.mib,
        calendar=_calendar(args),
    )
    emit(args, {**result.to_dict(), "mib": args.mib}, str(result))
    return 0


def _costs(args: argparse.Namespace) -> int:
    result = fixed_costs(
        args.protocol,
        int(args.stage),
        args.damages,
        accrued_on=None
        if args.accrued_on is None
        else iso_date(args.accrued_on, field="accrued_on"),
        notified_on=(
            None if args.notified_on is None else iso_date(args.notified_on, field="notified_on")
        ),
        stage3_type=args.stage3_type,
        london=args.london,
    )
    emit(args, result.to_dict(), str(result))
    return 0


def _stage2(args: argparse.Namespace) -> int:
    result = stage2_consideration(
        args.protocol,
        iso_date(args.acknowledged, field="acknowledged"),
        extension_days=args.extension_days,
        offers=[iso_date(d, field="offer") for d in args.offer],
        calendar=_calendar(args),
    )
    emit(args, result.to_dict(), str(result))
    return 0


def _interim(args: argparse.Namespace) -> int:
    result = interim_payment_deadline(
        args.protocol,
        args.requested,
        iso_date(args.received, field="received"),
        calendar=_calendar(args),
    )
    emit(args, result.to_dict(), str(result))
    return 0
