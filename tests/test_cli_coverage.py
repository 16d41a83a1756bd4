"""Tests for rtaprotocol/cli/coverage.py: `rtaprotocol coverage`."""

from __future__ import annotations

import json

from rtaprotocol.cli import main
from rtaprotocol.coverage import coverage_markdown, guide_sections

SECTIONS = guide_sections()


def test_cli(capsys):
    assert main(["coverage"]) == 0
    out = capsys.readouterr().out
    assert "6.5.2" in out
    assert "not yet encoded:" in out
    assert main(["coverage", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert len(data["sections"]) == len(SECTIONS)
    assert main(["coverage", "--markdown"]) == 0
    assert capsys.readouterr().out == coverage_markdown()


def test_cli_siblings(capsys):
    """`rtaprotocol coverage --siblings`: the sibling systems' rules (issue 23), as text
    (id, mark, status, source), JSON, or the docs/sibling-coverage.md page."""
    from rtaprotocol.coverage import sibling_coverage_markdown, sibling_rules

    assert main(["coverage", "--siblings"]) == 0
    out = capsys.readouterr().out
    assert "routing.untraced-driver" in out
    assert "[P]" in out
    assert main(["coverage", "--siblings", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [r["id"] for r in data["rules"]] == [r.id for r in sibling_rules()]
    assert main(["coverage", "--siblings", "--markdown"]) == 0
    assert capsys.readouterr().out == sibling_coverage_markdown()
