"""Hypothesis strategies shared across the test modules."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from hypothesis import strategies as st

from rtaprotocol.deadlines import FIRST_SUPPORTED_DATE, LAST_SUPPORTED_DATE

#: Any date the calendar supports.
supported_dates = st.dates(min_value=FIRST_SUPPORTED_DATE, max_value=LAST_SUPPORTED_DATE)

#: Dates away from the ends of the range, so a few hundred business days either way fit.
middle_dates = st.dates(min_value=date(2002, 1, 1), max_value=date(2098, 12, 31))

#: Dates under the tariff regime (accidents from 31 May 2021).
tariff_dates = st.dates(min_value=date(2021, 5, 31), max_value=LAST_SUPPORTED_DATE)


def money(max_pounds: int = 20_000) -> st.SearchStrategy[Decimal]:
    """Amounts in pence from £0.00 to ``max_pounds``, as two-place Decimals."""
    return st.integers(min_value=0, max_value=max_pounds * 100).map(lambda p: Decimal(p).scaleb(-2))


def percents(high: int = 100) -> st.SearchStrategy[Decimal]:
    """Percentages from 0 to ``high`` with up to two decimal places."""
    return st.integers(min_value=0, max_value=high * 100).map(lambda b: Decimal(b).scaleb(-2))


#: Characters a number or date must never contain: digits of other scripts (Arabic-Indic,
#: full-width, Devanagari...) and non-ASCII spaces (no-break, em, ideographic), all of which
#: ``\d``, ``str.strip()`` or ``Decimal()`` would otherwise take.
non_ascii_digits_and_spaces = st.characters(
    categories=["Nd", "Zs", "Zl", "Zp"], exclude_characters="0123456789 "
)


@st.composite
def with_a_non_ascii_character(draw: st.DrawFn, text: str) -> str:
    """``text`` with one non-ASCII digit or space put in at any position."""
    at = draw(st.integers(0, len(text)))
    return text[:at] + draw(non_ascii_digits_and_spaces) + text[at:]
