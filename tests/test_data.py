"""Tests for the rule data files and their one loader: rtaprotocol/_data.py (issue 25).

The dated rule tables (tariff tables, Whiplash Injury Regulations 2021 reg 2; the fees for
medical evidence, guide 5.3) are JSON files under ``rtaprotocol/data/rules``; the loader
validates every file on first use. These tests load the package's files, refuse each kind
of bad edit, and prove the maintainer's target: a new tariff table is ONE new file, and
every entry point values a claim by it.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from datetime import date, timedelta
from decimal import Decimal
from importlib import resources
from pathlib import Path

import pytest

from rtaprotocol import _data, fees, tariff
from rtaprotocol.sources import Confidence

RULES = Path(str(resources.files("rtaprotocol") / "data" / "rules"))
SRC = Path(tariff.__file__).resolve().parents[1]

#: A fixture table: what the next uprating would look like (figures made up, 10% up).
FIXTURE_TABLE = {
    "kind": "tariff-table",
    "scenario": "2026",
    "name": "Table 3",
    "applies_from": "2026-06-01",
    "regulation": "a fixture uprating (tests only)",
    "citation": "Whiplash Injury Regulations 2021, reg 2 as amended by a fixture [U]",
    "confidence": "U",
    "bands": [
        {"more_than_months": a, "not_more_than_months": b, "whiplash": w, "whiplash_with_psych": p}
        for a, b, w, p in [
            (0, 3, "303", "330"),
            (3, 6, "622", "655"),
            (6, 9, "1062", "1128"),
            (9, 12, "1661", "1755"),
            (12, 15, "2569", "2679"),
            (15, 18, "3790", "3905"),
            (18, 24, "5313", "5473"),
        ]
    ],
}


def copy_rules(tmp_path: Path) -> Path:
    target = tmp_path / "rules"
    shutil.copytree(RULES, target)
    return target


def write(path: Path, data: object) -> None:
    path.write_text(json.dumps(data), encoding="utf-8")


def test_package_data_files_load_and_build_the_public_tables():
    """Every package data file validates and the public tables are built from them (reg 2; guide 5.3)."""
    tables = _data.tariff_tables()
    assert [t.scenario for t in tables] == list(tariff.TARIFF_SCENARIOS) == ["2021", "2025"]
    assert [t.name for t in tariff.TARIFF_TABLES] == ["Table 1", "Table 2"]
    assert tariff.TARIFF_START == date(2021, 5, 31) == tables[0].applies_from
    assert tables[0].applies_until == tables[1].applies_from == date(2025, 5, 31)
    assert tables[1].applies_until is None
    assert tables[0].confidence is Confidence.PRIMARY
    assert tariff.TARIFF_TABLES[0].bands[0].whiplash == Decimal("240.00")
    assert str(tariff.TARIFF_TABLES[1].reference) == tables[1].citation
    files = _data.medical_fee_files()
    assert [f.applies_from for f in files] == [date(2014, 10, 1), date(2025, 4, 6)]
    assert files[0].applies_from == fees.FIXED_FROM
    assert files[1].applies_from == fees.UPRATED_ON
    assert fees.MEDICAL_FEE_RATES[0].fixed == fees.FIRST_MEDICAL_REPORT_FEE
    assert fees.MEDICAL_FEE_RATES[0].valid_to == date(2025, 4, 5)
    assert len(fees.MEDICAL_FEE_RATES) == sum(len(f.rates) for f in files)


def test_loader_reads_a_directory_given_and_caches_it(tmp_path):
    """The loader takes an optional directory; a copy loads equal tables, read once (cached)."""
    rules = copy_rules(tmp_path)
    first = _data.tariff_tables(rules)
    assert first == _data.tariff_tables()
    assert _data.tariff_tables(rules) is first
    assert _data.medical_fee_files(rules) == _data.medical_fee_files()


BAD_EDITS = [
    ("missing citation", lambda d: d.pop("citation"), "citation: 2025.json: missing field"),
    ("bad date", lambda d: d.update(applies_from="31/05/2025"), "expected an ISO date"),
    ("bad confidence", lambda d: d.update(confidence="sure"), "expected P, S or U"),
    ("unknown field", lambda d: d.update(note="x"), "unknown field"),
    ("wrong kind", lambda d: d.update(kind="tariff"), "expected 'tariff-table'"),
    ("gap", lambda d: d["bands"][1].update(more_than_months=4), "no gap"),
    ("short", lambda d: d["bands"].pop(), "must end at 24 months"),
    ("float", lambda d: d["bands"][0].update(whiplash=275.5), "expected pounds as a string"),
    ("falling", lambda d: d["bands"][1].update(whiplash="1"), "must rise"),
    ("psych below", lambda d: d["bands"][0].update(whiplash_with_psych="200"), "less than"),
    ("renamed", lambda d: d.update(scenario="2024"), "named after its scenario"),
    ("same day", lambda d: d.update(applies_from="2021-05-31"), "same day"),
    ("same name", lambda d: d.update(name="Table 1"), "share a name"),
    ("months as text", lambda d: d["bands"][0].update(not_more_than_months="3"), "expected int"),
]


@pytest.mark.parametrize(("what", "edit", "message"), BAD_EDITS, ids=[b[0] for b in BAD_EDITS])
def test_a_bad_tariff_file_never_loads(tmp_path, what, edit, message):
    """Each kind of bad edit to a tariff file is refused, naming the file and field (reg 2(1))."""
    rules = copy_rules(tmp_path)
    path = rules / "tariff" / "2025.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    edit(data)
    write(path, data)
    with pytest.raises(_data.DataFileError, match=message) as caught:
        _data.tariff_tables(rules)
    assert caught.value.reference == "rtaprotocol rule data files"


def test_broken_or_missing_files_are_refused(tmp_path):
    """A file that is not JSON, not an object, or a missing folder is refused, never skipped."""
    rules = copy_rules(tmp_path)
    (rules / "tariff" / "2025.json").write_text("{", encoding="utf-8")
    with pytest.raises(_data.DataFileError, match="not JSON"):
        _data.tariff_tables(rules)
    write(rules / "tariff" / "2025.json", [1])
    with pytest.raises(_data.DataFileError, match="a JSON object"):
        _data.tariff_tables(rules)
    shutil.rmtree(rules / "tariff")
    with pytest.raises(_data.DataFileError, match="no such rules folder"):
        _data.tariff_tables(rules)
    (rules / "tariff").mkdir()
    (rules / "tariff" / "README.txt").write_text("not a table", encoding="utf-8")
    with pytest.raises(_data.DataFileError, match="no data files"):
        _data.tariff_tables(rules)


FEE_EDITS = [
    ("twice", lambda d: d["rates"].append(dict(d["rates"][0])), "listed twice"),
    ("confidence", lambda d: d["rates"][0].update(confidence="P"), "expected one of"),
    ("amount", lambda d: d["rates"][0].update(fixed="£180"), "expected pounds"),
    ("rate", lambda d: d["rates"].append("x"), "expected an object"),
    ("empty", lambda d: d.update(rates=[]), "non-empty list of rates"),
]


@pytest.mark.parametrize(("what", "edit", "message"), FEE_EDITS, ids=[b[0] for b in FEE_EDITS])
def test_a_bad_medical_fees_file_never_loads(tmp_path, what, edit, message):
    """Each kind of bad edit to a medical-fees file is refused (guide 5.3)."""
    rules = copy_rules(tmp_path)
    path = rules / "medical-fees" / "2014.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    edit(data)
    write(path, data)
    with pytest.raises(_data.DataFileError, match=message):
        _data.medical_fee_files(rules)


def test_fee_citation_placeholder_is_filled():
    """A rate's ``{citation}`` is its file's citation, so the source is written once (guide 5.3.1)."""
    first = fees.MEDICAL_FEE_RATES[0]
    assert first.reference == "guide 5.3.1; " + fees.FIXED_FEES_2014
    assert all("{citation}" not in r.reference for r in fees.MEDICAL_FEE_RATES)


#: Run in a fresh interpreter whose RTAPROTOCOL_DATA_DIR holds the fixture table: every
#: entry point must value an accident on 2026-06-01 by Table 3, and one a day earlier by
#: Table 2 (whose end the new file set, with no other edit).
ENTRY_POINTS = textwrap.dedent(
    """
    import json, subprocess, sys
    from datetime import date, timedelta
    import pandas as pd
    from rtaprotocol import TARIFF_SCENARIOS, tariff_award, tariff_amount, mixed_injury_award
    from rtaprotocol.batch import value_claims
    out = {"scenarios": list(TARIFF_SCENARIOS)}
    award = tariff_award(12, accident_date=date(2026, 6, 1), psychological=True)
    out["award"] = [award.table.name, str(award.amount)]
    out["before"] = tariff_award(12, accident_date=date(2026, 5, 31)).table.name
    out["amount"] = str(tariff_amount(4, accident_date=date(2026, 6, 1)))
    out["scenario"] = str(tariff_award(2, accident_date=date(2022, 1, 1), tariff_table="2026").amount)
    out["mixed"] = str(mixed_injury_award(award, 2500, overlap=1000).total)
    frame = pd.DataFrame({"accident_date": pd.to_datetime(["2026-06-01", "2026-05-31"]),
                          "duration_months": [12, 12], "psychological": [True, True]})
    valued = value_claims(frame)
    out["batch"] = [list(valued["tariff_table"].astype(str)), [int(p) for p in valued["tariff_pence"]]]
    cli = subprocess.run([sys.executable, "-m", "rtaprotocol", "tariff", "12", "--psych",
                          "--accident-date", "2026-06-01", "--json"],
                         capture_output=True, text=True, check=True)
    out["cli"] = json.loads(cli.stdout)
    print(json.dumps(out))
    """
)


def test_a_new_tariff_table_is_one_data_file(tmp_path):
    """A new table is one file: dropped into the data directory, every entry point uses it.

    tariff_award, tariff_amount, the what-if scenario, mixed_injury_award (valuation),
    batch value_claims and the CLI ``tariff`` command all value an accident from the new
    table's first day by it (Whiplash Injury Regulations 2021 reg 2: the table in force on
    the accident date), and the day before by the table it follows.
    """
    rules = copy_rules(tmp_path)
    write(rules / "tariff" / "2026.json", FIXTURE_TABLE)
    env = {**os.environ, _data.DATA_DIR_ENV: str(rules), "PYTHONPATH": str(SRC)}
    run = subprocess.run(
        [sys.executable, "-c", ENTRY_POINTS], env=env, capture_output=True, text=True, check=False
    )
    assert run.returncode == 0, run.stderr
    out = json.loads(run.stdout)
    assert out["scenarios"] == ["2021", "2025", "2026"]
    assert out["award"] == ["Table 3", "1755.00"]
    assert out["before"] == "Table 2"
    assert out["amount"] == "622.00"
    assert out["scenario"] == "303.00"
    assert out["mixed"] == "3255.00"
    assert out["batch"] == [["Table 3", "Table 2"], [175_500, 159_500]]
    assert out["cli"]["table"] == "Table 3"
    assert out["cli"]["table_reference"] == FIXTURE_TABLE["citation"]
    assert out["cli"]["amount"] == "1755.00"


# --- the docs' tables, generated from the data files ----------------------------------------

DOCS = Path(__file__).resolve().parents[1] / "docs"
_BEGIN = "<!-- BEGIN GENERATED {name}: from src/rtaprotocol/data/rules; edit the data file, then run RTAPROTOCOL_UPDATE_GOLDEN=1 pytest tests/test_data.py -->"
_END = "<!-- END GENERATED {name} -->"


def _pounds(amount: Decimal) -> str:
    return f"{amount:,.0f}" if amount == amount.to_integral_value() else f"{amount:,.2f}"


def tariff_markdown() -> str:
    """The tariff tables side by side, as docs/valuation.md shows them (reg 2(1)(a), (b))."""
    tables = _data.tariff_tables()
    head = ["duration of injury"]
    for n, _ in enumerate(tables, 1):
        head += [f"T{n} whiplash", f"T{n} + minor psych"]
    lines = ["| " + " | ".join(head) + " |", "|---" + "|---:" * (2 * len(tables)) + "|"]
    for i, band in enumerate(tables[0].bands):
        if band.more_than_months == 0:
            label = f"not more than {band.not_more_than_months} months"
        else:
            label = f"more than {band.more_than_months}, not more than {band.not_more_than_months} months"
        cells = [label]
        for table in tables:
            row = table.bands[i]
            cells += [_pounds(row.whiplash), _pounds(row.whiplash_with_psych)]
        lines.append("| " + " | ".join(cells) + " |")
    lines.append("")
    for n, table in enumerate(tables, 1):
        last = table.applies_until - timedelta(days=1) if table.applies_until else None
        until = f" to {last}" if last else " on"
        lines.append(
            f'- T{n} ({table.name}, scenario `"{table.scenario}"`): accidents from '
            f"{table.applies_from}{until}; {table.citation} (confidence: {table.confidence.value})."
        )
    return "\n".join(lines)


def medical_fees_markdown() -> str:
    """The dated fee rates (guide 5.3; CPR 45.19(2A)), one row per rate, as data."""
    lines = [
        "| fee | from | until | fixed (before VAT) | cap | confidence |",
        "|---|---|---|---:|---:|---|",
    ]
    for f in _data.medical_fee_files():
        until = "" if f.applies_until is None else str(f.applies_until - timedelta(days=1))
        for r in f.rates:
            fixed = "unconfirmed" if r.fixed is None and r.cap is None else ""
            fixed = f"£{_pounds(r.fixed)}" if r.fixed is not None else fixed
            cap = f"£{_pounds(r.cap)}" if r.cap is not None else ""
            lines.append(
                f"| {r.kind} | {f.applies_from} | {until} | {fixed} | {cap} | {r.confidence} |"
            )
    lines.append("")
    lines.extend(
        f"- from {f.applies_from}: {f.citation} (confidence: {f.confidence.value})."
        for f in _data.medical_fee_files()
    )
    return "\n".join(lines)


def periods_markdown() -> str:
    """The guide's periods, as docs/deadlines.md shows them (guide 6.3.1 ff.)."""
    from rtaprotocol.deadlines import Period

    lines = ["| `Period` | business days | guide |", "|---|---:|---|"]
    for member in Period:
        entry = next(p for p in _data.periods()["oic-guide"] if p.name == member.value)
        lines.append(
            f"| `{member.name}` | {entry.business_days} | {entry.reference.removeprefix('guide ')} |"
        )
    return "\n".join(lines)


def fixed_costs_markdown() -> str:
    """The low-value protocols' fixed costs tables (CPR Part 45) and London weighting, as data."""

    def both(row: _data.FixedCostsData) -> str:
        low, high = f"£{_pounds(row.up_to_10000)}", f"£{_pounds(row.over_10000)}"
        return low if low == high else f"{low} / {high}"

    lines = [
        (
            "| claims accrued | protocol | Stage 1 | Stage 2, damages up to £10,000 | Stage 2, "
            "over £10,000 | Stage 3 Type A / B / C | marks (Stages 1-2; 3) |"
        ),
        "|---|---|---:|---:|---:|---:|:---:|",
    ]
    tables = _data.fixed_costs_tables()
    for t in tables:
        until = "on" if t.applies_until is None else f"to {t.applies_until - timedelta(days=1)}"
        for proto, label in (("rta", "RTA"), ("elpl", "EL/PL")):
            rows = {r.stage: r for r in t.costs + t.stage3 if r.protocol == proto}
            stage3 = " / ".join(both(rows[f"3{k}"]) for k in "ABC")
            lines.append(
                f"| {t.applies_from} {until} | {label} | {both(rows['1'])} | "
                f"£{_pounds(rows['2'].up_to_10000)} | £{_pounds(rows['2'].over_10000)} | "
                f"{stage3} | {t.confidence.mark}; {t.stage3_confidence.mark} |"
            )
    lines.append("")
    lines.extend(
        f"- from {t.applies_from}: {t.citation} {t.confidence.mark}; Stage 3: "
        f"{t.stage3_citation} {t.stage3_confidence.mark}. Note: {t.note}."
        for t in tables
    )
    london = _data.london_weighting()
    for rate in london.rates:
        until = (
            "" if rate.applies_until is None else f" to {rate.applies_until - timedelta(days=1)}"
        )
        lines.append(
            f"- London weighting from {rate.applies_from}{until}: {rate.percent}% "
            f"({rate.reference}) {rate.confidence.mark}."
        )
    return "\n".join(lines)


GENERATED = [
    ("deadlines.md", "periods", periods_markdown),
    ("sibling-systems.md", "fixed-costs", fixed_costs_markdown),
    ("valuation.md", "tariff-tables", tariff_markdown),
    ("losses.md", "medical-fee-rates", medical_fees_markdown),
]


@pytest.mark.parametrize(("page", "name", "render"), GENERATED, ids=[g[1] for g in GENERATED])
def test_docs_tables_are_generated_from_the_data(page, name, render):
    """The docs' tables of dated figures are the data files' figures: a hand edit fails.

    The region between the BEGIN/END GENERATED markers of the page is rendered from the
    data files (reg 2 tariff tables; guide 5.3 fees); RTAPROTOCOL_UPDATE_GOLDEN=1 rewrites it.
    """
    path = DOCS / page
    text = path.read_text(encoding="utf-8")
    begin, end = _BEGIN.format(name=name), _END.format(name=name)
    assert begin in text, f"{page} has no generated region {name!r}"
    before, rest = text.split(begin, 1)
    current, after = rest.split(end, 1)
    wanted = "\n" + render() + "\n"
    if os.environ.get("RTAPROTOCOL_UPDATE_GOLDEN") == "1" and current != wanted:
        path.write_text(before + begin + wanted + end + after, encoding="utf-8")
        current = wanted
    assert current == wanted, f"{page}: the {name} table differs from the data files; regenerate it"


# --- periods --------------------------------------------------------------------------------


def test_periods_are_the_data_files_entries():
    """Period and PROTOCOL_PERIODS are the periods files' entries, one member per entry (guide 6.3.1)."""
    from rtaprotocol.deadlines import Period
    from rtaprotocol.lowvalue import PROTOCOL_PERIODS

    sets = _data.periods()
    assert [p.name for p in sets["oic-guide"]] == [m.value for m in Period]
    assert [p.business_days for p in sets["oic-guide"]] == [m.business_days for m in Period]
    assert Period.LIABILITY_RESPONSE.business_days == 30
    assert list(PROTOCOL_PERIODS) == [(p.protocol, p.name) for p in sets["low-value-protocols"]]
    assert PROTOCOL_PERIODS[("rta", "cnf_response")].confidence is Confidence.SECONDARY


PERIOD_EDITS = [
    ("zero days", lambda d: d["periods"][0].update(business_days=0), "expected 1 to 100"),
    ("typo days", lambda d: d["periods"][0].update(business_days=300), "expected 1 to 100"),
    ("twice", lambda d: d["periods"].append(dict(d["periods"][0])), "listed twice"),
    ("renamed", lambda d: d.update(set="guide"), "named after its set"),
    ("entry", lambda d: d["periods"].append(3), "expected an object"),
    ("empty", lambda d: d.update(periods=[]), "non-empty list of periods"),
]


@pytest.mark.parametrize(
    ("what", "edit", "message"), PERIOD_EDITS, ids=[b[0] for b in PERIOD_EDITS]
)
def test_a_bad_periods_file_never_loads(tmp_path, what, edit, message):
    """Each kind of bad edit to a periods file is refused (guide 6.3.1: periods in business days)."""
    rules = copy_rules(tmp_path)
    path = rules / "periods" / "oic-guide.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    edit(data)
    write(path, data)
    with pytest.raises(_data.DataFileError, match=message):
        _data.periods(rules)


def test_a_changed_period_is_one_data_entry(tmp_path):
    """Changing a period's length is one number in its data file; the deadline moves with it.

    guide 6.5.3.1 gives the compensator 20 business days to make an offer; a fixture file
    saying 25 moves Period.OFFER and the deadlines computed from it, with no code edit. An
    entry with no member (a new period needs its name in the code) is refused at import.
    """
    rules = copy_rules(tmp_path)
    path = rules / "periods" / "oic-guide.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    next(p for p in data["periods"] if p["slug"] == "offer")["business_days"] = 25
    write(path, data)
    env = {**os.environ, _data.DATA_DIR_ENV: str(rules), "PYTHONPATH": str(SRC)}
    code = "from rtaprotocol.deadlines import Period; print(Period.OFFER.business_days)"
    run = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False
    )
    assert run.stdout.strip() == "25", run.stderr
    data["periods"] = [p for p in data["periods"] if p["slug"] != "offer"]
    write(path, data)
    run = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False
    )
    assert run.returncode != 0
    assert "DataFileError" in run.stderr
    assert "no entry for the period" in run.stderr


# --- loss types -----------------------------------------------------------------------------


def test_loss_types_are_the_data_files_named_entries():
    """LossType and MOBILITY_LOSS_TYPES are the loss-types file's named entries (guide 5.2, 4.4)."""
    from rtaprotocol.losses import MOBILITY_LOSS_TYPES, CruHead, LossType

    entries = _data.loss_types()
    assert [e.slug for e in entries] == [t.value for t in LossType]
    for entry, member in zip(entries, LossType, strict=True):
        assert (entry.label, entry.head, entry.evidence) == (
            member.label,
            member.head.value,
            member.evidence,
        )
        assert (entry.reference, entry.vehicle_cost) == (member.reference, member.vehicle_cost)
    assert LossType.INJURY_CARE.cru_head is CruHead.CARE
    assert list(MOBILITY_LOSS_TYPES) == [LossType.INJURY_TRAVEL]
    assert LossType.INJURY_TRAVEL.cru_head is CruHead.MOBILITY


LOSS_EDITS = [
    ("bool as text", lambda d: d["loss_types"][0].update(vehicle_cost="true"), "expected bool"),
    ("twice", lambda d: d["loss_types"].append(dict(d["loss_types"][0])), "listed twice"),
    ("slug", lambda d: d["loss_types"][0].update(slug="Property Repairs"), "lower-case slug"),
    ("both", lambda d: d["loss_types"][-2].update(cru_head="care"), "CRU head and a mobility"),
    ("typo", lambda d: d["loss_types"][0].update(lable="x"), "unknown field"),
    ("entry", lambda d: d["loss_types"].append(None), "expected an object"),
    ("empty", lambda d: d.update(loss_types=[]), "non-empty list of loss types"),
]


@pytest.mark.parametrize(("what", "edit", "message"), LOSS_EDITS, ids=[b[0] for b in LOSS_EDITS])
def test_a_bad_loss_types_file_never_loads(tmp_path, what, edit, message):
    """Each kind of bad edit to the loss-types file is refused (guide 5.2)."""
    rules = copy_rules(tmp_path)
    path = rules / "loss-types" / "oic-guide.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    edit(data)
    write(path, data)
    with pytest.raises(_data.DataFileError, match=message):
        _data.loss_types(rules)


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (
            lambda d: d["loss_types"].append({**d["loss_types"][0], "slug": "property-new"}),
            "no LossType member",
        ),
        (lambda d: d["loss_types"][0].update(head="personal"), "not a Head"),
        (lambda d: d["loss_types"][0].update(cru_head="rent"), "not a CruHead"),
    ],
    ids=["no member", "head", "cru head"],
)
def test_a_loss_type_entry_the_code_cannot_use_is_refused_at_import(tmp_path, edit, message):
    """A new loss type is one data entry plus its member; an entry the code cannot use fails import.

    An entry with no LossType member, or naming a head or Sch 2 head that does not exist,
    never loads silently (guide 5.2; Social Security (Recovery of Benefits) Act 1997 Sch 2).
    """
    rules = copy_rules(tmp_path)
    path = rules / "loss-types" / "oic-guide.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    edit(data)
    write(path, data)
    env = {**os.environ, _data.DATA_DIR_ENV: str(rules), "PYTHONPATH": str(SRC)}
    run = subprocess.run(
        [sys.executable, "-c", "import rtaprotocol.losses"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode != 0
    assert "DataFileError" in run.stderr
    assert message in run.stderr


# --- the schema enums that list these values -------------------------------------------------

SCHEMAS = Path(str(resources.files("rtaprotocol") / "data" / "schemas"))


def _enums_at(node: object, key: str) -> list[list[object]]:
    """Every ``enum`` under a property named ``key`` anywhere in a schema."""
    found: list[list[object]] = []
    if isinstance(node, dict):
        prop = node.get("properties", {})
        if isinstance(prop, dict) and isinstance(prop.get(key), dict) and "enum" in prop[key]:
            found.append(prop[key]["enum"])
        for value in node.values():
            found += _enums_at(value, key)
    elif isinstance(node, list):
        for value in node:
            found += _enums_at(value, key)
    return found


@pytest.mark.parametrize("schema", ["list-of-losses", "claim"])
def test_schema_loss_type_enums_are_the_data(schema):
    """The schemas' enum of loss types is the loss-types data, in order (guide 5.2).

    A new loss type added to the data but not to a schema fails here, so the schema a
    portal validates against never refuses a type the library accepts.
    """
    tree = json.loads((SCHEMAS / f"{schema}.schema.json").read_text(encoding="utf-8"))
    enums = _enums_at(tree, "type")
    slugs = [t.slug for t in _data.loss_types()]
    loss_enums = [e for e in enums if "property-repairs" in e]
    assert loss_enums, f"{schema} lists no loss types"
    assert all(e == slugs for e in loss_enums)


# --- value limits ---------------------------------------------------------------------------


def test_limits_are_the_data_files_entries():
    """The portal's limits and the small claims limits are the limits files' dated entries.

    guide 1.1, 4.1, 4.4.3 (£5,000 injury, £10,000 total); CPR 26.9(1) (the small claims
    track limits, dated).
    """
    from rtaprotocol import limits, routing

    sets = _data.limits()
    assert limits.INJURY_LIMIT == Decimal("5000.00") == sets["oic-portal"][0].amount
    assert limits.TOTAL_LIMIT == Decimal("10000.00") == sets["oic-portal"][1].amount
    assert [(x.kind, x.applies_from, x.applies_until, x.amount) for x in sets["small-claims"]] == [
        (x.kind, x.applies_from, x.applies_until, x.amount) for x in routing.SMALL_CLAIMS_LIMITS
    ]
    assert routing.SMALL_CLAIMS_LIMITS[2].confidence is Confidence.PRIMARY


LIMIT_EDITS = [
    ("gap", lambda d: d["limits"][2].update(applies_from="2021-06-01"), "follow on day by day"),
    ("overlap", lambda d: d["limits"][1].update(applies_until=None), "follow on day by day"),
    ("backwards", lambda d: d["limits"][1].update(applies_until="2012-01-01"), "ends before"),
    ("amount", lambda d: d["limits"][0].update(amount=10000), "expected pounds"),
    ("renamed", lambda d: d.update(set="small"), "named after its set"),
    ("entry", lambda d: d["limits"].append([]), "expected an object"),
    ("empty", lambda d: d.update(limits=[]), "non-empty list of limits"),
]


@pytest.mark.parametrize(("what", "edit", "message"), LIMIT_EDITS, ids=[b[0] for b in LIMIT_EDITS])
def test_a_bad_limits_file_never_loads(tmp_path, what, edit, message):
    """Each kind of bad edit to a limits file is refused: a limit never has a gap or overlap (CPR 26.9)."""
    rules = copy_rules(tmp_path)
    path = rules / "limits" / "small-claims.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    edit(data)
    write(path, data)
    with pytest.raises(_data.DataFileError, match=message):
        _data.limits(rules)


# --- the sources registry -------------------------------------------------------------------


def test_sources_registry_is_the_data_file():
    """SOURCES is the registry file's entries, in order, with named pinpoint patterns expanded."""
    from rtaprotocol.sources import SOURCES

    entries = _data.sources()
    assert list(SOURCES) == [s.id for s in entries]
    guide = SOURCES["oic-guide"]
    assert guide.confidence is Confidence.PRIMARY
    assert guide.checked == date(2026, 11, 28)
    assert "Appendix" in guide.pinpoint


SOURCE_EDITS = [
    ("twice", lambda d: d["sources"].append(dict(d["sources"][0])), "listed twice"),
    ("shared name", lambda d: d["sources"][1]["names"].append("guide"), "share a name"),
    ("pattern", lambda d: d["sources"][0].update(pinpoint="@chapter"), "no such named pattern"),
    ("regex", lambda d: d["sources"][1].update(pinpoint="para ("), "not a regular expression"),
    ("checked", lambda d: d["sources"][0].update(checked="28 Nov 2026"), "expected an ISO date"),
    ("names", lambda d: d["sources"][0].update(names=[]), "non-empty list of names"),
    ("id", lambda d: d["sources"][0].update(id="OIC guide"), "lower-case slug"),
    ("entry", lambda d: d["sources"].append("x"), "expected an object"),
    ("empty", lambda d: d.update(sources=[]), "non-empty list of sources"),
]


@pytest.mark.parametrize(
    ("what", "edit", "message"), SOURCE_EDITS, ids=[b[0] for b in SOURCE_EDITS]
)
def test_a_bad_sources_file_never_loads(tmp_path, what, edit, message):
    """Each kind of bad edit to the sources registry is refused: a citation must resolve to one source."""
    rules = copy_rules(tmp_path)
    path = rules / "sources" / "registry.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    edit(data)
    write(path, data)
    with pytest.raises(_data.DataFileError, match=message):
        _data.sources(rules)


def test_one_confidence():
    """There is one Confidence: the registry's, the figures' and the top level's are one class."""
    import rtaprotocol
    from rtaprotocol import lowvalue, sources

    assert rtaprotocol.Confidence is lowvalue.Confidence is sources.Confidence is Confidence
    assert Confidence("U") is Confidence("unconfirmed") is Confidence.UNCONFIRMED
    assert [c.code for c in Confidence] == ["P", "S", "U"]
    with pytest.raises(ValueError, match="'sure' is not a valid Confidence"):
        Confidence("sure")


# --- the low-value protocols' fixed costs and London weighting -------------------------------


def test_fixed_costs_tables_and_london_weighting_are_the_data_files():
    """FIXED_COSTS_TABLES and LONDON_WEIGHTING are the fixed-costs and london-weighting files.

    CPR 45.18 Tables 6 and 6A (claims accrued before 1 October 2023, SI 2023/572
    r.2(2)(a)), Part 45 Section III after; London weighting CPR 45.18(3), then 45.3. Each
    table ends the day before the next begins.
    """
    from rtaprotocol.lowvalue import FIXED_COSTS_TABLES, LONDON_WEIGHTING, fixed_costs

    files = _data.fixed_costs_tables()
    assert [t.applies_from for t in FIXED_COSTS_TABLES] == [f.applies_from for f in files]
    assert [t.applies_until for t in FIXED_COSTS_TABLES] == [
        date(2023, 9, 30),
        date(2024, 4, 5),
        None,
    ]
    for table, data in zip(FIXED_COSTS_TABLES, files, strict=True):
        assert (table.reference, table.confidence, table.note) == (
            data.citation,
            data.confidence,
            data.note,
        )
        assert (table.stage3_reference, table.stage3_confidence) == (
            data.stage3_citation,
            data.stage3_confidence,
        )
        for row in data.costs:
            assert table.rows[(row.protocol, int(row.stage), "up_to_10000")] == row.up_to_10000
            assert table.rows[(row.protocol, int(row.stage), "over_10000")] == row.over_10000
        for row in data.stage3:
            assert table.stage3[(row.protocol, row.stage[1], "over_10000")] == row.over_10000
    assert FIXED_COSTS_TABLES[0].rows[("elpl", 2, "over_10000")] == Decimal("1300.00")
    london = _data.london_weighting()
    assert LONDON_WEIGHTING.value == london.rates[-1].percent == Decimal("12.5")
    assert LONDON_WEIGHTING.reference == london.citation
    assert [r.reference for r in london.rates] == ["CPR 45.18(3)", "CPR 45.3"]
    old = fixed_costs("rta", 1, "5000", accrued_on=date(2023, 9, 30), london=True)
    assert old.reference.endswith("London weighting: CPR 45.18(3)")


COSTS_EDITS = [
    ("missing row", lambda d: d["costs"].pop(), "expected each protocol's stage once"),
    ("row twice", lambda d: d["costs"].append(dict(d["costs"][0])), "stage once"),
    ("stage 3 row", lambda d: d["costs"][0].update(stage=3), "expected one of"),
    ("stage as text", lambda d: d["costs"][0].update(stage="1"), "expected one of"),
    ("protocol", lambda d: d["costs"][0].update(protocol="el"), "expected one of"),
    ("float", lambda d: d["costs"][0].update(over_10000=200.0), "expected pounds as a string"),
    ("type D", lambda d: d["stage3"]["costs"][0].update(type="D"), "expected one of"),
    ("type missing", lambda d: d["stage3"]["costs"].pop(), "expected each protocol's type once"),
    ("stage3 mark", lambda d: d["stage3"].update(confidence="?"), "expected P, S or U"),
    ("stage3 kind", lambda d: d.update(stage3=[]), "expected an object"),
    ("unknown", lambda d: d["costs"][0].update(stage_2="1"), "unknown field"),
    ("no note", lambda d: d.pop("note"), "note: 2024.json: missing field"),
    ("same day", lambda d: d.update(applies_from="2023-10-01"), "same day"),
    ("empty", lambda d: d.update(costs=[]), "non-empty list of costs"),
    ("entry", lambda d: d["costs"].append("x"), "expected an object"),
]


@pytest.mark.parametrize(("what", "edit", "message"), COSTS_EDITS, ids=[b[0] for b in COSTS_EDITS])
def test_a_bad_fixed_costs_file_never_loads(tmp_path, what, edit, message):
    """Each bad edit to a fixed costs table is refused: every protocol and stage once (CPR 45)."""
    rules = copy_rules(tmp_path)
    path = rules / "fixed-costs" / "2024.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    edit(data)
    write(path, data)
    with pytest.raises(_data.DataFileError, match=message):
        _data.fixed_costs_tables(rules)


LONDON_EDITS = [
    ("float", lambda d: d["rates"][0].update(percent=12.5), "expected a percent"),
    ("zero", lambda d: d["rates"][0].update(percent="0"), "expected a percent"),
    ("over 100", lambda d: d["rates"][0].update(percent="125"), "expected a percent"),
    ("same day", lambda d: d["rates"][1].update(applies_from="2013-07-31"), "same day"),
    ("renamed", lambda d: d.update(set="london"), "named after its set"),
    ("no reference", lambda d: d["rates"][0].pop("reference"), "missing field"),
    ("entry", lambda d: d["rates"].append(1), "expected an object"),
    ("empty", lambda d: d.update(rates=[]), "non-empty list of rates"),
]


@pytest.mark.parametrize(
    ("what", "edit", "message"), LONDON_EDITS, ids=[b[0] for b in LONDON_EDITS]
)
def test_a_bad_london_weighting_file_never_loads(tmp_path, what, edit, message):
    """Each bad edit to the London weighting rates is refused (CPR 45.18(3), 45.3: 12.5%)."""
    rules = copy_rules(tmp_path)
    path = rules / "london-weighting" / "cpr-45.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    edit(data)
    write(path, data)
    with pytest.raises(_data.DataFileError, match=message):
        _data.london_weighting(rules)


def test_london_weighting_is_one_file(tmp_path):
    """Its rates are dated entries of one file: a second file is refused, not merged."""
    rules = copy_rules(tmp_path)
    shutil.copy(rules / "london-weighting" / "cpr-45.json", rules / "london-weighting" / "x.json")
    with pytest.raises(_data.DataFileError, match="expected one file"):
        _data.london_weighting(rules)


#: Run with RTAPROTOCOL_DATA_DIR holding a fixture uprating of the fixed costs and of
#: London weighting from 2026-06-01: the library and the CLI use it from that day.
COSTS_ENTRY_POINTS = textwrap.dedent(
    """
    import json, subprocess, sys
    from datetime import date
    from rtaprotocol import FIXED_COSTS_TABLES, LONDON_WEIGHTING, fixed_costs
    out = {"tables": [str(t.applies_from) for t in FIXED_COSTS_TABLES],
           "until": str(FIXED_COSTS_TABLES[-2].applies_until), "percent": str(LONDON_WEIGHTING.value)}
    new = fixed_costs("rta", 2, "10000.01", accrued_on=date(2026, 6, 1), london=True)
    out["new"] = [str(new.base_amount), str(new.amount), new.reference, new.confidence.code]
    out["before"] = str(fixed_costs("rta", 2, "10000.01", accrued_on=date(2026, 5, 31)).amount)
    out["stage3"] = str(fixed_costs("el", 3, "5000", accrued_on=date(2026, 6, 1), stage3_type="C").amount)
    cli = subprocess.run([sys.executable, "-m", "rtaprotocol", "lowvalue", "costs", "rta", "1", "5000",
                          "--accrued-on", "2026-06-01", "--london", "--json"],
                         capture_output=True, text=True, check=True)
    out["cli"] = json.loads(cli.stdout)
    print(json.dumps(out))
    """
)


def test_a_new_fixed_costs_table_is_one_data_file(tmp_path):
    """A fixed costs uprating is one file; a London weighting change is one dated entry.

    Dropped into the data directory, ``fixed_costs`` (the library and the CLI's
    ``lowvalue costs``) uses the new table for claims accrued from its first day and the
    table before for the day before (SI 2023/572 r.2(2)(a): the key date is accrual), and
    the London weighting rate in force on the table's first day (CPR 45.3).
    """
    rules = copy_rules(tmp_path)
    data = json.loads((rules / "fixed-costs" / "2024.json").read_text(encoding="utf-8"))
    data.update(applies_from="2026-06-01", citation="a fixture uprating (tests only)")
    data["costs"][0].update(up_to_10000="220", over_10000="220")
    data["costs"][1].update(over_10000="660")
    data["stage3"]["costs"][5].update(up_to_10000="165", over_10000="165")
    write(rules / "fixed-costs" / "2026.json", data)
    london = json.loads((rules / "london-weighting" / "cpr-45.json").read_text(encoding="utf-8"))
    london["rates"].append(
        {"applies_from": "2026-06-01", "percent": "15", "reference": "a fixture", "confidence": "U"}
    )
    write(rules / "london-weighting" / "cpr-45.json", london)
    env = {**os.environ, _data.DATA_DIR_ENV: str(rules), "PYTHONPATH": str(SRC)}
    run = subprocess.run(
        [sys.executable, "-c", COSTS_ENTRY_POINTS],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    out = json.loads(run.stdout)
    assert out["tables"] == ["2013-07-31", "2023-10-01", "2024-04-06", "2026-06-01"]
    assert out["until"] == "2026-05-31"
    assert out["percent"] == "15"
    assert out["new"] == [
        "660.00",
        "759.00",
        "a fixture uprating (tests only); London weighting: a fixture",
        "U",
    ]
    assert out["before"] == "600.00"
    assert out["stage3"] == "165.00"
    assert (out["cli"]["amount"], out["cli"]["london_weighting"]) == ("253.00", "33.00")


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (
            lambda rules: (rules / "fixed-costs" / "2013.json").unlink(),
            "the first table applies from the extended protocols' first day",
        ),
        (
            lambda rules: write(
                rules / "london-weighting" / "cpr-45.json",
                {
                    **json.loads(
                        (rules / "london-weighting" / "cpr-45.json").read_text(encoding="utf-8")
                    ),
                    "rates": [
                        {
                            "applies_from": "2023-10-01",
                            "percent": "12.5",
                            "reference": "CPR 45.3",
                            "confidence": "S",
                        }
                    ],
                },
            ),
            "the rates must cover every fixed costs table",
        ),
    ],
    ids=["first table late", "london rates late"],
)
def test_fixed_costs_data_the_rules_cannot_use_is_refused_at_import(tmp_path, edit, message):
    """Tables that leave claims from 31 July 2013 uncovered (RTA Protocol para 4.1(1)), or a
    table with no London weighting rate (CPR 45.18(3)), stop the import: never a fallback."""
    rules = copy_rules(tmp_path)
    edit(rules)
    env = {**os.environ, _data.DATA_DIR_ENV: str(rules), "PYTHONPATH": str(SRC)}
    run = subprocess.run(
        [sys.executable, "-c", "import rtaprotocol.lowvalue"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode != 0
    assert "DataFileError" in run.stderr
    assert message in run.stderr
