"""Replay stays linear (issue 24): per-event cost from 100 to 10,000 events, by mix.

A claims service stores each claim's events and restores it with ``Claim.replay`` (or a
snapshot). Long claims must cost no more per event than short ones, whatever they hold.
This script builds one claim of 100, 1,000 and 10,000 events for each of three mixes
(``_histories.py``: interim-heavy, offer-heavy, further-report-heavy), checks that each
replays to the claim built event by event, then times in the same process, the sizes
alternating round by round (best of the rounds):

- ``Claim.replay(dicts)`` per event; the ratio per-event cost at 10,000 : at 100 (target
  <= 1.3);
- ``claim.to_dict()`` and ``Claim.from_dict(data)`` per event, and their 10,000 : 100 ratio;
- the snapshot round trip ``Claim.from_snapshot(loads(dumps(c.snapshot())))`` against
  ``Claim.replay`` of the same events (every restored claim must equal the replayed one);
- ``claim.report(on)`` at each size.

No timed assertion anywhere else: this script prints, and exits non-zero when a result
disagrees or a ratio target is missed.

Run: ``.venv/bin/python benchmarks/bench_replay.py`` (``--rounds N``, ``--sizes 100,1000``)
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from _histories import MIXES
from _onecore import pin_one_core, show

from rtaprotocol.claim import Claim
from rtaprotocol.json import dumps, loads

TARGET = 1.3


def _per_event(fn: Callable[[], object], events: int, budget: int = 20_000) -> float:
    """Return the CPU time of one ``fn()`` per event, in µs, over about ``budget`` events.

    CPU time of this process (``time.process_time``), not wall time: on a shared machine a
    run of 10,000 events is long enough for other processes to take the core, which would
    count against the longest claims only and fake a superlinear cost.
    """
    reps = max(1, budget // events)
    start = time.process_time()
    for _ in range(reps):
        fn()
    return (time.process_time() - start) / reps / events * 1e6


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--sizes", default="100,1000,10000")
    args = parser.parse_args()
    sizes = [int(n) for n in args.sizes.split(",")]
    where = pin_one_core()
    snapshots = hasattr(Claim, "snapshot")
    stored: dict[tuple[str, int], list[dict[str, Any]]] = {}
    claims: dict[tuple[str, int], Claim] = {}
    for mix, build in MIXES.items():
        for n in sizes:
            events = loads(dumps(build(n)))
            claim = Claim.replay(events)
            by_one = Claim()
            for e in events:
                by_one = by_one.apply(e)
            if by_one != claim or len(claim.history) != n:
                print(f"MISMATCH: {mix} {n}: replay differs from apply", file=sys.stderr)
                return 1
            if snapshots:
                back = Claim.from_snapshot(loads(dumps(claim.snapshot())))
                if back != claim or back.to_dict() != claim.to_dict():
                    print(
                        f"MISMATCH: {mix} {n}: the snapshot restores another claim", file=sys.stderr
                    )
                    return 1
            stored[mix, n] = events
            claims[mix, n] = claim

    names = ["replay", "to_dict", "from_dict", "snapshot", "report"]
    best: dict[tuple[str, str, int], float] = {}
    for _ in range(args.rounds):
        for mix in MIXES:
            for n in sizes:
                events, claim = stored[mix, n], claims[mix, n]
                data = loads(dumps(claim.to_dict()))
                on = claim.history[-1].on + timedelta(days=1)
                runs: dict[str, Callable[[], object]] = {
                    "replay": lambda events=events: Claim.replay(events),
                    "to_dict": claim.to_dict,
                    "report": lambda claim=claim, on=on: claim.report(on),
                }
                if hasattr(Claim, "from_dict"):  # (absent before issue 24's branch)
                    runs["from_dict"] = lambda data=data: Claim.from_dict(data)
                if snapshots:
                    text = dumps(claim.snapshot())
                    runs["snapshot"] = lambda text=text: Claim.from_snapshot(loads(text))
                for name, fn in runs.items():
                    budget = 2_000 if name == "report" else 20_000
                    t = _per_event(fn, n, budget)
                    key = (name, mix, n)
                    best[key] = min(best.get(key, float("inf")), t)

    print(f"Per-event CPU time (µs), best of {args.rounds} rounds, one core ({where})")
    header = "  ".join(f"{n:>8,}" for n in sizes)
    print(f"{'measure':<10} {'mix':<8} {header}  {sizes[-1]:,}:{sizes[0]:,}")
    rows: list[tuple[str, str, str, str]] = []
    missed = False
    for name in names:
        for mix in MIXES:
            if (name, mix, sizes[0]) not in best:
                continue
            cells = [best[name, mix, n] for n in sizes]
            ratio = cells[-1] / cells[0]
            print(
                f"{name:<10} {mix:<8} " + "  ".join(f"{c:8.2f}" for c in cells) + f"  {ratio:.2f}"
            )
            if name in ("replay", "to_dict", "from_dict"):
                ok = ratio <= TARGET
                missed |= not ok
                rows.append(
                    (
                        f"{name} {mix}: per event, {sizes[-1]:,} : {sizes[0]:,}",
                        f"{ratio:.2f}",
                        f"<= {TARGET}",
                        "met" if ok else "MISSED",
                    )
                )
    if snapshots:
        print()
        print("Snapshot round trip against replay of the same events (per event, µs)")
        for mix in MIXES:
            for n in sizes:
                s, r = best["snapshot", mix, n], best["replay", mix, n]
                print(f"  {mix:<8} {n:>7,}: snapshot {s:7.2f}  replay {r:7.2f}  ratio {s / r:.2f}")
    print()
    show(rows)
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
