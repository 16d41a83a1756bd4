"""Pictures where a reader would rather look than read (the ``plot`` extra: matplotlib).

- :func:`claim_timeline`: a claim's story on one line: its events, its open deadlines
  (overdue ones marked), the limitation deadline and the day it is looked at;
- :func:`payment_distribution`: how a valued portfolio's payments spread;
- :func:`whatif_difference`: what a what-if valuation changes, claim by claim, against a
  base valuation of the same portfolio (two frames of :func:`rtaprotocol.batch.value_claims`
  output, or of ``compare_tables``).

Each function draws on a matplotlib ``Axes`` (a new figure unless ``ax=`` is given) and
returns it, so a notebook shows it and a script can save it. Nothing here decides a
figure: the pictures show what the rules functions computed (the claim's deadlines,
``value_claims``' pence columns), with the rule behind each in the title or legend.
matplotlib is imported on first use; without it each function says which extra to
install. docs/views.md shows each picture, drawn by the docs build.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Final

from rtaprotocol._checks import check_date
from rtaprotocol._render import uk_date
from rtaprotocol.errors import ErrorCode, RulesError, RulesTypeError
from rtaprotocol.money import format_money

if TYPE_CHECKING:
    from rtaprotocol.claim import Claim

__all__ = ["claim_timeline", "payment_distribution", "whatif_difference"]

PLOT_REFERENCE: Final = (
    "the plots read value_claims' pence columns (rtaprotocol batch columns) and a "
    "claim's next steps (guide 6)"
)
#: Colours that read on a light and a dark figure alike; overdue is also a cross marker,
#: never colour alone.
_EVENT: Final = "#1f77b4"
_OPEN: Final = "#9a6700"
_OVERDUE: Final = "#c62828"
_LIMIT: Final = "#6a3d9a"
_EXPIRED: Final = "#7f7f7f"
#: A limitation deadline further than this past the other dates is drawn at the right
#: edge, its date written out, so the events are not squeezed into a corner.
_FAR: Final = timedelta(days=180)


def _pyplot() -> Any:
    try:
        import matplotlib.pyplot as plt
    except ImportError as exc:
        raise ModuleNotFoundError(
            "rtaprotocol.plot needs matplotlib: install the plot extra, "
            "pip install 'rtaprotocol[plot]'",
            name="matplotlib",
        ) from exc
    return plt


def _dates() -> Any:
    _pyplot()  # the plot extra's message, where matplotlib is missing
    import matplotlib.dates

    return matplotlib.dates


def _axes(ax: Any, size: tuple[float, float]) -> Any:
    if ax is not None:
        return ax
    _, new = _pyplot().subplots(figsize=size, layout="constrained")
    return new


def claim_timeline(claim: Claim, on: date, *, ax: Any = None) -> Any:
    """Draw ``claim``'s timeline as it stands on ``on``; return the matplotlib Axes.

    One row per item, in date order, each labelled with its date: the events of the
    history (guide 6: submission, responses, reports, offers) as dots; each open
    deadline (:meth:`Claim.next_steps`) as a bar from the day it started to the day it
    is due, a cross at the end where it is overdue on ``on``; the limitation deadline
    (Limitation Act 1980 s.11, guide 5.4). A dashed line marks ``on``. An item due far
    beyond the rest (the limitation deadline, years away) is drawn at the right edge
    with an arrow, its date in its label, so the near items are not squeezed together.

    >>> from rtaprotocol import Claim, ClaimFacts
    >>> claim = Claim().submit(
    ...     ClaimFacts(accident_date=date(2023, 3, 1), entry_date=date(2023, 5, 2)),
    ...     on=date(2023, 5, 2), whiplash=True)
    >>> ax = claim_timeline(claim, date(2023, 6, 16))
    >>> ax.get_title()
    'Claim on Fri 16 Jun 2023 (investigation): 1 overdue'
    >>> [t.get_text() for t in ax.get_yticklabels()][:2]
    ['Tue 2 May 2023  submitted', 'Thu 15 Jun 2023  compensator: liability response (overdue)']
    >>> claim_timeline(claim, "2023-06-16")
    Traceback (most recent call last):
    ...
    rtaprotocol.errors.RulesTypeError: on: expected a datetime.date, not str: got '2023-06-16' [...]
    """
    on = check_date(on, field="on", reference="guide 6 (a claim's timeline is read on a day)")
    steps = claim.next_steps(on)
    # (date, label, colour, marker, start of the bar or None)
    items: list[tuple[date, str, str, str, date | None]] = [
        (e.on, e.kind.value, _EVENT, "o", None) for e in claim.history
    ]
    for d in steps.deadlines:
        status = d.status(on)  # "running", "overdue", or "expired" (a period that ran out)
        late = status == "overdue"
        label = f"{d.party.value}: {d.name}" + ("" if status == "running" else f" ({status})")
        colour = _OVERDUE if late else _EXPIRED if status == "expired" else _OPEN
        items.append((d.due, label, colour, "X" if late else "s", d.started_on))
    limitation = claim.limitation_deadline
    if limitation is not None and not any(d.due == limitation for d in steps.deadlines):
        items.append((limitation, "limitation deadline", _LIMIT, "D", None))
    items.sort(key=lambda item: item[0])
    near = [d for d, *_ in items if d - on <= _FAR] + [on]
    left, right = min(near) - timedelta(days=3), max(near) + timedelta(days=10)
    axes = _axes(ax, (10, 1.4 + 0.32 * max(len(items), 1)))
    labels = []
    for row, (day, label, colour, marker, start) in enumerate(items):
        shown = min(day, right)
        if start is not None:
            axes.plot([max(start, left), shown], [row, row], color=colour, linewidth=3, alpha=0.5)
        axes.plot([shown], [row], ">" if day > right else marker, color=colour, markersize=8)
        labels.append(f"{uk_date(day)}  {label}")
    axes.axvline(on, color="grey", linestyle="--", linewidth=1)
    axes.set_yticks(range(len(items)), labels, fontsize=8)
    axes.set_ylim(len(items) - 0.5, -0.5)
    axes.set_xlim(left, right)
    axes.xaxis.set_major_formatter(_dates().DateFormatter("%d %b %Y"))
    # Not autofmt_xdate: it calls subplots_adjust, which a constrained layout refuses
    # (a warning from matplotlib 3.8); rotate the date labels directly instead.
    for label in axes.get_xticklabels():
        label.set_rotation(30)
        label.set_horizontalalignment("right")
    axes.set_title(f"Claim on {uk_date(on)} ({steps.step.value}): {len(steps.overdue)} overdue")
    _pyplot().setp(axes.spines.values(), visible=False)
    axes.grid(axis="x", alpha=0.3)
    return axes


def _pence_column(frame: Any, column: str, name: str) -> Any:
    columns = getattr(frame, "columns", None)
    if columns is None:
        raise RulesTypeError(
            f"expected value_claims' output (a pandas DataFrame), got {type(frame).__name__}",
            value=type(frame).__name__,
            reference=PLOT_REFERENCE,
            field=name,
        )
    if column not in columns:
        raise RulesError(
            f"no column {column!r} to plot; value_claims' pence columns are "
            "tariff_pence, injury_pence, ..., total_pence",
            value=column,
            reference=PLOT_REFERENCE,
            field=name,
            code=ErrorCode.VALUE_INVALID,
        )
    return frame[column]


def payment_distribution(
    valued: Any, column: str = "total_pence", *, bins: int = 30, ax: Any = None
) -> Any:
    """Draw how a valued portfolio's payments spread; return the matplotlib Axes.

    ``valued`` is :func:`rtaprotocol.batch.value_claims`' output; ``column`` one of its
    pence columns (``total_pence``, what the offers pay after the deductions of guide
    6.5.2, by default). The histogram is in pounds; the title gives the count, the
    median and the total.

    >>> import pandas as pd
    >>> from rtaprotocol.batch import value_claims
    >>> valued = value_claims(pd.DataFrame({
    ...     "accident_date": pd.to_datetime(["2024-06-03"] * 3),
    ...     "duration_months": [3, 9, 18]}))
    >>> payment_distribution(valued).get_title()
    '3 claims: median £840.00, total £4,085.00 (total_pence)'
    >>> payment_distribution(valued, "payout")
    Traceback (most recent call last):
    ...
    rtaprotocol.errors.RulesError: column: no column 'payout' to plot; ...
    """
    pence = _pence_column(valued, column, "column")
    axes = _axes(ax, (8, 3.6))
    pounds = pence.astype("float64") / 100
    axes.hist(pounds, bins=bins, color=_EVENT)
    # the median of an even count may fall on a half penny: rounded half-up, as money is
    median = _pounds(Decimal(str(pence.median())) if len(pence) else Decimal(0))
    total = _pounds(Decimal(int(pence.sum())))
    axes.set_title(f"{len(pence):,} claims: median {median}, total {total} ({column})")
    axes.set_xlabel("payment (£)")
    axes.set_ylabel("claims")
    return axes


def whatif_difference(
    base: Any, alternative: Any, column: str = "total_pence", *, bins: int = 30, ax: Any = None
) -> Any:
    """Draw what a what-if valuation changes, claim by claim; return the matplotlib Axes.

    ``base`` and ``alternative`` are two valuations of the same portfolio (each
    :func:`rtaprotocol.batch.value_claims`' output, same index: the law and a what-if
    tariff table, say). The histogram is of ``alternative - base`` in pounds for each
    claim, on ``column``; the title gives how many claims change and the total
    difference. Two frames that are not the same portfolio are refused.

    >>> import pandas as pd
    >>> from rtaprotocol.batch import value_claims
    >>> claims = pd.DataFrame({
    ...     "accident_date": pd.to_datetime(["2024-06-03"] * 2), "duration_months": [3, 18]})
    >>> law, table2 = value_claims(claims), value_claims(claims, tariff_table="2025")
    >>> whatif_difference(law, table2).get_title()
    'What-if less base: 2 of 2 claims change, total +£475.00 (total_pence)'
    >>> whatif_difference(law, table2.iloc[:1])
    Traceback (most recent call last):
    ...
    rtaprotocol.errors.RulesError: alternative: the two valuations are not of the same claims (same index, same order): got '1 rows against 2' [...]
    """
    before = _pence_column(base, column, "base")
    after = _pence_column(alternative, column, "alternative")
    if len(before) != len(after) or not before.index.equals(after.index):
        raise RulesError(
            "the two valuations are not of the same claims (same index, same order)",
            value=f"{len(after)} rows against {len(before)}",
            reference=PLOT_REFERENCE,
            field="alternative",
            code=ErrorCode.VALUE_INVALID,
        )
    change = after.astype("int64") - before.astype("int64")
    axes = _axes(ax, (8, 3.6))
    axes.hist(change.astype("float64") / 100, bins=bins, color=_LIMIT)
    axes.axvline(0, color="grey", linewidth=1)
    total = Decimal(int(change.sum()))
    sign = "+" if total > 0 else ""
    changed = int((change != 0).sum())
    axes.set_title(
        f"What-if less base: {changed:,} of {len(change):,} claims change, "
        f"total {sign}{_pounds(total)} ({column})"
    )
    axes.set_xlabel("difference per claim (£)")
    axes.set_ylabel("claims")
    return axes


def _pounds(pence: Decimal) -> str:
    return format_money(pence.scaleb(-2))
