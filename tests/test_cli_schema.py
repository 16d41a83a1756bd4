"""Tests for rtaprotocol/cli/schema.py: `rtaprotocol schema NAME` (issue 24, Schemas)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from rtaprotocol.claim import ClaimEventKind
from rtaprotocol.cli import main
from rtaprotocol.schemas import schema, schema_names, schema_text

SRC = Path(__file__).resolve().parent.parent / "src"


def test_cli_prints_and_lists(capsys):
    """A name prints that schema as shipped; no name lists them all (--json: as a list);
    an unknown name is one line on stderr naming the known ones, and exit 2."""
    assert main(["schema", "payment-input"]) == 0
    assert json.loads(capsys.readouterr().out) == schema("payment-input")
    assert main(["schema"]) == 0
    assert capsys.readouterr().out.split() == list(schema_names())
    assert main(["schema", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == list(schema_names())
    assert main(["schema", "nope"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert (
        "no such schema; known: claim, claim-facts, cru-certificate, error, event, "
        "event-KIND for each event kind, list-of-losses, negotiation-events, payment-input, "
        "report, route-facts, transfer-request (`rtaprotocol schema` lists all): got 'nope'"
    ) in err


def test_schema_event_prints_the_union_of_every_event_kind(capsys):
    """`rtaprotocol schema event` is a oneOf with one branch per ClaimEventKind, each
    discriminated by its kind (guide 6.1 to 6.6)."""
    assert main(["schema", "event"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed == schema("event")
    kinds = [k.value for k in ClaimEventKind]
    assert printed["properties"]["kind"]["enum"] == kinds
    assert printed["oneOf"] == [{"$ref": f"#/$defs/event-{k}"} for k in kinds]
    for k in kinds:
        assert printed["$defs"][f"event-{k}"]["properties"]["kind"] == {"const": k}


@pytest.mark.parametrize("kind", list(ClaimEventKind), ids=lambda k: k.value)
def test_schema_event_kind_prints_that_kinds_own_schema(kind, capsys):
    """`rtaprotocol schema event-KIND` prints one kind's standalone schema, its file as
    shipped (so it can be saved and used on its own)."""
    assert main(["schema", f"event-{kind.value}"]) == 0
    out = capsys.readouterr().out
    assert out == schema_text(f"event-{kind.value}")
    assert json.loads(out)["required"][:2] == ["kind", "on"]


@pytest.mark.parametrize("name", ["report", "error", "claim"])
def test_schema_prints_the_report_error_and_claim_file_schemas(name, capsys):
    """The report, the error document and the claim file each have a schema to print."""
    assert main(["schema", name]) == 0
    assert json.loads(capsys.readouterr().out)["title"].startswith("rtaprotocol ")


def test_python_dash_m_rtaprotocol_runs_the_cli():
    """`python -m rtaprotocol schema event` works where the console script is not on PATH."""
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(SRC), os.environ.get("PYTHONPATH", "")]),
    }
    done = subprocess.run(
        [sys.executable, "-m", "rtaprotocol", "schema", "event"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == schema("event")
    bad = subprocess.run(
        [sys.executable, "-m", "rtaprotocol", "schema", "nope"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert bad.returncode == 2
    assert bad.stderr.count("\n") == 1
