"""Render the notebook views in a real browser and keep screenshots of them in the docs.

What it does, in order (docs/views.md explains why):

1. runs the cells below (CELLS) in one namespace, as a notebook kernel would, and writes
   docs/notebooks/views.ipynb with their outputs: ``text/html`` (the view) and
   ``text/plain`` (IPython's text, from ``_repr_pretty_``);
2. lays each view into a light and a dark notebook page (scripts/contrast.py's pages);
3. opens each page in headless Chromium and saves docs/img/view-SLUG.png (light) and
   docs/img/view-SLUG-dark.png (dark).

No notebook tools are needed (earlier versions ran nbclient and nbconvert): the outputs
are the library's own ``_repr_html_`` and ``_repr_pretty_``, which is what Jupyter shows.
The browser check of every view's contrast is a test (tests/test_views.py, CI runs it);
this script keeps the pictures. Run it after changing a view, look at the PNGs, commit:

    apt-get update && apt-get install -y chromium      # once, as root
    PYTHONPATH=src python scripts/screenshots.py       # or: bash scripts/screenshots.sh

The browser runs with no network, no GPU, no sync and a new empty profile; the pages it
opens are local files. Exit 1 with one line on stderr when Chromium is missing.
"""

from __future__ import annotations

import ast
import json
import re
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = ROOT / "docs" / "notebooks" / "views.ipynb"
IMAGES = ROOT / "docs" / "img"
WIDTH = 1100

INTRO = """# rtaprotocol's notebook views

Each result explains itself: `str(result)` is a plain-text table, `result` on its own in a
notebook shows the HTML view below (verdict first and highlighted, UK dates, unmet
criteria marked, every reference linked to its source), `result.to_dict()` is JSON.
Generated and run by `scripts/screenshots.py`; see docs/views.md."""

# (slug for the PNG, markdown heading, code). Each code cell ends with the result, so the
# notebook shows its HTML view.
CELLS: list[tuple[str, str, str]] = [
    (
        "setup",
        "",
        "from datetime import date\n\nimport rtaprotocol as rta\nfrom rtaprotocol import Head, Party",
    ),
    (
        "eligibility",
        "## Eligibility: not eligible, with the unmet criteria marked",
        (
            "rta.check_eligibility(\n"
            "    rta.ClaimFacts(\n"
            "        accident_date=date(2023, 3, 1),\n"
            "        entry_date=date(2023, 5, 2),\n"
            '        accident_location="scotland",\n'
            "        injury=1500,\n"
            "        other_protocol_damages=500,\n"
            "    )\n"
            ")"
        ),
    ),
    (
        "negotiation",
        "## Negotiation: every offer, the three offers each, counted and left",
        (
            "n = rta.Negotiation().offer(Party.COMPENSATOR, 1000, on=date(2023, 5, 2))\n"
            "n = n.offer(Party.CLAIMANT, 3000, on=date(2023, 5, 9))\n"
            "n = n.offer(Party.COMPENSATOR, 1800, on=date(2023, 5, 16))\n"
            "n.accept(Party.CLAIMANT, on=date(2023, 5, 23))"
        ),
    ),
    (
        "tariff-table",
        "## The tariff table, as the guide prints it",
        "rta.tariff_table(date(2025, 6, 1))",
    ),
    (
        "tariff-comparison",
        "## Table 1 and Table 2 side by side, with the difference",
        "rta.compare_tariff_tables()",
    ),
    (
        "tariff-award",
        "## A tariff award: table, band, column and uplift, each with its rule",
        "rta.tariff_award(7, accident_date=date(2024, 3, 1), uplift_percent=10)",
    ),
    (
        "payment",
        "## What an offer pays after the ordered deductions",
        (
            "rta.compute_payment(\n"
            "    {Head.INJURY: 1000, Head.INJURY_RELATED: 1500, Head.PROPERTY: 1500},\n"
            "    claimant_liability_percent=25,\n"
            "    seatbelt_percent=10,\n"
            "    cru={Head.INJURY_RELATED: 500},\n"
            "    interim={Head.PROPERTY: 200},\n"
            ")"
        ),
    ),
    (
        "next-steps",
        "## The claim's next steps: an overdue deadline",
        (
            "claim = rta.Claim().submit(\n"
            "    rta.ClaimFacts(\n"
            "        accident_date=date(2023, 3, 1),\n"
            "        entry_date=date(2023, 5, 2),\n"
            "        injury=1500,\n"
            "        other_protocol_damages=500,\n"
            "    ),\n"
            "    on=date(2023, 5, 2),\n"
            "    whiplash=True,\n"
            ")\n"
            "claim.next_steps(date(2023, 6, 16))"
        ),
    ),
    (
        "limitation",
        "## The limitation period of a child claimant",
        "rta.limitation_period(date(2022, 6, 1), date_of_birth=date(2010, 1, 15))",
    ),
    (
        "value-limits",
        "## Value limits: outside, and why",
        'rta.check_value_limits("5000.01", "100", non_protocol_vehicle_costs=800, fees=216)',
    ),
]


def _fail(message: str) -> None:
    print(f"screenshots: {message}", file=sys.stderr)
    sys.exit(1)


class _Printer:
    """IPython's pretty printer, as far as ``_repr_pretty_`` uses it."""

    def __init__(self) -> None:
        self.parts: list[str] = []

    def text(self, text: str) -> None:
        self.parts.append(text)


def _outputs(value: object, count: int) -> list[dict[str, object]]:
    """Return the outputs Jupyter records for a cell whose last line is ``value``."""
    if value is None:
        return []
    printer = _Printer()
    pretty = getattr(value, "_repr_pretty_", None)
    if callable(pretty):
        pretty(printer, False)
    plain = "".join(printer.parts) or repr(value)
    data: dict[str, object] = {"text/plain": plain.splitlines(keepends=True)}
    html = getattr(value, "_repr_html_", None)
    if callable(html):
        data["text/html"] = str(html()).splitlines(keepends=True)
    return [
        {"output_type": "execute_result", "execution_count": count, "metadata": {}, "data": data}
    ]


def run_cells() -> tuple[dict[str, object], dict[str, str]]:
    """Run CELLS in one namespace; return the notebook (nbformat 4) and each view's HTML."""
    namespace: dict[str, object] = {}
    cells: list[dict[str, object]] = [
        {"cell_type": "markdown", "id": "intro", "metadata": {}, "source": INTRO}
    ]
    views: dict[str, str] = {}
    for count, (slug, heading, code) in enumerate(CELLS, start=1):
        if heading:
            cells.append(
                {"cell_type": "markdown", "id": f"{slug}-md", "metadata": {"view": slug},
                 "source": heading}
            )  # fmt: skip
        tree = ast.parse(code)
        last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
        exec(compile(tree, slug, "exec"), namespace)
        value = None
        if last is not None:
            value = eval(compile(ast.Expression(last.value), slug, "eval"), namespace)
        if value is not None and hasattr(value, "_repr_html_"):
            views[slug] = value._repr_html_()
        cells.append(
            {"cell_type": "code", "id": slug, "metadata": {"view": slug}, "source": code,
             "execution_count": count, "outputs": _outputs(value, count)}
        )  # fmt: skip
    notebook = {
        "cells": cells,
        "metadata": {
            "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
            "language_info": {"name": "python"},
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    return notebook, views


def _height(page: str) -> int:
    """Return a window height tall enough for one view: its rows, paragraphs and list items."""
    rows = len(re.findall(r"<tr\b", page))
    lines = len(re.findall(r"<(?:p|li|h2)\b", page))
    return min(4000, 80 + 30 * rows + 40 * lines)


def main() -> int:
    """Run the cells, save the notebook, then screenshot each view light and dark."""
    sys.path.insert(0, str(ROOT / "scripts"))
    import contrast

    browser = contrast.chromium()
    if browser is None:
        _fail("no chromium on PATH: apt-get update && apt-get install -y chromium")
    notebook, views = run_cells()
    NOTEBOOK.parent.mkdir(parents=True, exist_ok=True)
    NOTEBOOK.write_text(json.dumps(notebook, indent=1, ensure_ascii=False) + "\n", "utf-8")
    print(f"ran and saved {NOTEBOOK.relative_to(ROOT)}")
    IMAGES.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="rtaprotocol-views-") as tmp:
        for slug, markup in views.items():
            for theme, suffix in (("light", ""), ("dark", "-dark")):
                page = contrast.page([(slug, markup)], contrast.THEMES[theme], measure=False)
                html_path = Path(tmp) / f"{slug}{suffix}.html"
                html_path.write_text(page, encoding="utf-8")
                png = IMAGES / f"view-{slug}{suffix}.png"
                contrast.screenshot(browser, html_path, png, width=WIDTH, height=_height(page))
                print(f"screenshot {png.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
