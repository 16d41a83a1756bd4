"""Scalar benchmark: each public rule against its bare arithmetic, in one process (issue 16).

For each call the script also times the **bare reference**: the same arithmetic written
plainly, without validation, explanation or context handling, as the floor no
implementation can beat by much. It prints each call's time, the bare time and their
ratio, measured in the same run, and exits non-zero if a target ratio is missed or a
result disagrees with its bare reference (every pair is checked before it is timed).

- ``compute_payment`` on the guide's own example (guide 6.5.2.2) against the four steps
  as bare ``Decimal`` arithmetic: target <= 5x;
- ``tariff_amount`` with a 12.5% uplift (the same ``Decimal`` given to both) against a
  bare table look-up and multiply: target <= 3x;
- ``check_eligibility`` on a complete eligible ``ClaimFacts`` against a bare chain of the
  same comparisons: target <= 8x;
- ``ClaimFacts(...)`` from Python values against a bare ``attrs`` class with the same
  fields and no validators: target <= 5x;
- ``add_business_days`` against a bare list look-up: target <= 3x;
- ``Negotiation.replay`` of a 10-event history (from dicts): target <= 50 µs per event.

Run: ``.venv/bin/python benchmarks/bench_scalar.py`` (``--quick`` for fewer loops).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import attrs
from _onecore import best_of, pin_one_core, show

import rtaprotocol
from rtaprotocol import ClaimFacts, Head, check_eligibility, compute_payment, tariff_amount
from rtaprotocol.deadlines import add_business_days
from rtaprotocol.offers import Negotiation, Party

PENNY = Decimal("0.01")


# --- compute_payment --------------------------------------------------------------------


def payment() -> Decimal:
    return compute_payment(
        {Head.INJURY: 1000, Head.INJURY_RELATED: 1500, Head.PROPERTY: 1500},
        claimant_liability_percent=25,
        seatbelt_percent=10,
        cru={Head.INJURY_RELATED: 500},
        interim={Head.PROPERTY: 200},
    ).total


def bare_payment() -> Decimal:
    """Guide 6.5.2.2's four steps as plain Decimal arithmetic on the same Python inputs."""
    injury, related, prop = Decimal(1000), Decimal(1500), Decimal(1500)
    liability, seatbelt = Decimal(25), Decimal(10)
    cru, interim = Decimal(500), Decimal(200)
    injury = (injury * (100 - liability) / 100).quantize(PENNY, ROUND_HALF_UP)
    related = (related * (100 - liability) / 100).quantize(PENNY, ROUND_HALF_UP)
    prop = (prop * (100 - liability) / 100).quantize(PENNY, ROUND_HALF_UP)
    injury = (injury * (100 - seatbelt) / 100).quantize(PENNY, ROUND_HALF_UP)
    related = (related * (100 - seatbelt) / 100).quantize(PENNY, ROUND_HALF_UP)
    related -= min(cru, related)
    prop -= min(interim, prop)
    return injury + related + prop


# --- tariff_amount ----------------------------------------------------------------------

_T2_START = date(2025, 5, 31)
_BARE_TABLES = {
    1: ((3, 260), (6, 520), (9, 895), (12, 1390), (15, 2125), (18, 3100), (24, 4345)),
    2: ((3, 300), (6, 595), (9, 1025), (12, 1595), (15, 2435), (18, 3550), (24, 4975)),
}
_BARE_BANDS = {k: tuple((hi, Decimal(v)) for hi, v in rows) for k, rows in _BARE_TABLES.items()}
_ACCIDENT = date(2025, 6, 1)
_UPLIFT = Decimal("12.5")


def tariff() -> Decimal:
    return tariff_amount(12, accident_date=_ACCIDENT, psychological=True, uplift_percent=_UPLIFT)


def bare_tariff() -> Decimal:
    """Pick the table by date and the band by months, then uplift and round half-up."""
    bands = _BARE_BANDS[2 if _ACCIDENT >= _T2_START else 1]
    months = 12
    for hi, amount in bands:
        if months <= hi:
            return (amount * (100 + _UPLIFT) / 100).quantize(PENNY, ROUND_HALF_UP)
    raise AssertionError


# --- ClaimFacts and check_eligibility ---------------------------------------------------

FACTS_KWARGS: dict[str, Any] = {
    "accident_date": date(2023, 3, 1),
    "entry_date": date(2023, 4, 3),
    "date_of_birth": date(1990, 4, 3),
    "accident_location": "england",
    "road_user": "vehicle-occupant",
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
    "injury": Decimal("2500.00"),
    "other_protocol_damages": Decimal("1500.00"),
    "non_protocol_vehicle_costs": 12000,
    "fees": 0,
}


@attrs.frozen(kw_only=True)
class BareFacts:
    """The same twenty fields as ClaimFacts, no validators, no converters."""

    accident_date: date
    entry_date: date
    date_of_birth: date | None = None
    accident_location: Any = None
    road_user: Any = None
    someone_else_to_blame: bool | None = None
    other_vehicle_registration_known: bool | None = None
    other_vehicle_uk_registered: bool | None = None
    claimant_protected_party: bool | None = None
    defendant_protected_party: bool | None = None
    health_and_safety_breach: bool | None = None
    defendant_road_user: bool | None = None
    untraced_driver: bool | None = None
    claimant_personal_representative: bool | None = None
    defendant_personal_representative: bool | None = None
    claimant_bankrupt: bool | None = None
    injury: Any = None
    other_protocol_damages: Any = None
    non_protocol_vehicle_costs: Any = 0
    fees: Any = 0


_ENGLAND_OR_WALES = frozenset({"england", "wales"})
_NOT_VULNERABLE = frozenset({"vehicle-occupant"})
_PORTAL_FROM = date(2021, 5, 31)
_INJURY_LIMIT, _TOTAL_LIMIT = Decimal(5000), Decimal(10000)


def bare_eligible(f: BareFacts) -> bool:
    """The same comparisons check_eligibility makes, chained, on a bare object."""
    dob = f.date_of_birth
    assert dob is not None
    try:
        eighteen = dob.replace(year=dob.year + 18)
    except ValueError:  # 29 February
        eighteen = date(dob.year + 18, 3, 1)
    deadline = f.accident_date.replace(year=f.accident_date.year + 3)
    return (
        f.injury > 0
        and f.injury <= _INJURY_LIMIT
        and f.injury + f.other_protocol_damages <= _TOTAL_LIMIT
        and f.entry_date >= eighteen
        and f.accident_location in _ENGLAND_OR_WALES
        and f.accident_date >= _PORTAL_FROM
        and f.road_user in _NOT_VULNERABLE
        and f.someone_else_to_blame is True
        and f.other_vehicle_registration_known is True
        and f.other_vehicle_uk_registered is True
        and f.claimant_protected_party is False
        and f.defendant_protected_party is False
        and f.health_and_safety_breach is False
        and f.defendant_road_user is True
        and f.untraced_driver is False
        and f.claimant_personal_representative is False
        and f.defendant_personal_representative is False
        and f.claimant_bankrupt is False
        and (deadline - f.entry_date).days >= 0
    )


# --- add_business_days ------------------------------------------------------------------


def bare_calendar() -> tuple[list[int], list[date], int]:
    """The cumulative count and list of business days, built the plain way."""
    from rtaprotocol.deadlines import _FIRST, _LAST, bank_holiday_ordinals

    closed = bank_holiday_ordinals()
    cum, days, count = [], [], 0
    for o in range(_FIRST, _LAST + 1):
        if (o - 1) % 7 < 5 and o not in closed:
            count += 1
            days.append(date.fromordinal(o))
        cum.append(count)
    return cum, days, _FIRST


# --- Negotiation replay -----------------------------------------------------------------


def ten_events() -> list[dict[str, Any]]:
    """A 10-event negotiation, as the dicts a portal backend stores."""
    C, K = Party.COMPENSATOR, Party.CLAIMANT  # noqa: N806
    n = Negotiation()
    n = n.offer(C, 1500, on=date(2023, 5, 2))
    n = n.offer(K, 2400, on=date(2023, 5, 4))
    n = n.offer(C, 1800, on=date(2023, 5, 9))
    n = n.reject(K, on=date(2023, 5, 10))
    n = n.offer(K, 2200, on=date(2023, 5, 11))
    n = n.reject(C, on=date(2023, 5, 12))
    n = n.offer(C, 1900, on=date(2023, 5, 15))
    n = n.accept(K, on=date(2023, 5, 16))
    n = n.offer_fees(C, 500, on=date(2023, 5, 17))
    n = n.accept_fees(K, on=date(2023, 5, 18))
    events = [e.to_dict() for e in n.history]
    assert len(events) == 10, len(events)
    assert Negotiation.replay(events) == n
    return events


# --- the run ----------------------------------------------------------------------------


def per_call(fn: Callable[[], object], loops: int, repeat: int) -> float:
    """Best-of time per call, in microseconds."""
    return best_of(lambda: [fn() for _ in range(loops)], repeat=repeat) / loops * 1e6


def paired(
    ours: Callable[[], object], bare: Callable[[], object], loops: int, repeat: int
) -> tuple[float, float]:
    """Best-of times per call (µs) of ``ours`` and ``bare``, measured alternately.

    Alternating the two keeps a burst of load on a shared machine from landing on one
    side of the ratio only.
    """
    t_ours = t_bare = float("inf")
    for _ in range(repeat):
        t_ours = min(t_ours, per_call(ours, loops, 1))
        t_bare = min(t_bare, per_call(bare, loops, 1))
    return t_ours, t_bare


def main() -> int:
    quick = "--quick" in sys.argv[1:]
    loops, repeat = (2_000, 3) if quick else (20_000, 7)
    where = pin_one_core()

    facts = ClaimFacts(**FACTS_KWARGS)
    bare_facts = BareFacts(**FACTS_KWARGS)
    cum, days, first = bare_calendar()
    d, n = date(2023, 5, 2), 30

    def bare_add(d: date, n: int) -> date:
        return days[cum[d.toordinal() - first] + n - 1]

    events = ten_events()
    checks = [
        ("compute_payment", payment(), bare_payment()),
        ("tariff_amount", tariff(), bare_tariff()),
        ("check_eligibility", check_eligibility(facts).eligible, bare_eligible(bare_facts)),
        ("add_business_days", add_business_days(d, n), bare_add(d, n)),
    ]
    wrong = [name for name, ours, bare in checks if ours != bare]
    if wrong:
        print(f"MISMATCH against the bare reference: {', '.join(wrong)}", file=sys.stderr)
        return 1

    pairs: list[tuple[str, Callable[[], object], Callable[[], object], float]] = [
        ("compute_payment (guide 6.5.2.2)", payment, bare_payment, 5),
        ("tariff_amount with uplift", tariff, bare_tariff, 3),
        (
            "check_eligibility (eligible)",
            lambda: check_eligibility(facts),
            lambda: bare_eligible(bare_facts),
            8,
        ),
        (
            "ClaimFacts(...)",
            lambda: ClaimFacts(**FACTS_KWARGS),
            lambda: BareFacts(**FACTS_KWARGS),
            5,
        ),
        ("add_business_days", lambda: add_business_days(d, n), lambda: bare_add(d, n), 3),
    ]
    print(f"rtaprotocol {rtaprotocol.__version__}: scalar rules per call, one core ({where})")
    print(f"  {'call':34} {'ours µs':>9} {'bare µs':>9} {'ratio':>7}")
    rows = []
    failed = False
    for name, ours_fn, bare_fn, target in pairs:
        t_ours, t_bare = paired(ours_fn, bare_fn, loops, repeat)
        ratio = t_ours / t_bare
        ok = ratio <= target
        failed |= not ok
        print(f"  {name:34} {t_ours:9.2f} {t_bare:9.2f} {ratio:6.1f}x")
        rows.append((name, f"{ratio:.1f}x bare", f"<= {target}x", "ok" if ok else "MISSED"))
    replay_loops = max(loops // 20, 100)
    t_replay = per_call(lambda: Negotiation.replay(events), replay_loops, repeat) / len(events)
    ok = t_replay <= 50
    failed |= not ok
    print(f"  {'Negotiation.replay, per event':34} {t_replay:9.2f}")
    rows.append(
        (
            "Negotiation.replay (10 events)",
            f"{t_replay:.1f} µs/event",
            "<= 50 µs",
            "ok" if ok else "MISSED",
        )
    )
    print()
    show(rows)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
