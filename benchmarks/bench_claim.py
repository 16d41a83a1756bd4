"""Claim benchmark: replaying 10,000 stored claims from their events (issue 12).

A portal backend restores each live claim with ``Claim.replay(events)`` from the event
dicts it stored. This script builds 10,000 claims along the guide's paths (admit and
settle with counter offers and fees; part-admission with challenges and an interim
payment; denial accepted; denial, court and determination), stores their histories as
JSON-ready dicts, then times:

- ``Claim.replay(dicts)`` over all 10,000 claims, per event (target: well under a
  millisecond per event; we require < 250 µs);
- the baseline, in the same process: ``Negotiation.replay(dicts)`` over the same claims'
  embedded negotiations' events (the landed event-sourced model, the cheapest reducer in the library), per
  event; the ratio claim/negotiation is printed (target <= 10x: the claim does eligibility,
  deadlines and List of Losses work per event on top of a negotiation).

Every replayed claim must equal the claim built event by event before anything is timed.

Run: ``.venv/bin/python benchmarks/bench_claim.py`` (``--claims N`` for a quicker run)
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from datetime import date, timedelta
from typing import Any

from _onecore import best_of, pin_one_core, show

from rtaprotocol.claim import Claim
from rtaprotocol.eligibility import ClaimFacts
from rtaprotocol.losses import ListOfLosses, LossItem
from rtaprotocol.offers import Negotiation

_FLAGS = {
    "someone_else_to_blame": True,
    "other_vehicle_registration_known": True,
    "other_vehicle_uk_registered": True,
    "claimant_protected_party": False,
    "defendant_protected_party": False,
    "health_and_safety_breach": False,
    "defendant_road_user": True,
    "untraced_driver": False,
    "claimant_personal_representative": False,
    "defendant_personal_representative": False,
    "claimant_bankrupt": False,
}


def _one_claim(rng: random.Random) -> Claim:
    accident = date(2022, 1, 3) + timedelta(days=rng.randrange(900))
    entry = accident + timedelta(days=rng.randrange(5, 60))
    facts = ClaimFacts(
        accident_date=accident,
        entry_date=entry,
        date_of_birth=date(1980, 1, 1),
        accident_location="england",
        road_user="vehicle-occupant",
        injury=1500,
        other_protocol_damages=800,
        **_FLAGS,
    )
    losses = ListOfLosses(
        items=[LossItem("injury-loss-of-earnings", 500), LossItem("property-excess", 300)]
    )
    day = [entry]

    def on() -> date:
        day[0] += timedelta(days=rng.randrange(1, 6))
        return day[0]

    c = Claim().act("submitted", on=entry, facts=facts, whiplash=True, losses=losses)
    path = rng.randrange(4)
    if path == 2:
        c = c.act("liability-response", on=on(), response="deny")
        return c.act("denial-accepted", on=on())
    if path == 3:
        c = c.act("liability-response", on=on(), response="deny")
        c = c.act("go-to-court", on=on(), issue="liability")
        c = c.act("court-pack-list-sent", on=on())
        c = c.act("court-pack-list-agreed", on=on())
        c = c.act("proceedings-issued", on=on())
        c = c.act("court-determination", on=on(), for_claimant=True, percent=100)
    elif path == 1:
        c = c.act("liability-response", on=on(), response="admit-part", percent=60)
        c = c.act("interim-payment-requested", on=on(), amount=300, item=1)
        c = c.act("liability-challenge", on=on(), percent=100)
        c = c.act("interim-payment-response", on=on(), agreed=True)
        c = c.act("liability-response", on=on(), response="admit-part", percent=75)
    else:
        c = c.act("liability-response", on=on(), response="admit-full")
    c = c.act("proceed-to-medical", on=on())
    c = c.act("medical-report-received", on=on(), report="first", prognosis_months=6)
    c = c.act("medical-report-shared", on=on())
    c = c.act("offer-requested", on=on())
    first = 1000 + rng.randrange(500)
    c = c.act(
        "offer",
        on=on(),
        party="compensator",
        amount=first + 800,
        injury=first,
        items=["500", "300"],
        tariff="whiplash",
    )
    c = c.act("offer", on=on(), party="claimant", amount=3000)
    c = c.act("offer", on=on(), party="compensator", amount=first + 1000)
    c = c.act("accept", on=on(), party="claimant")
    c = c.act("fee-offer", on=on(), party="compensator", amount=180)
    c = c.act("fee-accept", on=on(), party="claimant")
    return c.act("payment-made", on=on())


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--claims", type=int, default=10_000)
    args = parser.parse_args()
    where = pin_one_core()
    rng = random.Random(12)
    claims = [_one_claim(rng) for _ in range(args.claims)]
    stored: list[list[dict[str, Any]]] = [
        json.loads(json.dumps([e.to_dict() for e in c.history])) for c in claims
    ]
    offers = [json.loads(json.dumps([e.to_dict() for e in c.negotiation.history])) for c in claims]
    n_events = sum(map(len, stored))
    n_offer_events = sum(map(len, offers))

    replayed = [Claim.replay(h) for h in stored]
    if replayed != claims:
        print(
            "MISMATCH: a replayed claim differs from the claim built event by event",
            file=sys.stderr,
        )
        return 1
    negotiations = [Negotiation.replay(h, whiplash=True) for h in offers]
    if negotiations != [c.negotiation for c in claims]:
        print("MISMATCH: the negotiation baseline differs from the embedded one", file=sys.stderr)
        return 1

    t_claim = best_of(lambda: [Claim.replay(h) for h in stored], repeat=3)
    t_neg = best_of(lambda: [Negotiation.replay(h, whiplash=True) for h in offers], repeat=3)
    per_claim = t_claim / n_events * 1e6
    per_neg = t_neg / n_offer_events * 1e6
    ratio = per_claim / per_neg
    print(
        f"Claim.replay over {args.claims:,} claims, {n_events:,} events "
        f"({n_events / args.claims:.1f} a claim), one core ({where})"
    )
    print(f"  Claim.replay from dicts            {per_claim:8.1f} µs/event  ({t_claim:.2f} s)")
    print(
        f"  Negotiation.replay (baseline)      {per_neg:8.1f} µs/event  ({n_offer_events:,} events)"
    )
    show(
        [
            (
                "claim replay per event",
                f"{per_claim:.1f} µs",
                "< 250 µs",
                "ok" if per_claim < 250 else "MISSED",
            ),
            (
                "ratio to the negotiation per event",
                f"{ratio:.1f}x",
                "<= 10x",
                "ok" if ratio <= 10 else "MISSED",
            ),
        ]
    )
    return 0 if per_claim < 250 and ratio <= 10 else 1


if __name__ == "__main__":
    raise SystemExit(main())
