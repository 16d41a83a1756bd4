"""MkDocs hook: draw the pictures of docs/views.md with rtaprotocol.plot before each build.

``mkdocs build`` (CI runs it, docs extra) calls :func:`on_pre_build`, which draws:

- docs/img/plot-timeline.png: a claim's timeline (events, deadlines, the overdue ones, the
  limitation deadline), from :func:`rtaprotocol.plot.claim_timeline`;
- docs/img/plot-payments.png: a synthetic portfolio's payments, from
  :func:`rtaprotocol.plot.payment_distribution`;
- docs/img/plot-whatif.png: the same portfolio valued by the law and by the what-if
  ``tariff_table="2025"`` (every claim by Table 2), from
  :func:`rtaprotocol.plot.whatif_difference`.

The pictures are committed too, so the page reads on GitHub; the build redraws them from
the library as it is, so a picture never outlives the code. The portfolio is seeded and
PNG metadata left out, so an unchanged library draws the same bytes. Also runnable on its
own: ``python docs/hooks/plots.py``.
"""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path
from typing import Any

IMAGES = Path(__file__).resolve().parent.parent / "img"
#: No timestamp or software version in the PNGs: the same pictures give the same bytes.
_METADATA: dict[str, Any] = {"Software": None}


def _portfolio(rows: int = 5_000, seed: int = 26) -> Any:
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(seed)
    first = np.datetime64("2024-06-01", "D").astype(np.int64)
    accident = (first + rng.integers(0, 365, rows)).astype("datetime64[D]")
    months = rng.choice(np.arange(1, 25), rows, p=(w := 1 / np.arange(1, 25)) / w.sum())
    return pd.DataFrame(
        {
            "accident_date": accident,
            "duration_months": months,
            "psychological": rng.random(rows) < 0.3,
            "injury_related_pence": rng.integers(0, 150_000, rows),
            "property_pence": rng.integers(0, 100_000, rows),
            "claimant_liability_percent": rng.choice([0, 0, 0, 25, 50], rows),
        }
    )


def draw(folder: Path = IMAGES) -> list[Path]:
    """Draw the three pictures into ``folder``; return the paths of those that changed."""
    import matplotlib as mpl

    mpl.use("Agg")
    import matplotlib.pyplot as plt

    import rtaprotocol as rta
    from rtaprotocol.batch import value_claims
    from rtaprotocol.plot import claim_timeline, payment_distribution, whatif_difference

    folder.mkdir(parents=True, exist_ok=True)
    claim = rta.Claim().submit(
        rta.ClaimFacts(
            accident_date=date(2023, 3, 1),
            entry_date=date(2023, 5, 2),
            injury=1500,
            other_protocol_damages=500,
        ),
        on=date(2023, 5, 2),
        whiplash=True,
    )
    claim = claim.act(
        "liability-response", on=date(2023, 5, 10), response="admit-fault-dispute-causation"
    )
    claim = claim.act("proceed-to-medical", on=date(2023, 5, 11))
    claim = claim.act("medical-report-received", on=date(2023, 5, 25), report="first")
    claim = claim.act("medical-report-shared", on=date(2023, 5, 26))
    claim = claim.act("offer-requested", on=date(2023, 6, 1))
    claim = claim.act("interim-payment-requested", on=date(2023, 6, 12), amount=100)
    claims = _portfolio()
    law = value_claims(claims)
    table2 = value_claims(claims, tariff_table="2025")
    pictures = {
        "plot-timeline.png": claim_timeline(claim, date(2023, 7, 4)),
        "plot-payments.png": payment_distribution(law),
        "plot-whatif.png": whatif_difference(law, table2),
    }
    written = []
    for name, axes in pictures.items():
        path = folder / name
        buffer = io.BytesIO()
        axes.figure.savefig(buffer, format="png", dpi=90, metadata=_METADATA)
        plt.close(axes.figure)
        # Written only when changed: `mkdocs serve` watches docs/ and would rebuild forever.
        if not path.exists() or path.read_bytes() != buffer.getvalue():
            path.write_bytes(buffer.getvalue())
            written.append(path)
    return written


def on_pre_build(config: Any) -> None:
    """Draw the pictures before MkDocs collects the docs' files."""
    draw()


if __name__ == "__main__":
    for path in draw():
        print(f"drew {path}")
