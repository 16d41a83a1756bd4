"""Draw docs/img/batch-summary.png: a portfolio summarised by tariff band, law and what-if.

Run from the repository root, with matplotlib installed (it is not a dependency of
rtaprotocol, not even of its extras; the docs page's examples do not need it):

    .venv/bin/pip install matplotlib
    .venv/bin/python docs/plots/batch_summary.py

The portfolio is synthetic (seeded, so the picture is reproducible): 200,000 claims with
accidents from 31 May 2021 to the end of 2026, valued by the law (each table by accident
date) and by the what-if scenario tariff_table="2025" (every claim by Table 2).
"""

from __future__ import annotations

from pathlib import Path

import matplotlib as mpl

mpl.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from rtaprotocol.batch import summarise, value_claims

OUT = Path(__file__).resolve().parent.parent / "img" / "batch-summary.png"
ROWS = 200_000


def portfolio(rows: int, seed: int = 14) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    first = np.datetime64("2021-05-31", "D").astype(np.int64)
    last = np.datetime64("2026-12-31", "D").astype(np.int64)
    accident = (first + rng.integers(0, last - first + 1, rows)).astype("datetime64[D]")
    mixed = rng.random(rows) < 0.15
    return pd.DataFrame(
        {
            "accident_date": accident,
            "duration_months": rng.choice(np.arange(1, 25), rows, p=_weights()),
            "psychological": rng.random(rows) < 0.3,
            "non_tariff_pence": np.where(mixed, rng.integers(50_000, 500_000, rows), 0),
            "injury_related_pence": rng.integers(0, 300_000, rows),
            "property_pence": rng.integers(0, 200_000, rows),
        }
    )


def _weights() -> np.ndarray:
    """Shorter injuries are commoner: weight month m by 1/m."""
    w = 1 / np.arange(1, 25)
    return w / w.sum()


def main() -> None:
    claims = portfolio(ROWS)
    law = summarise(value_claims(claims), by=["tariff_band"])
    what_if = summarise(value_claims(claims, tariff_table="2025"), by=["tariff_band"])
    bands = law.index.to_numpy()
    x = np.arange(len(bands))
    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 4), constrained_layout=True)
    width = 0.4
    for offset, summary, label in (
        (-width / 2, law, "the law (table by accident date)"),
        (width / 2, what_if, 'what-if: tariff_table="2025"'),
    ):
        left.bar(x + offset, summary["tariff_pence"] / 100 / 1e6, width, label=label)
        right.bar(x + offset, summary["share_over_limits"] * 100, width, label=label)
    labels = [f"\u2264{b}" for b in bands]
    left.set(
        xticks=x,
        xticklabels=labels,
        xlabel="tariff band (months, not more than)",
        ylabel="tariff paid, £ million",
        title=f"Tariff by band, {ROWS:,} claims",
    )
    right.set(
        xticks=x,
        xticklabels=labels,
        xlabel="tariff band (months, not more than)",
        ylabel="claims over the value limits, %",
        title="Share over £5,000 / £10,000",
    )
    left.legend(fontsize="small")
    fig.suptitle("rtaprotocol.batch.summarise: a synthetic portfolio (a scenario is not the law)")
    OUT.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(OUT, dpi=110)
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
