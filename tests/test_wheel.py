"""The wheel alone: build it, install it into a fresh virtual environment, and check that
the schemas, the example files, the coverage map and the `schema` / `sources` / `coverage`
subcommands work from the installed package, with the source tree out of reach.

The runtime dependencies are built into wheels from pip's configured index (or its cache)
and installed with ``--no-index``; nothing else is fetched.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
RUNTIME = ["attrs>=23.1", "python-dateutil>=2.8.2", "holidays>=0.80,<1"]


def run(*args, cwd, env=None):
    result = subprocess.run(
        list(args), cwd=cwd, env=env, capture_output=True, text=True, timeout=300, check=False
    )
    assert result.returncode == 0, f"{args}\n{result.stdout}\n{result.stderr}"
    return result.stdout


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """A fresh venv with only the built wheel and its runtime dependencies installed."""
    tmp = tmp_path_factory.mktemp("wheel")
    wheels = tmp / "wheels"
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q"]
    run(*pip, "wheel", "--no-deps", "-w", str(wheels), str(ROOT), cwd=tmp)
    run(*pip, "wheel", "-w", str(wheels), *RUNTIME, cwd=tmp)
    env_dir = tmp / "venv"
    venv.create(env_dir, with_pip=False)
    python = env_dir / "bin" / "python"
    run(
        *pip,
        "--python",
        str(python),
        "install",
        "--no-index",
        "--find-links",
        str(wheels),
        "rtaprotocol",
        cwd=tmp,
    )
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "VIRTUAL_ENV"}}
    env["PATH"] = f"{env_dir / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    return python, env, tmp


def test_the_package_comes_from_the_wheel(installed):
    python, env, tmp = installed
    where = run(
        str(python), "-c", "import rtaprotocol; print(rtaprotocol.__file__)", cwd=tmp, env=env
    )
    assert "site-packages" in where
    assert str(ROOT) not in where


def test_schemas_examples_and_coverage_ship_in_the_wheel(installed):
    python, env, tmp = installed
    script = """
import json
from importlib import resources
from rtaprotocol.schemas import schema, schema_names
from rtaprotocol.coverage import guide_sections
from rtaprotocol.eligibility import ClaimFacts, check_eligibility
from rtaprotocol.payment_input import PaymentInput
from rtaprotocol.sources import resolve
examples = resources.files("rtaprotocol") / "data" / "examples"
facts = ClaimFacts.from_dict(json.loads((examples / "claim-facts.json").read_text()))
pay = PaymentInput.from_dict(json.loads((examples / "payment-input.json").read_text()))
print(json.dumps({
    "schemas": list(schema_names()),
    "title": schema("claim-facts")["title"],
    "sections": len(guide_sections()),
    "verdict": check_eligibility(facts).to_dict()["verdict"],
    "payment": str(pay.compute().total),
    "resolved": resolve("guide 6.5.2 (1)")[0].source.id,
}))
"""
    data = json.loads(run(str(python), "-c", script, cwd=tmp, env=env))
    assert {"claim-facts", "payment-input", "negotiation-events"} <= set(data["schemas"])
    assert data["title"] == "rtaprotocol claim facts"
    assert data["sections"] > 80
    assert data["verdict"] == "eligible"
    assert data["payment"] == "2112.50"
    assert data["resolved"] == "oic-guide"


def test_cli_from_the_wheel(installed):
    python, env, tmp = installed
    script = Path(python).parent / "rtaprotocol"
    text = run(str(script), "schema", "claim-facts", cwd=tmp, env=env)
    assert json.loads(text)["title"] == "rtaprotocol claim facts"
    sources = json.loads(run(str(script), "sources", "--json", cwd=tmp, env=env))
    assert sources[0]["id"] == "oic-guide"
    coverage = json.loads(run(str(script), "coverage", "--json", cwd=tmp, env=env))
    assert coverage["counts"]["encoded"] > 0
    examples = run(
        str(python),
        "-c",
        "from importlib import resources; print(resources.files('rtaprotocol') / 'data' / "
        "'examples' / 'negotiation-events.json')",
        cwd=tmp,
        env=env,
    ).strip()
    assert "settled" in run(str(script), "negotiate", examples, cwd=tmp, env=env)
    bad = subprocess.run(
        [str(script), "schema", "nope"],
        cwd=tmp,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert bad.returncode == 2
    assert "known: claim, claim-facts, " in bad.stderr


def test_version_agrees_everywhere(installed):
    """`rtaprotocol.__version__`, `rtaprotocol --version`, `python -m rtaprotocol --version`
    and the installed package metadata all give the version pyproject.toml declares
    (CHANGELOG.md, docs/versioning.md): a backend pinning 0.2.0 gets 0.2.0."""
    python, env, tmp = installed
    script = Path(python).parent / "rtaprotocol"
    declared = re.search(
        r'^version = "([^"]+)"$', (ROOT / "pyproject.toml").read_text("utf-8"), re.MULTILINE
    )
    assert declared is not None
    expected = declared[1]
    code = (
        "import importlib.metadata, rtaprotocol; "
        "print(rtaprotocol.__version__, importlib.metadata.version('rtaprotocol'))"
    )
    assert run(str(python), "-c", code, cwd=tmp, env=env).split() == [expected, expected]
    assert run(str(script), "--version", cwd=tmp, env=env) == f"rtaprotocol {expected}\n"
    assert run(str(python), "-m", "rtaprotocol", "--version", cwd=tmp, env=env) == (
        f"rtaprotocol {expected}\n"
    )
    assert f"## [{expected}]" in (ROOT / "CHANGELOG.md").read_text("utf-8")
