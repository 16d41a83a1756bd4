"""Tests for rtaprotocol._render: text tables, HTML tables and JSON-ready data."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from enum import Enum

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rtaprotocol._render import (
    Tabular,
    html_lines,
    html_reference,
    html_source,
    html_table,
    html_text,
    html_titled_table,
    html_verdict,
    jsonable,
    text_table,
    uk_date,
    uk_dates,
    visible,
)


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
    """A Tabular result renders the same title and rows as text and HTML (the HTML by
    html_titled_table, like every one-table view)."""

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
    # its HTML is html_titled_table of its title, headers and rows
    assert result._repr_html_() == html_titled_table(
        "Title", ["item", "amount"], [["fee", Decimal("180")]]
    )


def test_tabular_requires_rows_and_title():
    """The mixin alone has nothing to render."""
    with pytest.raises(NotImplementedError):
        str(Tabular())


_MONTHS = [
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
]  # fmt: skip


@given(st.dates())
def test_uk_date_round_trips(day: date):
    """Every date reads back from its UK form, its weekday right; an ISO date in a sentence
    becomes it (issue 26: "Wed 30 Oct 2024")."""
    weekday, d, month, y = uk_date(day).split()
    assert date(int(y), [m[:3] for m in _MONTHS].index(month) + 1, int(d)) == day
    assert weekday == ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")[day.weekday()]
    if day.year >= 1000:
        assert uk_dates(f"on {day.isoformat()}.") == f"on {uk_date(day)}."


def test_uk_dates_leaves_what_is_not_a_date():
    """Impossible dates and longer digit runs stay as written."""
    assert uk_dates("2023-02-30 and 12023-01-01x") == "2023-02-30 and 12023-01-01x"


def test_html_reference_links_only_sources_with_a_url():
    """A clause citing a source with a URL is a link; one without stays text."""
    linked = html_reference("guide 6.5.2")
    assert linked.startswith('<a href="https://www.officialinjuryclaim.org.uk/')
    assert linked.endswith(">guide 6.5.2</a>")
    assert "<a " not in html_reference("CPR 26.9")  # no confirmed public URL
    assert html_reference("rounded to the penny, half-up") == "rounded to the penny, half-up"


def test_html_text_links_bracketed_references_only():
    """A bracketed reference is linked; an aside in brackets that cites nothing is not."""
    out = html_text("due on 2023-05-02 (the next business day) [guide 6.3.1]")
    assert out.startswith("due on Tue 2 May 2023 (the next business day) [<a href=")
    assert html_text("<script>") == "&lt;script&gt;"


def test_html_verdict_colours_each_outcome():
    """Green, red, amber, blue; the first letter capitalised; the text escaped."""
    styles = {o: html_verdict("x & y", o) for o in (True, False, None, "info")}
    assert len({s.split(";")[0] for s in styles.values()}) == 4
    assert all("<strong>X &amp; y</strong>" in s for s in styles.values())


def test_html_table_marks_outcomes_and_labels_plainly():
    """Status cells are marked, headers in plain words, dates UK, numbers right-aligned."""
    out = html_table(["status", "counts", "on", "n"], [["not met", "yes", date(2023, 5, 2), 3]])
    assert "\u2717 not met" in out
    assert ">Counts towards the three offers</th>" in out
    assert ">Tue 2 May 2023</td>" in out
    assert '<td style="text-align:right">3</td>' in out


@given(
    st.text(max_size=40),
    st.lists(st.text(max_size=10), min_size=1, max_size=3),
    st.integers(min_value=0, max_value=3),
    st.sampled_from(["", "<p>Source: <a href='x'>x</a></p>", "<ul><li>a &amp; b</li></ul>"]),
)
def test_html_titled_table_is_verdict_then_table_then_footer(title, headers, n_rows, footer):
    """A one-table view (a tariff table, a comparison of two: reg 2 as made and amended) is
    the title as an "info" verdict, the rows, then the footer as given, never escaped again."""
    rows = [[f"{h}{i}" for h in headers] for i in range(n_rows)]
    out = html_titled_table(title, headers, rows, footer)
    assert out == html_verdict(title, "info") + html_table(headers, rows) + footer
    assert out.endswith("</table>" + footer)


def test_html_source_links_only_the_laws_source():
    """The law's source is linked as a reference (the tariff: Civil Liability Act 2018 s.3);
    a what-if's words are not, but for a reference it names in brackets; both escaped."""
    law = "Civil Liability Act 2018 s.3"
    assert html_source(law, statutory=True) == html_reference(law)
    assert html_source(law, statutory=True).startswith("<a href=")
    assert "<a " not in html_source(law, statutory=False)
    assert html_source(law, statutory=False) == html_text(law)
    what_if = "mine <&>; a what-if table, not the law [guide 6.1]"
    assert html_source(what_if, statutory=False).startswith("mine &lt;&amp;&gt;; a what-if")
    assert html_source(what_if, statutory=False).count("<a href=") == 1


def test_html_lines_is_empty_without_lines():
    """No lines and no title give no markup; a title alone is a paragraph."""
    assert html_lines([]) == ""
    assert html_lines([], title="T") == "<p><strong>T</strong></p>"


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("sprain\n== Payment ==", "sprain\\n== Payment =="),
        ("\x1b[2J", "\\x1b[2J"),
        ("a\rb\tc\x07d\x00e\x7f", "a\\rb\\tc\\x07d\\x00e\\x7f"),
        ("\u202eevil\u2028next\ufeff", "\\u202eevil\\u2028next\\ufeff"),
        ("C:\\path", "C:\\\\path"),
        ("£1,390 café", "£1,390 café"),
    ],
)
def test_visible_shows_controls_instead_of_running_them(text, shown):
    """User text in a text view shows every control character as its escape, never
    interpreted: a newline cannot forge a report line, ESC cannot clear the screen, a
    bidirectional override cannot reorder the line (issue 24); other text is unchanged."""
    assert visible(text) == shown


@given(st.text())
def test_visible_output_is_one_printable_line(text):
    """Whatever the input, the output has no control character and no line break, and
    different inputs stay different (a backslash is doubled, so escapes cannot collide)."""
    out = visible(text)
    assert out.isprintable()
    assert "\n" not in out
    assert "\r" not in out
    assert "\x1b" not in out
    assert visible(text + "\\n") != visible(text + "\n")


def test_text_tables_show_user_text_visibly():
    """A cell of user text in a text table is shown through visible(); HTML escapes it."""
    table = text_table(["item"], [["wrist\n== Total | £0.00 ==\x1b[2J"]])
    assert "\n== Total" not in table
    assert "wrist\\n== Total | £0.00 ==\\x1b[2J" in table
    assert "&lt;b&gt;" in html_table(["item"], [["<b>"]])
