"""Tests for rtaprotocol._render: text tables, HTML tables and JSON-ready data."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from enum import Enum

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rtaprotocol._render import Tabular, html_table, jsonable, text_table


class Slug(Enum):
    A = "a-slug"


def test_jsonable_conventions():
    """Decimals become exact strings, dates ISO, enums their value, tuples lists."""
    data = {
        "m": Decimal("2112.50"),
        "d": date(2023, 5, 2),
        "e": Slug.A,
        "t": (1, None, True),
        "s": frozenset({"x"}),
        Slug.A: "key",
    }
    assert jsonable(data) == {
        "m": "2112.50",
        "d": "2023-05-02",
        "e": "a-slug",
        "t": [1, None, True],
        "s": ["x"],
        "a-slug": "key",
    }
    json.dumps(jsonable(data))


def test_jsonable_uses_to_dict_and_refuses_the_unknown():
    """Objects with to_dict() use it; others are refused rather than guessed."""

    class Result:
        def to_dict(self):
            return {"ok": True}

    assert jsonable([Result()]) == [{"ok": True}]
    with pytest.raises(TypeError, match="JSON-ready"):
        jsonable(object())


@given(st.integers(min_value=0, max_value=10**12))
def test_money_cells_print_pounds_and_pence(pence):
    """A money cell is £ with thousands separators and two places."""
    amount = Decimal(pence).scaleb(-2)
    cell = text_table(["amount"], [[amount]]).splitlines()[-1].strip()
    assert cell == f"£{amount:,.2f}"


def test_text_table_aligns_numbers_right():
    """Numbers are right-aligned, text left-aligned, empty cells blank."""
    out = text_table(["head", "net"], [["injury", Decimal("675")], ["property", None]])
    assert out.splitlines() == [
        "head     |     net",
        "---------+--------",
        "injury   | £675.00",
        "property |",
    ]


def test_html_table_escapes():
    """Cell text and captions are escaped."""
    out = html_table(["a"], [["<b>"]], caption="x & y")
    assert "&lt;b&gt;" in out
    assert ">x &amp; y</caption>" in out


def test_tabular_mixin_renders_both_ways():
    """A Tabular result renders the same title and rows as text and HTML."""

    class Result(Tabular):
        _headers = ("item", "amount")

        def _title(self):
            return "Title"

        def _rows(self):
            return [["fee", Decimal("180")]]

    result = Result()
    assert str(result).splitlines()[0] == "Title"
    assert "£180.00" in str(result)
    assert "<strong>Title</strong></p><table>" in result._repr_html_()


def test_tabular_requires_rows_and_title():
    """The mixin alone has nothing to render."""
    with pytest.raises(NotImplementedError):
        str(Tabular())
