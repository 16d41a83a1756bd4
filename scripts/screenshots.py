"""Render the notebook views in a real browser and keep screenshots of them in the docs.

What it does, in order (docs/views.md explains why):

1. writes docs/notebooks/views.ipynb, a notebook of examples of the main views (the cells
   are below, in CELLS);
2. runs it headless with nbclient (a fresh Python kernel) and saves it with its outputs;
3. exports it to HTML with nbconvert, the whole notebook and one page per view;
4. opens each page in headless Chromium and saves a PNG in docs/img/ (the whole export's
   screenshot goes to the temporary folder only).

It is a documented script, not a CI step: CI installs no browser (Chromium is a Debian
package, not a PyPI one) and must stay under its time budget. Run it after changing a
view, look at the PNGs, and commit them:

    apt-get update && apt-get install -y chromium      # once, as root
    .venv/bin/pip install -e '.[docs]' nbclient nbconvert ipykernel
    .venv/bin/python scripts/screenshots.py            # or: bash scripts/screenshots.sh

The browser runs with no network, no GPU, no sync and a throwaway profile; the pages it
opens are local files. Exit 1 with one line on stderr when a tool is missing.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = ROOT / "docs" / "notebooks" / "views.ipynb"
IMAGES = ROOT / "docs" / "img"
WIDTH = 1280

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


def _imports() -> tuple[object, object, object]:
    try:
        import nbclient
        import nbconvert
        import nbformat
    except ImportError as exc:  # pragma: no cover - a missing tool is one line
        _fail(f"{exc.name} is not installed: pip install nbclient nbconvert ipykernel")
    return nbformat, nbclient, nbconvert


def build_notebook() -> object:
    """Return the notebook of examples (nbformat v4), not yet run."""
    nbformat, _, _ = _imports()
    v4 = nbformat.v4  # type: ignore[attr-defined]
    cells = [v4.new_markdown_cell(INTRO)]
    for slug, heading, code in CELLS:
        if heading:
            cells.append(v4.new_markdown_cell(heading, metadata={"view": slug}))
        cells.append(v4.new_code_cell(code, metadata={"view": slug}))
    notebook = v4.new_notebook(cells=cells)
    notebook.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    return notebook


def _height(page: str) -> int:
    """Return a window height tall enough for one view: its rows, paragraphs and list items."""
    rows = len(re.findall(r"<tr\b", page))
    lines = len(re.findall(r"<(?:p|li|h2)\b", page))
    return min(4000, 260 + 34 * rows + 40 * lines)


def _screenshot(chromium: str, page: Path, png: Path, height: int, profile: Path) -> None:
    subprocess.run(
        [
            chromium,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--hide-scrollbars",
            f"--user-data-dir={profile}",
            f"--window-size={WIDTH},{height}",
            f"--screenshot={png}",
            page.as_uri(),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    if not png.exists() or png.stat().st_size == 0:
        _fail(f"Chromium wrote no screenshot for {page.name}")


def main() -> int:
    """Write, run and export the notebook, then screenshot each view."""
    nbformat, nbclient, nbconvert = _imports()
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        _fail("no chromium on PATH: apt-get update && apt-get install -y chromium")

    notebook = build_notebook()
    client = nbclient.NotebookClient(  # type: ignore[attr-defined]
        notebook,
        timeout=120,
        kernel_name="python3",
        record_timing=False,
        resources={"metadata": {"path": str(ROOT)}},
    )
    client.execute()
    NOTEBOOK.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(notebook, str(NOTEBOOK))  # type: ignore[attr-defined]
    print(f"ran and saved {NOTEBOOK.relative_to(ROOT)}")

    exporter = nbconvert.HTMLExporter()  # type: ignore[attr-defined]
    IMAGES.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="rtaprotocol-views-") as tmp:
        work = Path(tmp)
        whole, _ = exporter.from_notebook_node(notebook)
        (work / "views.html").write_text(whole, encoding="utf-8")
        _screenshot(chromium, work / "views.html", work / "views.png", 4000, work / "profile")
        v4 = nbformat.v4  # type: ignore[attr-defined]
        for slug, _heading, _code in CELLS[1:]:
            cells = [c for c in notebook.cells if c.metadata.get("view") == slug]  # type: ignore[attr-defined]
            one = v4.new_notebook(cells=cells, metadata=notebook.metadata)  # type: ignore[attr-defined]
            page, _ = exporter.from_notebook_node(one)
            # The view, not the code: hide the input prompt and code of the page.
            page = page.replace(
                "</head>",
                "<style>.jp-CodeCell .jp-Cell-inputWrapper,.jp-OutputPrompt,.jp-InputPrompt"
                "{display:none}</style></head>",
            )
            html_path = work / f"{slug}.html"
            html_path.write_text(page, encoding="utf-8")
            png = IMAGES / f"view-{slug}.png"
            _screenshot(chromium, html_path, png, _height(page), work / "profile")
            print(f"screenshot {png.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
