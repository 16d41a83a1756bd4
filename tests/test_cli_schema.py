"""Tests for rtaprotocol/cli/schema.py: `rtaprotocol schema NAME`."""

from __future__ import annotations

import json

from rtaprotocol.cli import main
from rtaprotocol.schemas import schema, schema_names


def test_cli_prints_and_lists(capsys):
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
        "no such schema; known: claim, claim-facts, cru-certificate, list-of-losses, negotiation-events, payment-input"
        in err
    )
