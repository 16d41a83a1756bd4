"""Foundation benchmark: scalar ``rtaprotocol.add_business_days`` per call.

Compares, on one core, over the same 20,000 random (date, 30 business days) calls:

- ``rtaprotocol.add_business_days(d, 30)``;
- ``numpy.busday_offset(d, 30, roll="backward", busdaycal=cal)`` on one ``date`` per call
  with a prebuilt ``numpy.busdaycalendar`` holding the same holidays (target: ours >= 5x
  faster);
- a day-by-day loop over a prebuilt ``holidays`` object (target: ours >= 25x faster).

All three must agree on every date before anything is timed.

Run: ``.venv/bin/python benchmarks/bench_deadlines.py``
"""

from __future__ import annotations

import random
import sys
from collections.abc import Container
from datetime import date, timedelta

import numpy as np
from _onecore import best_of, pin_one_core, show

import rtaprotocol
from rtaprotocol.deadlines import bank_holiday_ordinals

N_CALLS = 20_000
N = 30  # the insurer's liability response period (guide 6.3.1)


def loop_add(d: date, n: int, hols: Container[date]) -> date:
    """The naive way: step a day at a time, skipping weekends and holidays."""
    step = timedelta(days=1)
    while n:
        d += step
        if d.weekday() < 5 and d not in hols:
            n -= 1
    return d


def main() -> int:
    where = pin_one_core()
    import holidays

    rng = random.Random(7)
    start = date(2002, 1, 1).toordinal()
    dates = [date.fromordinal(start + rng.randrange(35_000)) for _ in range(N_CALLS)]
    hols_obj = holidays.country_holidays("GB", subdiv="ENG", years=range(2000, 2101))
    holiday_days = np.array(
        [date.fromordinal(o) for o in sorted(bank_holiday_ordinals())], dtype="datetime64[D]"
    )
    cal = np.busdaycalendar(holidays=holiday_days)
    add = rtaprotocol.add_business_days
    offset = np.busday_offset

    ours = [add(d, N) for d in dates]  # also builds the calendar once, outside the timing
    theirs = [offset(d, N, roll="backward", busdaycal=cal).item() for d in dates]
    naive = [loop_add(d, N, hols_obj) for d in dates]
    if ours != theirs or ours != naive:
        print("MISMATCH between the three methods", file=sys.stderr)
        return 1

    t_ours = best_of(lambda: [add(d, N) for d in dates])
    t_numpy = best_of(lambda: [offset(d, N, roll="backward", busdaycal=cal) for d in dates])
    t_loop = best_of(lambda: [loop_add(d, N, hols_obj) for d in dates], repeat=3)

    per = 1e9 / N_CALLS
    print(f"scalar add_business_days, {N_CALLS:,} calls of n={N}, one core ({where})")
    print(f"  rtaprotocol.add_business_days       {t_ours * per:9.0f} ns/call")
    print(f"  numpy.busday_offset (one date)      {t_numpy * per:9.0f} ns/call")
    print(f"  day-by-day loop over holidays       {t_loop * per:9.0f} ns/call")
    r_numpy, r_loop = t_numpy / t_ours, t_loop / t_ours
    show(
        [
            (
                "vs numpy.busday_offset",
                f"{r_numpy:.1f}x",
                ">= 5x",
                "ok" if r_numpy >= 5 else "MISSED",
            ),
            (
                "vs holidays day loop",
                f"{r_loop:.1f}x",
                ">= 25x",
                "ok" if r_loop >= 25 else "MISSED",
            ),
        ]
    )
    return 0 if r_numpy >= 5 and r_loop >= 25 else 1


if __name__ == "__main__":
    raise SystemExit(main())
