"""Batch benchmarks (issue 7): a million rows, on one core, ratios measured in this run.

- ``add_business_days_many`` over 1,000,000 dates vs ``numpy.busday_offset`` with the same
  holidays over the same array (target: >= 7x faster);
- ``tariff_amounts`` over 1,000,000 rows vs the scalar ``tariff_amount`` in a loop, timed
  on 20,000 rows and scaled (target: >= 50x faster);
- ``value_claims`` over 1,000,000 rows (target: under 2 s);
- the Dask recipe (``map_partitions(value_claims)``) over 10,000,000 claims on a
  ``dask.distributed`` LocalCluster of two worker processes (one thread each) against
  ``value_claims`` over the same claims in one process on one core (the ratio is shown,
  not held to a target: it is bounded by the cores the machine has free).

Each result is first checked against the reference (numpy's answer, the scalar rule on
the sample rows) so a fast wrong answer cannot pass.

Run: ``.venv/bin/python benchmarks/bench_batch.py`` (``--rows N`` for a smaller run,
``--cluster-rows N`` for the distributed one, ``--cluster-rows 0`` to skip it).
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import time
from datetime import date
from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd
from _onecore import best_of, pin_one_core, show

from rtaprotocol import batch
from rtaprotocol.deadlines import bank_holiday_ordinals
from rtaprotocol.deductions import Head, compute_payment
from rtaprotocol.money import to_pence
from rtaprotocol.tariff import tariff_amount

SAMPLE = 20_000  # rows for the scalar loop, scaled up to the full count
CHECKED = 2_000  # value_claims rows checked against the scalar rules before timing


def portfolio(rows: int, seed: int = 2025) -> pd.DataFrame:
    """A synthetic portfolio following batch.value_claims' column contract."""
    rng = np.random.default_rng(seed)
    first = np.datetime64("2021-05-31", "D").astype(np.int64)
    accident = (first + rng.integers(0, 8 * 365, rows)).astype("datetime64[D]")
    pick = rng.random(rows)
    return pd.DataFrame(
        {
            "accident_date": accident,
            "duration_months": rng.integers(1, 25, rows),
            "psychological": pick < 0.3,
            "uplift_percent": np.where(pick > 0.95, rng.integers(0, 2001, rows) / 100, 0.0),
            "non_tariff_pence": np.where(pick < 0.2, rng.integers(0, 300_000, rows), 0),
            "injury_related_pence": rng.integers(0, 400_000, rows),
            "property_pence": rng.integers(0, 300_000, rows),
            "claimant_liability_percent": np.where(
                pick < 0.25, rng.integers(0, 10001, rows) / 100, 0.0
            ),
            "seatbelt_percent": np.where(pick > 0.9, rng.choice([15.0, 25.0], rows), 0.0),
            "cru_injury_related_pence": np.where(pick < 0.1, rng.integers(0, 50_000, rows), 0),
            "interim_property_pence": np.where(pick > 0.8, rng.integers(0, 30_000, rows), 0),
        }
    )


def bench_business_days(rows: int) -> tuple[str, str, str, str]:
    rng = np.random.default_rng(1)
    first = np.datetime64("2002-01-01", "D").astype(np.int64)
    dates = (first + rng.integers(0, 35_000, rows)).astype("datetime64[D]")
    holidays = np.array(
        [date.fromordinal(o) for o in sorted(bank_holiday_ordinals())], dtype="datetime64[D]"
    )
    cal = np.busdaycalendar(holidays=holidays)
    ours = batch.add_business_days_many(dates, 30)
    theirs = np.busday_offset(dates, 30, roll="backward", busdaycal=cal)
    if not np.array_equal(ours, theirs):
        sys.exit("add_business_days_many disagrees with numpy.busday_offset")
    t_ours = best_of(lambda: batch.add_business_days_many(dates, 30))
    t_numpy = best_of(lambda: np.busday_offset(dates, 30, roll="backward", busdaycal=cal))
    ratio = t_numpy / t_ours
    print(
        f"add_business_days_many, {rows:,} dates, n=30: {t_ours * 1e3:.1f} ms; "
        f"numpy.busday_offset: {t_numpy * 1e3:.1f} ms"
    )
    verdict = "ok" if ratio >= 7 else "MISSED"
    return ("add_business_days_many vs busday_offset", f"{ratio:.1f}x", ">= 7x", verdict)


def bench_tariff(frame: pd.DataFrame) -> tuple[str, str, str, str]:
    rows = len(frame)
    months = frame["duration_months"].to_numpy()
    accident = frame["accident_date"].to_numpy()
    psych = frame["psychological"].to_numpy()
    uplift = frame["uplift_percent"].to_numpy()
    ours = batch.tariff_amounts(months, accident, psych, uplift)
    sample = [
        (int(m), d, bool(p), Decimal(str(u)))
        for m, d, p, u in zip(
            months[:SAMPLE].tolist(),
            accident[:SAMPLE].astype("datetime64[D]").tolist(),
            psych[:SAMPLE].tolist(),
            uplift[:SAMPLE].tolist(),
            strict=True,
        )
    ]

    def scalar_loop() -> list[Decimal]:
        return [
            tariff_amount(m, accident_date=d, psychological=p, uplift_percent=u)
            for m, d, p, u in sample
        ]

    if [to_pence(a) for a in scalar_loop()] != ours[:SAMPLE].tolist():
        sys.exit("tariff_amounts disagrees with the scalar tariff_amount")
    t_ours = best_of(lambda: batch.tariff_amounts(months, accident, psych, uplift))
    t_loop = best_of(scalar_loop, repeat=3) * rows / len(sample)
    ratio = t_loop / t_ours
    print(
        f"tariff_amounts, {rows:,} rows: {t_ours * 1e3:.1f} ms; scalar loop "
        f"(timed on {len(sample):,} rows, scaled): {t_loop:.1f} s"
    )
    verdict = "ok" if ratio >= 50 else "MISSED"
    return ("tariff_amounts vs scalar loop", f"{ratio:.0f}x", ">= 50x", verdict)


def scalar_claim(row: dict[str, Any]) -> list[int]:
    """The scalar rules on one row: tariff, injury head and total, in pence."""
    tariff = tariff_amount(
        int(row["duration_months"]),
        accident_date=row["accident_date"].date(),
        psychological=bool(row["psychological"]),
        uplift_percent=Decimal(str(row["uplift_percent"])),
    )
    pay = compute_payment(
        {
            Head.INJURY: tariff + Decimal(int(row["non_tariff_pence"])) / 100,
            Head.INJURY_RELATED: Decimal(int(row["injury_related_pence"])) / 100,
            Head.PROPERTY: Decimal(int(row["property_pence"])) / 100,
        },
        claimant_liability_percent=Decimal(str(row["claimant_liability_percent"])),
        seatbelt_percent=Decimal(str(row["seatbelt_percent"])),
        cru={Head.INJURY_RELATED: Decimal(int(row["cru_injury_related_pence"])) / 100},
        interim={Head.PROPERTY: Decimal(int(row["interim_property_pence"])) / 100},
    )
    return [to_pence(tariff), to_pence(pay.total)]


def bench_value_claims(frame: pd.DataFrame) -> tuple[str, str, str, str]:
    out = batch.value_claims(frame)
    sample = frame.iloc[:CHECKED]
    expected = [scalar_claim(row) for row in sample.to_dict("records")]
    if out[["tariff_pence", "total_pence"]].iloc[:CHECKED].to_numpy().tolist() != expected:
        sys.exit("value_claims disagrees with the scalar rules")
    t = best_of(lambda: batch.value_claims(frame), repeat=3)
    print(f"value_claims, {len(frame):,} rows: {t * 1e3:.0f} ms")
    verdict = "ok" if t < 2 else "MISSED"
    return (
        "value_claims, 1,000,000 rows"
        if len(frame) == 1_000_000
        else f"value_claims, {len(frame):,} rows",
        f"{t:.2f} s",
        "< 2 s",
        verdict,
    )


PARTITION = 500_000  # claims per Dask partition in the distributed benchmark


def _partition(bounds: tuple[int, int]) -> pd.DataFrame:
    """One partition of the distributed portfolio, the same wherever it is built."""
    start, stop = bounds
    frame = portfolio(stop - start, seed=start)
    frame.index = pd.RangeIndex(start, stop)
    return frame


def bench_cluster(rows: int, cpus: set[int]) -> tuple[str, str, str, str]:
    """value_claims over ``rows`` claims: two worker processes against one process."""
    import dask.dataframe as dd
    from dask.distributed import Client, LocalCluster, wait

    bounds = [(i, min(i + PARTITION, rows)) for i in range(0, rows, PARTITION)]
    held = [pd.concat([_partition(b) for b in bounds])]
    expected: tuple[int, int] = (0, 0)

    def one_process() -> None:
        nonlocal expected
        valued = batch.value_claims(held[0])
        expected = int(valued["total_pence"].sum()), int((~valued["within_limits"]).sum())

    t_one = best_of(one_process, repeat=2)
    held.clear()
    print(f"value_claims, {rows:,} claims, one process on one core: {t_one:.2f} s")
    here = os.sched_getaffinity(0) if hasattr(os, "sched_getaffinity") else None
    if here is not None:
        os.sched_setaffinity(0, cpus)  # the workers inherit it: give them every core
    with (
        LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            silence_logs=logging.ERROR,
        ) as cluster,
        Client(cluster) as client,
    ):
        if here is not None:
            os.sched_setaffinity(0, here)  # the client only waits
        claims = dd.from_map(_partition, bounds, meta=portfolio(0).iloc[:0])
        claims = client.persist(claims)  # built on the workers, as if read from storage
        wait(claims)
        runs = iter(range(1_000))

        def on_cluster() -> tuple[int, int]:
            # A new token each run: the cluster must not reuse a result still in memory.
            valued = claims.map_partitions(
                batch.value_claims, meta=batch.value_claims_meta(), token=f"run-{next(runs)}"
            )
            total, over = client.compute(
                [valued["total_pence"].sum(), (~valued["within_limits"]).sum()], sync=True
            )
            return int(total), int(over)

        if on_cluster() != expected:
            sys.exit("the Dask recipe on the cluster disagrees with value_claims in one process")
        t_cluster = best_of(on_cluster, repeat=2)
    ratio = t_one / t_cluster
    print(
        f"dask.distributed, 2 worker processes x 1 thread, {len(bounds)} partitions: "
        f"{t_cluster:.2f} s, {ratio:.2f}x one process"
    )
    return (f"{rows:,} claims: 2-worker cluster vs one process", f"{ratio:.2f}x", "shown", "ok")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--cluster-rows", type=int, default=10_000_000)
    args = parser.parse_args()
    rows = args.rows
    cpus = os.sched_getaffinity(0) if hasattr(os, "sched_getaffinity") else set()
    where = pin_one_core()
    print(f"rtaprotocol.batch, {rows:,} rows, one core ({where})")
    frame = portfolio(rows)
    results = [bench_business_days(rows), bench_tariff(frame), bench_value_claims(frame)]
    del frame
    if args.cluster_rows:
        started = time.perf_counter()
        results.append(bench_cluster(args.cluster_rows, cpus))
        print(f"(the distributed benchmark took {time.perf_counter() - started:.0f} s in all)")
    show(results)
    return 0 if all(r[3] == "ok" for r in results) else 1


if __name__ == "__main__":
    raise SystemExit(main())
