"""Report benchmark: ``Claim.report(on)`` on typical claims (issue 24).

A portal backend shows a claim's whole report (what ``rtaprotocol assess`` prints) on each
page view. This script builds typical claims along the guide's paths (the same four paths
as ``bench_claim.py``: settled with counter offers and fees; part-admission with
challenges and an interim payment; denial accepted; denial, court and determination; about
13 events each), with injuries to value (an 8-month whiplash injury with a minor
psychological part, half of them with a non-whiplash wrist injury and an overlap), then
times, per claim:

- ``claim.report(on, injuries=...)``: building the value;
- the baseline, in the same process: the parts the report gathers, called directly
  (``check_eligibility(facts)``, ``claim.next_steps(on)``, ``claim.payment()``, the tariff
  award, the JCG brackets and the mixed award); the ratio report/parts is printed
  (target <= 1.5x: the value adds only its assembly);
- the two renderings a service sends: ``str(report)`` and ``json.dumps(report.to_dict())``,
  shown against ``report()`` itself (no target: they write every table of the report).

Every report must agree with its parts (same next steps, same payment) before anything is
timed.

Run: ``.venv/bin/python benchmarks/bench_report.py`` (``--claims N`` for a quicker run)
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from datetime import date, timedelta
from typing import Any

from _onecore import best_of, pin_one_core, show
from bench_claim import _one_claim

from rtaprotocol import Injuries, NonWhiplashInjury
from rtaprotocol.claim import Claim
from rtaprotocol.eligibility import check_eligibility
from rtaprotocol.errors import RulesError
from rtaprotocol.jcg import jcg_brackets
from rtaprotocol.tariff import tariff_award
from rtaprotocol.valuation import mixed_injury_award

_WRIST = NonWhiplashInjury("arm-hand", "1500", "sprained left wrist")


def _injuries(i: int) -> Injuries:
    if i % 2:
        return Injuries(whiplash_months=8, psychological=True)
    return Injuries(whiplash_months=8, psychological=True, non_whiplash=[_WRIST], overlap=300)


def _parts(claim: Claim, on: date, injuries: Injuries) -> tuple[Any, ...]:
    """What the report gathers, called directly (the baseline)."""
    facts = claim.facts
    assert facts is not None
    eligibility = check_eligibility(facts)
    steps = claim.next_steps(on)
    try:
        payment: Any = claim.payment()
    except RulesError as err:
        payment = err.message
    assert injuries.whiplash_months is not None
    award = tariff_award(
        injuries.whiplash_months,
        accident_date=facts.accident_date,
        psychological=injuries.psychological,
        uplift_percent=injuries.uplift_percent,
    )
    extracts = [jcg_brackets(n.area) for n in injuries.non_whiplash]
    mixed = None
    if injuries.non_whiplash:
        total = sum(n.amount for n in injuries.non_whiplash)
        mixed = mixed_injury_award(award.amount, total, injuries.overlap)
    return eligibility, steps, payment, award, extracts, mixed


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--claims", type=int, default=1_000)
    args = parser.parse_args()
    where = pin_one_core()
    rng = random.Random(24)
    claims = [_one_claim(rng) for _ in range(args.claims)]
    cases = [
        (c, c.history[-1].on + timedelta(days=rng.randrange(0, 60)), _injuries(i))
        for i, c in enumerate(claims)
    ]
    n_events = sum(len(c.history) for c in claims)

    reports = [c.report(on, injuries=inj) for c, on, inj in cases]
    for r, (c, on, inj) in zip(reports, cases, strict=True):
        eligibility, steps, payment, award, _, mixed = _parts(c, on, inj)
        agrees = (
            r.next_steps == steps
            and r.eligibility == eligibility
            and r.tariff == award
            and r.mixed == mixed
            and (r.payment == payment if r.payment is not None else r.no_payment == payment)
        )
        if not agrees:
            print("MISMATCH: a report differs from its parts", file=sys.stderr)
            return 1

    # Alternately, so that a busy moment of a shared machine hits both sides alike.
    t_report = t_parts = float("inf")
    for _ in range(4):
        t_report = min(
            t_report, best_of(lambda: [c.report(on, injuries=inj) for c, on, inj in cases], 1)
        )
        t_parts = min(t_parts, best_of(lambda: [_parts(c, on, inj) for c, on, inj in cases], 1))
    t_text = best_of(lambda: [str(r) for r in reports], repeat=3)
    t_json = best_of(lambda: [json.dumps(r.to_dict()) for r in reports], repeat=3)
    per = {name: t / args.claims * 1e3 for name, t in
           (("report", t_report), ("parts", t_parts), ("text", t_text), ("json", t_json))}  # fmt: skip
    ratio = per["report"] / per["parts"]
    print(
        f"Claim.report over {args.claims:,} claims, {n_events:,} events "
        f"({n_events / args.claims:.1f} a claim), one core ({where})"
    )
    print(f"  claim.report(on, injuries=...)     {per['report']:8.3f} ms/claim")
    print(f"  its parts called directly          {per['parts']:8.3f} ms/claim  (baseline)")
    print(f"  str(report)                        {per['text']:8.3f} ms/claim")
    print(f"  json.dumps(report.to_dict())       {per['json']:8.3f} ms/claim")
    show(
        [
            (
                "report() against its parts",
                f"{ratio:.2f}x",
                "<= 1.5x",
                "ok" if ratio <= 1.5 else "MISSED",
            ),
            ("str(report) against report()", f"{per['text'] / per['report']:.1f}x", "shown", ""),
            (
                "to_dict + dumps against report()",
                f"{per['json'] / per['report']:.1f}x",
                "shown",
                "",
            ),
        ]
    )
    return 0 if ratio <= 1.5 else 1


if __name__ == "__main__":
    raise SystemExit(main())
