"""``rtaprotocol respond --served DATE``: response deadlines and route for an online damages claim.

Exit codes: 0 the deadlines (and, with ``--response``, a response that stays online),
1 the response takes the claim off the online service onto the paper route (or a paper
response is returned), 2 bad input. ``--represented`` / ``--unrepresented`` say whether
the defendant has a legal representative: the online duty binds legal representatives
only, so an unrepresented defendant's paper response (``--filed-on-paper``) is not
returned (PD 51ZB para 3.10).
"""

from __future__ import annotations

import argparse
from typing import Any

from rtaprotocol.cli._common import (
    add_extra_holiday_flag,
    add_json_flag,
    emit,
    extra_holidays,
    iso_date,
)
from rtaprotocol.damages_claims import (
    MAX_AGREED_EXTENSION_DAYS,
    ResponseRoute,
    ResponseType,
    response_deadlines,
    response_route,
)
from rtaprotocol.deadlines import EnglandWalesCalendar

__all__ = ["register"]


def register(sub: Any) -> None:
    """Add the ``respond`` subcommand."""
    parser: argparse.ArgumentParser = sub.add_parser(
        "respond",
        help="deadlines and route for responding to an online damages claim (CPR 10, 15)",
        description="Work out the acknowledgment of service and defence deadlines (CPR 2.8, "
        "6.14, 10.3, 15.4, 15.5) and, with --response, whether the response keeps the claim "
        "in the online damages claims service. Exit 0 ok, 1 the response moves the claim "
        "to the paper route, 2 bad input.",
    )
    when = parser.add_mutually_exclusive_group(required=True)
    when.add_argument("--served", metavar="DATE", help="day the particulars of claim were served")
    when.add_argument(
        "--claim-form-step",
        metavar="DATE",
        help="day of the step taken to serve the claim form (deemed served 2 business days "
        "later, CPR 6.14)",
    )
    parser.add_argument(
        "--acknowledged", action="store_true", help="an acknowledgment of service was filed"
    )
    parser.add_argument(
        "--extension-days",
        type=int,
        default=0,
        metavar="N",
        help=f"agreed extension for the defence, 0-{MAX_AGREED_EXTENSION_DAYS} days (CPR 15.5)",
    )
    parser.add_argument(
        "--response", choices=[t.value for t in ResponseType], help="the response type"
    )
    parser.add_argument(
        "--issued", metavar="DATE", help="day the claim was issued online (for --response)"
    )
    parser.add_argument(
        "--filed-on-paper",
        action="store_true",
        help="the response was filed on paper (for --response)",
    )
    parser.add_argument(
        "--paper-reason", metavar="TEXT", help="the reason given for not responding online"
    )
    who = parser.add_mutually_exclusive_group()
    who.add_argument(
        "--represented",
        dest="represented",
        action="store_const",
        const=True,
        help="the defendant has a legal representative (bound to respond online)",
    )
    who.add_argument(
        "--unrepresented",
        dest="represented",
        action="store_const",
        const=False,
        help="the defendant has no legal representative (may respond on paper, PD 51ZB)",
    )
    add_extra_holiday_flag(parser)
    add_json_flag(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Print the deadlines (and route); exit 1 when the response goes to paper."""
    cal = EnglandWalesCalendar(extra_holidays=extra_holidays(args))
    deadlines = response_deadlines(
        served=None if args.served is None else iso_date(args.served, field="served"),
        claim_form_step=(
            None
            if args.claim_form_step is None
            else iso_date(args.claim_form_step, field="claim_form_step")
        ),
        acknowledged=args.acknowledged,
        extension_days=args.extension_days,
        calendar=cal,
    )
    data: dict[str, Any] = {"deadlines": deadlines.to_dict(), "route": None}
    text = str(deadlines)
    code = 0
    if args.response is not None:
        issued = None if args.issued is None else iso_date(args.issued, field="issued")
        routing = response_route(
            args.response,
            issued_on=issued,
            filed_on_paper=args.filed_on_paper,
            paper_reason=args.paper_reason,
            represented=args.represented,
        )
        data["route"] = routing.to_dict()
        text += "\n\n" + str(routing)
        online = routing.route is ResponseRoute.ONLINE
        code = 0 if online and not routing.paper_response_returned else 1
    emit(args, data, text)
    return code
