"""What-if: a portfolio valued under two tariff tables side by side (rtaprotocol.batch)."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any, Final

import attrs
import numpy as np
import pandas as pd

from rtaprotocol._decimal import exact
from rtaprotocol._render import html_table, html_text, html_verdict, text_table
from rtaprotocol.batch.arrow import _as_pandas
from rtaprotocol.batch.frame import value_claims
from rtaprotocol.batch.summary import SUMMARY_TOTALS
from rtaprotocol.tariff import (
    TARIFF_SCENARIOS,
    TARIFF_TABLES,
    TariffTable,
    _choose_table,
)

COMPARE_REFERENCE: Final = (
    "a portfolio valued under two tariff tables side by side: a what-if comparison, not the "
    "law for any accident date unless a table is None (Whiplash Injury Regulations 2021 "
    "reg 2; rtaprotocol tariff tables)"
)


def _table_label(choice: str | TariffTable | None) -> str:
    """Say which table a ``tariff_table=`` choice is, with the what-if mark where due."""
    scenario, what_if = _choose_table(choice)
    if what_if is not None:
        return what_if.what_if_note
    if scenario is None:
        return "the law: each claim's table by its accident date"
    name = TARIFF_TABLES[TARIFF_SCENARIOS.index(scenario)].name
    return f"{name}, what-if scenario tariff_table={scenario!r}; not the law for every date"


@attrs.frozen(eq=False)
class TableComparison:
    """A portfolio valued under two tariff tables, row by row, with the difference.

    Built by :func:`compare_tables`. ``rows`` is a pandas DataFrame on the portfolio's
    index: for each of :data:`SUMMARY_TOTALS` (``tariff_pence``, ``injury_pence``,
    ``total_pence``) its ``base_...``, ``alternative_...`` and ``difference_...``
    (alternative less base) in ``int64`` pence. ``totals`` maps each of those columns to
    its sum in pence; ``base`` and ``alternative`` say which table each is, with the
    what-if mark (the table's name and what it was derived from) for a what-if table.
    """

    base: str
    alternative: str
    rows: Any
    totals: Mapping[str, int]

    @property
    def what_if(self) -> bool:
        """True unless both sides are the law (always true: a comparison is a what-if)."""
        return True

    def to_frame(self) -> Any:
        """Return the per-row frame (``rows``)."""
        return self.rows

    def _lines(self) -> list[list[Any]]:
        return [
            [
                name.removesuffix("_pence"),
                *(
                    Decimal(self.totals[f"{side}_{name}"]).scaleb(-2)
                    for side in ("base", "alternative", "difference")
                ),
            ]
            for name in SUMMARY_TOTALS
        ]

    def _title(self) -> str:
        return f"What-if comparison of {len(self.rows)} claims under two tariff tables"

    @exact
    def __str__(self) -> str:
        table = text_table(
            ("total", "base", "alternative", "difference"),
            self._lines(),
            title=self._title(),
        )
        return f"{table}\nbase: {self.base}\nalternative: {self.alternative}"

    @exact
    def _repr_html_(self) -> str:
        """Render the totals and both tables' what-if marks."""
        return (
            html_verdict(self._title(), "info")
            + html_table(
                ("total", "base", "alternative", "difference"),
                self._lines(),
            )
            + f"<p>base: {html_text(self.base)}<br>"
            + f"alternative: {html_text(self.alternative)}</p>"
        )

    def to_dict(self) -> dict[str, Any]:
        """Return JSON-ready totals (pence as ints, pounds as exact strings) and both marks."""
        return {
            "what_if": True,
            "base": self.base,
            "alternative": self.alternative,
            "claims": len(self.rows),
            "totals_pence": dict(self.totals),
            "totals_pounds": {
                k.removesuffix("_pence") + "_pounds": str(Decimal(v).scaleb(-2))
                for k, v in self.totals.items()
            },
            "reference": COMPARE_REFERENCE,
        }


@exact
def compare_tables(
    claims: Any,
    base: str | TariffTable | None,
    alternative: str | TariffTable | None,
    **options: Any,
) -> TableComparison:
    """Value a portfolio under two tariff tables side by side: per-row and total difference.

    ``base`` and ``alternative`` are each a ``tariff_table=`` of :func:`value_claims`:
    ``None`` (the law: each claim's table by its accident date), ``"2021"`` or
    ``"2025"``, or a :class:`~rtaprotocol.tariff.TariffTable` (a what-if one is checked
    by :func:`~rtaprotocol.tariff.check_tariff_table`). ``options`` go to
    :func:`value_claims` (``columns``, ``passthrough``, ``extra``, ``seatbelt_heads``).
    The result's ``rows`` give, per claim, each of :data:`SUMMARY_TOTALS` under both
    tables and the difference (alternative less base); ``totals`` their sums, so the
    total difference is always the sum of the per-row differences. Every view names
    both tables, a what-if table with its name and what it was derived from.

    >>> import pandas as pd
    >>> from rtaprotocol.tariff import TARIFF_TABLES, uplifted_tariff_table
    >>> claims = pd.DataFrame({
    ...     "accident_date": pd.to_datetime(["2024-06-03", "2025-06-03"]),
    ...     "duration_months": [3, 24],
    ...     "claimant_liability_percent": [0, 50],
    ... })
    >>> plus = uplifted_tariff_table(TARIFF_TABLES[1], 10)
    >>> result = compare_tables(claims, None, plus)
    >>> result.rows[["base_total_pence", "alternative_total_pence", "difference_total_pence"]]
       base_total_pence  alternative_total_pence  difference_total_pence
    0             24000                    30250                    6250
    1            241500                   265650                   24150
    >>> result.totals["difference_total_pence"]
    30400
    >>> print(result.alternative)  # doctest: +ELLIPSIS
    what-if table 'Table 2 +10%', derived from Table 2 (accidents on or after 2025-05-31), ...
    """
    frame, _kind = _as_pandas(claims, "claims")
    base_label, alternative_label = _table_label(base), _table_label(alternative)
    one = value_claims(frame, tariff_table=base, **options)
    two = value_claims(frame, tariff_table=alternative, **options)
    data: dict[str, Any] = {}
    for name in SUMMARY_TOTALS:
        first = one[name].to_numpy(dtype=np.int64)
        second = two[name].to_numpy(dtype=np.int64)
        data[f"base_{name}"] = first
        data[f"alternative_{name}"] = second
        data[f"difference_{name}"] = second - first
    data["base_table"] = one["tariff_table"].array
    data["alternative_table"] = two["tariff_table"].array
    rows = pd.DataFrame(data, index=frame.index)
    totals = {
        column: int(rows[column].sum()) for column in rows.columns if column.endswith("_pence")
    }
    return TableComparison(
        base=base_label,
        alternative=alternative_label,
        rows=rows,
        totals=totals,
    )
