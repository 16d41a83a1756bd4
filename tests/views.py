"""Reading what an HTML or text view states, independent of its markup and styling.

The tests check the verdict, the figures and the references a view shows, not its
layout: a caption or a status paragraph, a header's wording, links around a reference
can all change without a test failing, but a wrong verdict or figure cannot.
"""

from __future__ import annotations

import html as _html
import re
from typing import Any


def visible(markup: str) -> str:
    """The text a reader sees: tags dropped, entities decoded."""
    return _html.unescape(re.sub(r"<[^>]+>", "", markup))


def statement(markup: str) -> str:
    """What the view says before its first table's header (its caption or status line)."""
    head = markup.split("<thead", 1)[0]
    return visible(head)


def table(markup: str) -> tuple[list[str], list[list[str]]]:
    """The first table's headers (lower case) and its rows of visible cells."""
    first = markup.split("</table>", 1)[0]
    headers = [visible(h).strip().lower() for h in re.findall(r"<th[^>]*>(.*?)</th>", first)]
    rows = []
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", first, flags=re.S):
        cells = [visible(c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row, flags=re.S)]
        if cells:
            rows.append(cells)
    return headers, rows


def column(headers: list[str], word: str) -> int:
    """The index of the one header that starts with ``word``."""
    found = [i for i, h in enumerate(headers) if h.startswith(word)]
    assert len(found) == 1, (word, headers)
    return found[0]


def text_table(text: str, first_line: int = 1) -> tuple[list[str], list[list[str]]]:
    """A text view's table (header at ``first_line``, a rule under it), cells stripped."""
    lines = text.splitlines()
    headers = [h.strip().lower() for h in lines[first_line].split("|")]
    rows = []
    for line in lines[first_line + 2 :]:
        if "|" not in line:
            break
        rows.append([c.strip() for c in line.split("|")])
    return headers, rows


def subset(data: dict[str, Any], expected: dict[str, Any]) -> dict[str, Any]:
    """``data`` restricted to the keys of ``expected`` (a missing key shows as "<missing>").

    ``assert subset(d, expected) == expected`` pins every key and value listed and lets a
    later branch add keys.
    """
    return {k: data.get(k, "<missing>") for k in expected}
