"""Long claim histories for the replay benchmarks (issue 24): three mixes of events.

Each builder returns the JSON-ready event dicts of one claim with about ``n`` events,
valid under the rules (every history is replayed before it is timed):

- ``interim``: interim payment requests answered every way the guide allows (refused,
  agreed and paid, agreed then paid later, agreed in part), and voluntary payments;
- ``offer``: offer processes that start over (offer, counter offer, offer, wait out the
  prognosis, further losses, offer requested again: guide 6.5.3.1);
- ``further``: further medical reports requested, acknowledged, instructed, received and
  shared (guide 6.4.2.2).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

START = date(2023, 5, 2)

_FACTS = {
    "accident_date": "2023-03-01",
    "entry_date": START.isoformat(),
    "date_of_birth": "1980-01-01",
    "injury": "1500",
    "other_protocol_damages": "800",
}
_LOSSES = {
    "items": [
        {"type": "injury-loss-of-earnings", "amount": "500"},
        {"type": "property-excess", "amount": "300"},
    ]
}


def _start(events: list[dict[str, Any]], day: date, offer_stage: bool) -> None:
    def ev(kind: str, **fields: Any) -> None:
        events.append({"kind": kind, "on": day.isoformat(), **fields})

    ev("submitted", facts=_FACTS, whiplash=True, losses=_LOSSES)
    ev("liability-response", response="admit-full")
    ev("proceed-to-medical")
    ev("medical-report-received", report="first", prognosis_months=6)
    ev("medical-report-shared")
    if offer_stage:
        ev("offer-requested")


def _cycles(
    n: int, offer_stage: bool, cycle: Callable[[Callable[..., None]], None]
) -> list[dict[str, Any]]:
    events: list[dict[str, Any]] = []
    day = [START]
    _start(events, START, offer_stage)

    def ev(kind: str, **fields: Any) -> None:
        events.append({"kind": kind, "on": day[0].isoformat(), **fields})

    turn = 0
    while len(events) < n:
        turn += 1
        if turn % 3 == 0:
            day[0] += timedelta(days=1)
        cycle(ev)
    return events[:n]


def interim_heavy(n: int) -> list[dict[str, Any]]:
    """Interim requests and payments, about 9 events a round (guide 6.3.1.4)."""

    def cycle(ev: Callable[..., None]) -> None:
        ev("interim-payment-requested", amount="0.01")
        ev("interim-payment-response", agreed=False)
        ev("interim-payment-requested", amount="0.01")
        ev("interim-payment-response", agreed=True, answer="agree-not-yet-paid")
        ev("interim-payment-made")
        ev("interim-payment-requested", amount="0.02")
        ev("interim-payment-response", agreed=True, answer="agree-in-part", amount="0.01")
        ev("interim-payment-requested", amount="0.01")
        ev("interim-payment-response", agreed=True)
        ev("voluntary-interim-payment", amount="0.01")

    return _cycles(n, False, cycle)


def offer_heavy(n: int) -> list[dict[str, Any]]:
    """Offer processes that start over, 5 events a round (guide 6.5.3.1)."""

    def cycle(ev: Callable[..., None]) -> None:
        ev(
            "offer",
            party="compensator",
            amount="1800",
            injury="1000",
            items=["500", "300"],
            tariff="whiplash",
        )
        ev("offer", party="claimant", amount="3000")
        ev("offer", party="compensator", amount="2000")
        ev("wait-out-prognosis")
        ev("prognosis-outcome", outcome="further-losses")
        ev("offer-requested")

    return _cycles(n, True, cycle)


def further_heavy(n: int) -> list[dict[str, Any]]:
    """Further medical reports, 5 events a round (guide 6.4.2.2)."""

    def cycle(ev: Callable[..., None]) -> None:
        ev("further-report-requested", justification="prognosis-needs-more-time")
        ev("further-report-acknowledged")
        ev("further-report-instructions-sent")
        ev("medical-report-received", report="further", prognosis_months=9)
        ev("medical-report-shared")

    return _cycles(n, False, cycle)


MIXES: dict[str, Callable[[int], list[dict[str, Any]]]] = {
    "interim": interim_heavy,
    "offer": offer_heavy,
    "further": further_heavy,
}
