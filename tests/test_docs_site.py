"""The docs site (mkdocs.yml) lists every page and has an API page per public module.

``mkdocs build --strict`` (run by CI with the docs extra) fails on a broken link or a page
left out of the navigation; this test, run with the suite (no mkdocs needed), catches a
new module or page missing from the site before CI does.
"""

from __future__ import annotations

import pkgutil
import re
from pathlib import Path

import rtaprotocol

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
CONFIG = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
NAV = set(re.findall(r"^\s*- (?:[^:\n]+: )?([\w./-]+\.md)\s*$", CONFIG, flags=re.MULTILINE))


def _public_modules() -> set[str]:
    return {
        m.name
        for m in pkgutil.iter_modules(rtaprotocol.__path__)
        if not m.name.startswith("_") and m.name != "cli"
    }


def test_every_docs_page_is_in_the_nav():
    """Each docs/**/*.md is a page of the site's navigation, and each nav entry exists."""
    pages = {p.relative_to(DOCS).as_posix() for p in DOCS.rglob("*.md")}
    assert pages == NAV


def test_every_public_module_has_an_api_page():
    """docs/api/<module>.md renders the module's docstrings with mkdocstrings."""
    for name in _public_modules():
        page = DOCS / "api" / f"{name}.md"
        assert (
            page.read_text(encoding="utf-8") == f"# rtaprotocol.{name}\n\n::: rtaprotocol.{name}\n"
        )
    api = {p.stem for p in (DOCS / "api").glob("*.md")} - {"index"}
    assert api == _public_modules()


def test_the_site_is_strict():
    """A broken link or a page left out of the nav fails the build."""
    assert re.search(r"^strict: true$", CONFIG, flags=re.MULTILINE)
    assert "omitted_files: warn" in CONFIG
