"""Rendering shared by every result: text tables, HTML tables and JSON-ready data.

Results in rtaprotocol explain themselves three ways: ``str(result)`` is a plain-text
table, ``result._repr_html_()`` is an HTML table for notebooks, ``result.to_dict()`` is
JSON-ready data. This module holds the one implementation of each.

JSON conventions (see docs/json.md): ``Decimal`` becomes a string with its exact digits
(``"2112.50"``), ``date`` an ISO string, an ``Enum`` its ``value``, tuples lists, and
``attrs`` instances their ``to_dict()`` if they have one.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from decimal import Decimal
from enum import Enum
from typing import Any, ClassVar, Final, Literal

from rtaprotocol._decimal import exact, plain_text
from rtaprotocol.json import to_jsonable
from rtaprotocol.money import format_money
from rtaprotocol.sources import cite

__all__ = [
    "KeyedEquality",
    "Tabular",
    "html_lines",
    "html_reference",
    "html_source",
    "html_table",
    "html_text",
    "html_titled_table",
    "html_verdict",
    "jsonable",
    "months_json",
    "percent_json",
    "text_table",
    "uk_date",
    "uk_dates",
    "visible",
]


@exact
def jsonable(value: Any) -> Any:
    """Return ``value`` as data ``json.dumps`` accepts: :func:`rtaprotocol.json.to_jsonable`.

    Kept as the name the views and the CLI have used; there is one implementation.

    >>> jsonable({"total": Decimal("2112.5"), "on": date(2023, 5, 2), "xs": (1, None)})
    {'total': '2112.50', 'on': '2023-05-02', 'xs': [1, None]}
    """
    return to_jsonable(value)


#: The escapes a text view shows for the commonest controls; every other character that
#: is not printable (``str.isprintable``: C0 and C1 controls, DEL, format characters such
#: as bidirectional overrides and zero-width spaces, line and paragraph separators,
#: surrogates, unassigned and private-use code points, spaces other than U+0020) is shown
#: as ``\xNN``, ``\uNNNN`` or ``\UNNNNNNNN``, and a backslash is doubled, so an escape
#: shown cannot be confused with one typed.
_NAMED_ESCAPES: Final[Mapping[str, str]] = {
    "\\": "\\\\",
    "\n": "\\n",
    "\r": "\\r",
    "\t": "\\t",
}


def _escape(char: str) -> str:
    named = _NAMED_ESCAPES.get(char)
    if named is not None:
        return named
    if char.isprintable():
        return char
    code = ord(char)
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


@exact
def visible(text: str) -> str:
    r"""Return text the library did not write, safe to print: every control shown, not run.

    A description from a claim file could otherwise forge report lines (``\n``), move the
    cursor (``\r``) or clear the screen (``\x1b[2J``). Each such character is shown as its
    Python escape; a backslash is doubled, so what is shown reads back one way only. Text
    views and the CLI's text reports show user text through this; HTML views escape it.

    >>> print(visible("sprain\n== Payment ==\x1b[2J \\ ok"))
    sprain\n== Payment ==\x1b[2J \\ ok
    """
    plain = str.__str__(text)
    if plain.isprintable() and "\\" not in plain:
        return plain  # the common case: nothing to show differently
    return "".join(map(_escape, plain))


def _cell(value: Any) -> str:
    if isinstance(value, Decimal):
        return format_money(value)  # half-up, like every other rounding in the library
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Enum):
        return visible(str(value.value))
    if value is None:
        return ""
    return visible(str(value))


@exact
def text_table(
    headers: Sequence[str], rows: Sequence[Sequence[Any]], *, title: str | None = None
) -> str:
    """Render a plain-text table; money cells print as ``£1,012.50``, numbers right-aligned.

    >>> print(text_table(["head", "net"], [["injury", Decimal("675")]], title="Payment"))
    Payment
    head   |     net
    -------+--------
    injury | £675.00
    """
    cells = [[_cell(v) for v in row] for row in rows]
    numeric = [
        all(isinstance(row[i], Decimal | int) for row in rows if row[i] is not None)
        and any(row[i] is not None for row in rows)
        for i in range(len(headers))
    ]
    widths = [max([len(h)] + [len(r[i]) for r in cells]) for i, h in enumerate(headers)]

    def line(values: Sequence[str]) -> str:
        parts = [
            v.rjust(w) if num else v.ljust(w)
            for v, w, num in zip(values, widths, numeric, strict=True)
        ]
        return " | ".join(parts).rstrip()

    out = [title] if title else []
    out.append(line(headers))
    out.append("-+-".join("-" * w for w in widths))
    out.extend(line(r) for r in cells)
    return "\n".join(out)


# --- HTML for notebooks (docs/views.md) --------------------------------------------------
#
# The HTML views are written for a lawyer reading a notebook: the verdict first and
# highlighted, plain column labels, UK dates ("2 May 2023"; JSON keeps ISO dates), unmet
# criteria marked, and every reference linked to its source's public URL where the
# registry (rtaprotocol.sources) has one. Styles are inline: notebook viewers that strip
# <style> blocks keep them.

_MONTHS: Final = (
    "January", "February", "March", "April", "May", "June", "July", "August",
    "September", "October", "November", "December",
)  # fmt: skip
_ISO_DATE: Final = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
# A reference in square brackets, or in round brackets (one level of nesting: "(guide
# 6.5.2 (1))"); a round-bracketed aside is linked only when it cites a registered source.
_BRACKETED: Final = re.compile(r"\[([^\[\]]+)\]|\(((?:[^()]|\([^()]*\))+)\)")
_REFERENCE_HEADERS: Final = frozenset({"reference", "references", "rule", "source"})
# Column labels in plain words, for the HTML views (the text views keep their short labels,
# which documented outputs depend on).
_LABELS: Final[Mapping[str, str]] = {
    "counts": "Counts towards the three offers",
    "counts?": "Counts towards the limits",
    "made on": "Made on",
    "days left": "Days left (business days; calendar days to the limitation deadline)",
    "on": "Date",
    "by": "By",
}
# Colours come from the notebook's theme (docs/views.md, "Colours"): text inherits the
# theme's colour (JupyterLab's and VS Code's variables first), every highlight is a
# translucent tint laid over whatever background the theme has, and every element that
# sets a background also sets its text colour. A dark theme then shows light text on a
# darkened tint, a light one dark text on a pale tint: readable in both (WCAG AA, checked in
# a real browser by tests/test_views.py::test_views_are_readable_in_a_browser).
THEME_TEXT: Final = "var(--jp-content-font-color1, var(--vscode-editor-foreground, inherit))"
THEME_LINK: Final = "var(--jp-content-link-color, var(--vscode-textLink-foreground, inherit))"
# The hue of each outcome, as "r,g,b": green favourable, red unfavourable, amber "cannot
# tell yet", blue information.
_HUES: Final[Mapping[bool | str | None, str]] = {
    True: "26,127,55",
    False: "180,35,24",
    None: "154,103,0",
    "info": "31,78,140",
}


def _tint(outcome: bool | str | None, alpha: str = "0.16") -> str:
    """Return a style: a translucent tint of the outcome's hue and the theme's text colour."""
    return f"background-color:rgba({_HUES[outcome]},{alpha});color:{THEME_TEXT}"


# Cell values that mark an outcome: (symbol, outcome). Unmet criteria stand out: by their
# symbol (never colour alone) and a tint.
_MARKS: Final[Mapping[str, tuple[str, bool | None]]] = {
    "met": ("\u2713", True),
    "not met": ("\u2717", False),
    "unknown": ("?", None),
    "overdue": ("\u2717", False),
    "expired": ("\u2717", False),
    "met late": ("!", None),
    "no": ("\u2717", False),
    "yes": ("\u2713", True),
}
_MARKED_HEADERS: Final = frozenset({"status", "allowed", "met", "outcome", "finding"})
_VERDICT_STYLE: Final[Mapping[bool | str | None, str]] = {
    outcome: f"{_tint(outcome)};border-left:6px solid rgb({hue})" for outcome, hue in _HUES.items()
}
_WEEKDAYS: Final = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


@exact
def uk_date(value: date) -> str:
    """Return ``value`` as a UK date with its weekday, whatever the locale: ``Tue 2 May 2023``.

    >>> uk_date(date(2024, 10, 30)), uk_date(date(2024, 2, 29))
    ('Wed 30 Oct 2024', 'Thu 29 Feb 2024')
    """
    month = _MONTHS[value.month - 1][:3]
    return f"{_WEEKDAYS[value.weekday()]} {value.day} {month} {value.year}"


@exact
def uk_dates(text: str) -> str:
    """Return ``text`` with each ISO date (``2023-05-02``) written as a UK date.

    >>> uk_dates("due 2023-06-15, not 2023-13-01")
    'due Thu 15 Jun 2023, not 2023-13-01'
    """

    def one(match: re.Match[str]) -> str:
        try:
            return uk_date(date(int(match[1]), int(match[2]), int(match[3])))
        except ValueError:
            return match[0]

    return _ISO_DATE.sub(one, text)


# Links take the theme's link colour, else the text's own colour, always underlined: a
# browser's default dark blue is unreadable on a dark theme.
_LINK_STYLE: Final = f"color:{THEME_LINK};text-decoration:underline"
_BANNER_LINK_STYLE: Final = "color:inherit;text-decoration:underline"


def _link(text: str, url: str, title: str) -> str:
    return (
        f'<a href="{html.escape(url)}" title="{html.escape(title)}" '
        f'target="_blank" rel="noopener" style="{_LINK_STYLE}">{text}</a>'
    )


@exact
def html_reference(reference: str) -> str:
    """Return a reference as HTML, linked to its sources' public URLs where known.

    The text stays as the library wrote it; each ``;``-separated clause that cites one
    source with a URL is a link to it, a clause that cites several is followed by a link
    to each (:mod:`rtaprotocol.sources` is the registry).

    >>> html_reference("Civil Liability Act 2018 s.3")
    '<a href="https://www.legislation.gov.uk/ukpga/2018/29" title="Civil Liability Act 2018" target="_blank" rel="noopener" style="color:var(--jp-content-link-color, var(--vscode-textLink-foreground, inherit));text-decoration:underline">Civil Liability Act 2018 s.3</a>'
    >>> html_reference("guide 5.4; Limitation Act 1980 s.11").count("<a href")
    2
    >>> html_reference("no source <here>")
    'no source &lt;here&gt;'
    """
    return "; ".join(_html_clause(clause) for clause in reference.split("; "))


def _html_clause(clause: str) -> str:
    text = html.escape(uk_dates(clause))
    sources = []
    for citation in cite(clause):
        if citation.source.url is not None and citation.source not in sources:
            sources.append(citation.source)
    if not sources:
        return text
    if len(sources) == 1:
        return _link(text, sources[0].url or "", sources[0].title)
    links = ", ".join(_link(html.escape(s.title), s.url or "", s.title) for s in sources)
    return f"{text} <small>({links})</small>"


@exact
def html_text(text: str) -> str:
    """Return a sentence as HTML: escaped, UK dates, bracketed references linked.

    >>> html_text("due on 2023-06-15 [rtaprotocol sources] & more")
    'due on Thu 15 Jun 2023 [rtaprotocol sources] &amp; more'
    >>> html_text("Payment (guide 6.5.2)")[:18]
    'Payment (<a href="'
    >>> html_text("three years (from 2023-05-02)")
    'three years (from Tue 2 May 2023)'
    """
    out: list[str] = []
    last = 0
    for match in _BRACKETED.finditer(text):
        inner = match[1] if match[1] is not None else match[2]
        if match[1] is None and not cite(inner):
            continue
        out.append(html.escape(uk_dates(text[last : match.start()])))
        opening, closing = ("[", "]") if match[1] is not None else ("(", ")")
        out.append(f"{opening}{html_reference(inner)}{closing}")
        last = match.end()
    out.append(html.escape(uk_dates(text[last:])))
    return "".join(out)


@exact
def html_verdict(text: str, outcome: bool | Literal["info"] | None) -> str:
    """Return the verdict as a highlighted paragraph, shown first in every view.

    Green for a favourable outcome (True), red for an unfavourable one (False), amber for
    "cannot tell yet" (None), blue for a result that is information, not a verdict ("info").

    The text takes the theme's colour; the highlight is a translucent tint over the
    theme's background, so a dark theme reads as well as a light one.

    >>> html_verdict("Eligible", True)[:62]
    '<p role="status" style="background-color:rgba(26,127,55,0.16);'
    """
    style = f"{_VERDICT_STYLE[outcome]};padding:6px 10px;margin:4px 0 8px 0;font-size:1.1em"
    text = text[:1].upper() + text[1:]
    # Links in the banner take the banner's text colour (underlined): a theme's link blue
    # on the tint falls below WCAG AA's 4.5:1 (JupyterLab light on the red tint: 3.5:1).
    body = html_text(text).replace(_LINK_STYLE, _BANNER_LINK_STYLE)
    return f'<p role="status" style="{style}"><strong>{body}</strong></p>'


@exact
def html_lines(lines: Iterable[str], *, title: str | None = None) -> str:
    """Return sentences as an HTML list (each through :func:`html_text`).

    >>> html_lines(["Step: response", "On 2023-05-02"])
    '<ul><li>Step: response</li><li>On Tue 2 May 2023</li></ul>'
    """
    items = "".join(f"<li>{html_text(line)}</li>" for line in lines)
    head = f"<p><strong>{html_text(title)}</strong></p>" if title else ""
    return f"{head}<ul>{items}</ul>" if items else head


@exact
def html_source(source: str, *, statutory: bool) -> str:
    """Return a source as HTML: linked for the law's (:func:`html_reference`), else words.

    A what-if (a table that is not the law) has no statutory source: its words go through
    :func:`html_text`, so only a reference it names in brackets is linked, never the
    sentence as if it cited a source.

    >>> html_source("Civil Liability Act 2018 s.3", statutory=True).startswith("<a href=")
    True
    >>> html_source("Civil Liability Act 2018 s.3", statutory=False)
    'Civil Liability Act 2018 s.3'
    >>> html_source("a what-if table <mine> (guide 6.1)", statutory=False)[:44]
    'a what-if table &lt;mine&gt; (<a href="https'
    """
    return html_reference(source) if statutory else html_text(source)


@exact
def html_titled_table(
    title: str, headers: Sequence[str], rows: Sequence[Sequence[Any]], footer_html: str = ""
) -> str:
    """Return the title as an "info" verdict, then the table, then ``footer_html`` as is.

    The view of a result that is one table: the verdict first (:func:`html_verdict`), the
    rows (:func:`html_table`), and a footer the caller has already made HTML (its sources,
    its notes), which is not escaped again. An empty footer adds nothing.

    >>> html = html_titled_table("Table", ["a"], [["<b>"]], "<p>Source: x</p>")
    >>> html.startswith('<p role="status"'), html.endswith("</table><p>Source: x</p>")
    (True, True)
    >>> html_titled_table("Table", ["a"], []) == html_verdict("Table", "info") + html_table(["a"], [])
    True
    """
    return html_verdict(title, "info") + html_table(headers, rows) + footer_html


def _label(header: str) -> str:
    label = _LABELS.get(header, header)
    return label[:1].upper() + label[1:]


def _html_cell(header: str, value: Any, label: Any = None) -> str:
    if isinstance(value, date):
        return html.escape(uk_date(value))
    text = _cell(value)
    is_reference = header.lower() in _REFERENCE_HEADERS or (
        isinstance(label, str) and label.lower() in _REFERENCE_HEADERS
    )
    if is_reference and isinstance(value, str):
        return html_reference(text)
    mark = _MARKS.get(text) if header.lower() in _MARKED_HEADERS else None
    if mark is not None:
        symbol, outcome = mark
        return (
            f'<span style="{_tint(outcome, "0.2")};font-weight:bold;white-space:nowrap;'
            f'padding:0 4px;border-radius:3px">{symbol} {html.escape(text)}</span>'
        )
    return html_text(text)


@exact
def html_table(
    headers: Sequence[str], rows: Sequence[Sequence[Any]], *, caption: str | None = None
) -> str:
    """Render an HTML table (escaped) for notebooks' ``_repr_html_``.

    Dates print as UK dates, headers in plain words, a ``reference`` column (or the value
    of a row labelled ``reference``) links to the sources, and a ``status`` or ``allowed``
    column marks each outcome.

    >>> html_table(["a"], [["<b>"]])
    '<table><thead><tr><th style="text-align:left">A</th></tr></thead><tbody><tr><td style="text-align:left">&lt;b&gt;</td></tr></tbody></table>'
    """
    parts = ["<table>"]
    if caption:
        parts.append(
            f'<caption style="text-align:left;font-weight:bold">{html_text(caption)}</caption>'
        )
    parts.append("<thead><tr>")
    numeric = [
        any(isinstance(row[i], Decimal | int) and not isinstance(row[i], bool) for row in rows)
        for i in range(len(headers))
    ]
    parts.extend(
        f'<th style="text-align:{"right" if num else "left"}">{html.escape(_label(h))}</th>'
        for h, num in zip(headers, numeric, strict=True)
    )
    parts.append("</tr></thead><tbody>")
    for row in rows:
        parts.append("<tr>")
        for h, v in zip(headers, row, strict=True):
            # Numbers to the right, words to the left (notebooks align every cell right).
            side = "right" if isinstance(v, Decimal | int) and not isinstance(v, bool) else "left"
            # A date never breaks across lines ("Thu 15 Jun" over "2023").
            nowrap = ";white-space:nowrap" if isinstance(v, date) else ""
            align = f' style="text-align:{side}{nowrap}"'
            parts.append(f"<td{align}>{_html_cell(h, v, row[0] if v is not row[0] else None)}</td>")
        parts.append("</tr>")
    parts.append("</tbody></table>")
    return "".join(parts)


class KeyedEquality:
    """Mixin: ``==``, ``!=`` and ``hash`` through the subclass's ``_key()``.

    For a frozen result with a lazy slot (its explanation built when first read): the key
    reads the slot through its property, so a result whose rows are still pending equals,
    and hashes as, one whose rows were given or already built.
    """

    __slots__ = ()

    def _key(self) -> tuple[Any, ...]:
        raise NotImplementedError  # pragma: no cover - every subclass defines it

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return self._key() == other._key()

    def __ne__(self, other: object) -> bool:
        result = self.__eq__(other)
        return result if result is NotImplemented else not result

    def __hash__(self) -> int:
        return hash(self._key())


class Tabular:
    """Mixin for a result that is one table: ``str()`` and ``_repr_html_`` from its rows.

    A subclass sets ``_headers`` and defines ``_title()`` and ``_rows()``; both renderings
    then show the same title, headers and rows. It has no slots of its own, so frozen
    slotted ``attrs`` classes can use it.
    """

    __slots__ = ()
    _headers: ClassVar[tuple[str, ...]]

    def _title(self) -> str:
        raise NotImplementedError

    def _rows(self) -> list[list[Any]]:
        raise NotImplementedError

    @exact
    def __str__(self) -> str:
        rows, title = self._rows(), self._title()
        return text_table(self._headers, rows, title=title)

    @exact
    def _repr_html_(self) -> str:
        """Render the title first, highlighted, then the table as HTML, for notebooks."""
        rows, title = self._rows(), self._title()
        return html_titled_table(title, self._headers, rows)


# --- canonical JSON for echoed inputs (docs/json.md) ------------------------------------
#
# Money is canonical already (to_money always gives two places). Percentages and fractional
# months keep the digits the caller wrote ("25", "25.0", "25.00" are the same value), so
# to_dict writes them in one form: the same value gives the same JSON, whatever its input.


@exact
def percent_json(value: Decimal) -> str:
    """Return a percentage as a two-place decimal string, whatever digits it was given in.

    >>> percent_json(Decimal("25")), percent_json(Decimal("12.5")), percent_json(Decimal("0.00"))
    ('25.00', '12.50', '0.00')
    """
    return str(value.quantize(_HUNDREDTH) + 0)


#: A number of months as JSON writes it (``"3.5"``, ``"24"``): :func:`_decimal.plain_text`,
#: under the name tariff and the views import.
months_json: Final = plain_text


_HUNDREDTH = Decimal("0.01")
