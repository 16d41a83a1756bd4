"""Tests for rtaprotocol/cli/sources.py: `rtaprotocol sources` and the generated docs page."""

from __future__ import annotations

import json
from pathlib import Path

from rtaprotocol.cli import COMMANDS, main
from rtaprotocol.cli.sources import markdown
from rtaprotocol.sources import SOURCES

ROOT = Path(__file__).resolve().parent.parent


def test_listed_in_commands():
    assert {"sources", "schema", "coverage"} <= set(COMMANDS)


def test_docs_sources_md_is_current():
    """docs/sources.md is generated: regenerate with `rtaprotocol sources --markdown > docs/sources.md`."""
    assert (ROOT / "docs" / "sources.md").read_text(encoding="utf-8") == markdown()


def test_cli_lists_sources(capsys):
    assert main(["sources"]) == 0
    out = capsys.readouterr().out
    assert "oic-guide:" in out
    assert "limitation-act-1980:" in out
    assert main(["sources", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [d["id"] for d in data] == list(SOURCES)


def test_cli_resolves_a_reference(capsys):
    assert main(["sources", "--json", "guide 6.5.2 (1), 6.5.2.1"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [d["pinpoint"] for d in data] == ["6.5.2 (1)", "6.5.2.1"]
    assert main(["sources", "guide 6.5.2"]) == 0
    assert "oic-guide" in capsys.readouterr().out
    assert main(["sources", "nonsense"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "names no registered source" in err
