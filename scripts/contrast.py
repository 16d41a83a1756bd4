"""Check the notebook views as a reader sees them: in a real browser, in light and dark themes.

Every view is laid into one page per theme (a light page, a dark page, and JupyterLab's
and VS Code's dark themes with their CSS variables set, as a notebook sets them). Headless
Chromium (Debian's ``chromium`` package) opens each page; a script in the page measures,
for every element that holds text, the text's colour against the background it is
rendered on (each ancestor's background composited over the page's, translucent tints
included) and writes the contrast ratios into the page, which ``--dump-dom`` returns.
WCAG 2.1 AA asks 4.5:1 for body text (success criterion 1.4.3); every element must reach it.

Used by tests/test_render.py (every example of tests/test_views.py and every part nested
in one, in every theme) and, run as a script, it also keeps screenshots of the main
views in a light and a dark page in docs/img/ (docs/views.md shows them):

    apt-get update && apt-get install -y chromium      # once, as root
    PYTHONPATH=src python scripts/contrast.py          # or: bash scripts/screenshots.sh

The browser runs with no network, no GPU, no sync and a new empty profile; the pages it
opens are local files.
"""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, NamedTuple

ROOT = Path(__file__).resolve().parent.parent
IMAGES = ROOT / "docs" / "img"
#: WCAG 2.1 success criterion 1.4.3 (Contrast, minimum), level AA, for body text.
AA_CONTRAST = 4.5
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--hide-scrollbars",
)


class Theme(NamedTuple):
    """A notebook page: its background, its text colour and the CSS variables it sets."""

    background: str
    text: str
    variables: Mapping[str, str]


#: The pages a view must read well in. The plain pages set no variable (a viewer that
#: knows nothing of JupyterLab or VS Code: the views fall back to the inherited colour);
#: the notebooks' themes set the variables their own stylesheets set.
THEMES: Mapping[str, Theme] = {
    "light": Theme("#ffffff", "#1f1f1f", {}),
    "dark": Theme("#111111", "#e6e6e6", {}),
    "jupyterlab-light": Theme(
        "#ffffff",
        "rgba(0, 0, 0, 0.87)",
        {"--jp-content-font-color1": "rgba(0, 0, 0, 0.87)", "--jp-content-link-color": "#1976d2"},
    ),
    "jupyterlab-dark": Theme(
        "#111111",
        "rgba(255, 255, 255, 1)",
        {
            "--jp-content-font-color1": "rgba(255, 255, 255, 1)",
            "--jp-content-link-color": "#64b5f6",
        },
    ),
    "vscode-dark": Theme(
        "#1f1f1f",
        "#cccccc",
        {"--vscode-editor-foreground": "#cccccc", "--vscode-textLink-foreground": "#4daafc"},
    ),
}

# Runs in the page: for every element with its own text, the text colour composited over
# the rendered background, the background composited from the page up through every
# ancestor's (translucent) background, and the WCAG contrast ratio of the two.
_MEASURE = r"""
(function () {
  function parse(css) {
    var n = (css.match(/[\d.]+/g) || []).map(Number);
    if (css.indexOf("rgb") !== 0 || n.length < 3) { return null; }
    return [n[0], n[1], n[2], n.length > 3 ? n[3] : 1];
  }
  function over(top, under) {
    var a = top[3];
    return [0, 1, 2].map(function (i) { return top[i] * a + under[i] * (1 - a); }).concat([1]);
  }
  function luminance(c) {
    var v = [0, 1, 2].map(function (i) {
      var s = c[i] / 255;
      return s <= 0.04045 ? s / 12.92 : Math.pow((s + 0.055) / 1.055, 2.4);
    });
    return 0.2126 * v[0] + 0.7152 * v[1] + 0.0722 * v[2];
  }
  function background(el) {
    var chain = [];
    for (var e = el; e; e = e.parentElement) { chain.push(e); }
    var colour = [255, 255, 255, 1];  // the canvas under the page
    for (var i = chain.length - 1; i >= 0; i--) {
      var b = parse(getComputedStyle(chain[i]).backgroundColor);
      if (b && b[3] > 0) { colour = over(b, colour); }
    }
    return colour;
  }
  var out = [];
  document.querySelectorAll("[data-view] *").forEach(function (el) {
    var own = Array.prototype.some.call(el.childNodes, function (n) {
      return n.nodeType === 3 && n.textContent.trim() !== "";
    });
    if (!own || el.offsetParent === null) { return; }
    var bg = background(el);
    var fg = over(parse(getComputedStyle(el).color), bg);
    var l1 = luminance(fg), l2 = luminance(bg);
    out.push({
      view: el.closest("[data-view]").getAttribute("data-view"),
      tag: el.tagName.toLowerCase(),
      text: el.textContent.trim().slice(0, 60),
      color: fg.slice(0, 3).map(Math.round),
      background: bg.slice(0, 3).map(Math.round),
      ratio: (Math.max(l1, l2) + 0.05) / (Math.min(l1, l2) + 0.05)
    });
  });
  document.getElementById("contrast-results").textContent = JSON.stringify(out);
})();
"""


def chromium() -> str | None:
    """Return the path of Chromium, or None where it is not installed."""
    return shutil.which("chromium") or shutil.which("chromium-browser")


def page(views: Iterable[tuple[str, str]], theme: Theme, *, measure: bool = True) -> str:
    """Return an HTML page that shows each ``(name, html)`` view in ``theme``."""
    variables = "".join(f"{k}:{v};" for k, v in theme.variables.items())
    sections = "".join(
        f'<section data-view="{html.escape(name)}" style="margin:0 0 24px 0">{markup}</section>'
        for name, markup in views
    )
    script = f"<script>{_MEASURE}</script>" if measure else ""
    return (
        '<!DOCTYPE html><html><head><meta charset="utf-8"><style>'
        f":root{{{variables}}}"
        f"body{{background:{theme.background};color:{theme.text};"
        "font-family:system-ui,sans-serif;font-size:14px;margin:16px}"
        "table{border-collapse:collapse;margin:4px 0 12px 0}"
        "th,td{padding:2px 8px;border-bottom:1px solid rgba(128,128,128,0.35)}"
        '</style></head><body><pre id="contrast-results" hidden></pre>'
        f"{sections}{script}</body></html>"
    )


def _run(browser: str, args: Sequence[str], url: str) -> str:
    with tempfile.TemporaryDirectory(prefix="rtaprotocol-chromium-") as profile:
        done = subprocess.run(
            [browser, *FLAGS, f"--user-data-dir={profile}", *args, url],
            check=True,
            capture_output=True,
            timeout=180,
        )
    return done.stdout.decode("utf-8")


def measure(browser: str, path: Path) -> list[dict[str, Any]]:
    """Open the page at ``path`` in headless Chromium; return its measured text elements."""
    dom = _run(browser, ["--virtual-time-budget=20000", "--dump-dom"], path.as_uri())
    found = re.search(r'<pre id="contrast-results"[^>]*>(.*?)</pre>', dom, flags=re.S)
    if found is None or not found[1]:
        raise RuntimeError(f"Chromium returned no measurements for {path.name}")
    results: list[dict[str, Any]] = json.loads(html.unescape(found[1]))
    return results


def screenshot(browser: str, path: Path, png: Path, *, width: int = 1100, height: int) -> None:
    """Save a screenshot of the page at ``path`` in ``png``."""
    _run(browser, [f"--window-size={width},{height}", f"--screenshot={png}"], path.as_uri())
    if not png.exists() or png.stat().st_size == 0:
        raise RuntimeError(f"Chromium wrote no screenshot for {path.name}")


def check(browser: str, views: Sequence[tuple[str, str]], folder: Path) -> tuple[int, list[str]]:
    """Measure every view in every theme; return the elements measured and the failures."""
    count, failures = 0, []
    for name, theme in THEMES.items():
        path = folder / f"{name}.html"
        path.write_text(page(views, theme), encoding="utf-8")
        results = measure(browser, path)
        count += len(results)
        failures.extend(
            f"{name}: {r['view']} <{r['tag']}> {r['text']!r}: {r['ratio']:.2f}:1 "
            f"(text {r['color']} on {r['background']})"
            for r in results
            if r["ratio"] < AA_CONTRAST
        )
    return count, failures


def _examples() -> list[tuple[str, str]]:
    """Return the views the docs show: a result of each kind a notebook user meets first."""
    from datetime import date

    import rtaprotocol as rta
    from rtaprotocol import Head, Party

    negotiation = rta.Negotiation().offer(Party.COMPENSATOR, 1000, on=date(2023, 5, 2))
    negotiation = negotiation.offer(Party.CLAIMANT, 3000, on=date(2023, 5, 9))
    facts = rta.ClaimFacts(
        accident_date=date(2023, 3, 1),
        entry_date=date(2023, 5, 2),
        accident_location="scotland",
        injury=1500,
        other_protocol_damages=500,
    )
    claim = rta.Claim().submit(
        rta.ClaimFacts(
            accident_date=date(2023, 3, 1),
            entry_date=date(2023, 5, 2),
            injury=1500,
            other_protocol_damages=500,
        ),
        on=date(2023, 5, 2),
        whiplash=True,
    )
    payment = rta.compute_payment(
        {Head.INJURY: 1000, Head.INJURY_RELATED: 1500, Head.PROPERTY: 1500},
        claimant_liability_percent=25,
        seatbelt_percent=10,
        cru={Head.INJURY_RELATED: 500},
    )
    return [
        ("eligibility", rta.check_eligibility(facts)._repr_html_()),
        ("next steps", claim.next_steps(date(2023, 6, 16))._repr_html_()),
        ("payment", payment._repr_html_()),
        ("negotiation", negotiation._repr_html_()),
    ]


def main() -> int:
    """Measure the docs' example views in every theme; screenshot them light and dark."""
    browser = chromium()
    if browser is None:
        print("contrast: no chromium on PATH: apt-get install -y chromium", file=sys.stderr)
        return 1
    views = _examples()
    IMAGES.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="rtaprotocol-contrast-") as tmp:
        folder = Path(tmp)
        count, failures = check(browser, views, folder)
        print(f"{count} text elements measured in {len(THEMES)} themes")
        for failure in failures:
            print(f"below {AA_CONTRAST}:1: {failure}")
        for name in ("light", "dark"):
            path = folder / f"shot-{name}.html"
            path.write_text(page(views, THEMES[name], measure=False), encoding="utf-8")
            png = IMAGES / f"views-{name}.png"
            screenshot(browser, path, png, height=1900)
            print(f"screenshot {png.relative_to(ROOT)}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
