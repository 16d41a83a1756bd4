"""The bare numpy version of value_claims' rules: the reference the batch path is held to.

The same arithmetic as ``rtaprotocol.batch.value_claims`` (tariff by accident date and
band, uplift, mixed injury head, the four ordered deductions of guide 6.5.2, the general
interim, the value limits), written as plainly as an analyst would write it in numpy,
with **no validation at all**: it trusts every input (whole months 1 to 24, percentages
with at most two places, non-negative pence) and returns plain numpy arrays, no frame,
no categoricals, no error naming. A column the frame does not have counts as 0.

``bench_batch.py`` checks it against ``value_claims`` before timing either.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd

from rtaprotocol.tariff import MAX_TARIFF_MONTHS, TARIFF_TABLES

_DAY0 = np.datetime64("1970-01-01", "D")


def tables() -> dict[str, Any]:
    """The tariff tables as arrays, built once, outside any timing."""
    amounts = np.zeros((len(TARIFF_TABLES), 2, MAX_TARIFF_MONTHS + 1), dtype=np.int64)
    tops = np.zeros((len(TARIFF_TABLES), MAX_TARIFF_MONTHS + 1), dtype=np.int64)
    for t, table in enumerate(TARIFF_TABLES):
        for months in range(1, MAX_TARIFF_MONTHS + 1):
            band = table.band_for_months(Decimal(months))
            tops[t, months] = band.not_more_than_months
            for psych in (False, True):
                amounts[t, int(psych), months] = int(band.amount(psychological=psych) * 100)
    starts = np.array(
        [np.datetime64(t.applies_from, "D").astype(np.int64) for t in TARIFF_TABLES[1:]]
    )
    return {"amounts": amounts, "tops": tops, "starts": starts}


def _col(frame: pd.DataFrame, name: str) -> Any:
    return frame[name].to_numpy() if name in frame.columns else 0


def _bp(frame: pd.DataFrame, name: str) -> Any:
    if name not in frame.columns:
        return 0
    return np.rint(frame[name].to_numpy() * 100).astype(np.int64)


def _off(p: Any, bp: Any) -> Any:
    return (p * (10000 - bp) + 5000) // 10000


def value(frame: pd.DataFrame, t: dict[str, Any]) -> dict[str, np.ndarray]:
    """value_claims' figures for every row, as a dict of numpy arrays."""
    days = frame["accident_date"].to_numpy().astype("datetime64[D]").astype(np.int64)
    table = np.searchsorted(t["starts"], days, side="right")
    months = frame["duration_months"].to_numpy()
    psych = _col(frame, "psychological")
    width = MAX_TARIFF_MONTHS + 1
    cell = table * (2 * width) + np.asarray(psych, dtype=np.int64) * width + months
    base = t["amounts"].reshape(-1).take(cell)
    tariff = (base * (10000 + _bp(frame, "uplift_percent")) + 5000) // 10000
    injury = tariff + _col(frame, "non_tariff_pence") - _col(frame, "overlap_pence")
    liability = _bp(frame, "claimant_liability_percent")
    seatbelt = _bp(frame, "seatbelt_percent")
    injury_related = _col(frame, "injury_related_pence")
    prop = _col(frame, "property_pence")
    net_injury = _off(_off(injury, liability), seatbelt)
    ir = _off(_off(injury_related, liability), seatbelt)
    pr = _off(prop, liability)
    cru_ir, cru_p = _col(frame, "cru_injury_related_pence"), _col(frame, "cru_property_pence")
    int_ir = _col(frame, "interim_injury_related_pence")
    int_p = _col(frame, "interim_property_pence")
    set_ir, set_p = np.minimum(cru_ir, ir), np.minimum(cru_p, pr)
    ir, pr = ir - set_ir, pr - set_p
    cru_left = (cru_ir - set_ir) + (cru_p - set_p)
    iset_ir, iset_p = np.minimum(int_ir, ir), np.minimum(int_p, pr)
    ir, pr = ir - iset_ir, pr - iset_p
    interim_left = (int_ir - iset_ir) + (int_p - iset_p)
    subtotal = net_injury + ir + pr
    general = _col(frame, "general_interim_pence")
    general_set = np.minimum(general, subtotal)
    reasons = (injury > 500_000).astype(np.int64) + 2 * (
        injury + injury_related + prop > 1_000_000
    ).astype(np.int64)
    return {
        "tariff_pence": tariff,
        "injury_pence": injury,
        "net_injury_pence": net_injury,
        "net_injury_related_pence": ir,
        "net_property_pence": pr,
        "total_pence": subtotal - general_set,
        "cru_not_set_off_pence": cru_left,
        "interim_not_set_off_pence": interim_left,
        "general_interim_not_set_off_pence": general - general_set,
        "tariff_table": table,
        "tariff_band": t["tops"].reshape(-1).take(table * width + months),
        "tariff_column": np.asarray(psych, dtype=np.int64),
        "within_limits": reasons == 0,
        "limits_reason": reasons,
    }
