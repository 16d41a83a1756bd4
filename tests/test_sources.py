"""Tests for rtaprotocol/sources.py: the registry, the reference grammar, and the walk that
finds every reference the package can emit and checks each one resolves.

Errors raised at run time are checked by the session-wide recorder in conftest.py; this
module checks everything visible without running a rule: module constants, enum members,
data tables (tariff tables, JCG brackets, criteria, exit reasons) and the registry itself.
"""

from __future__ import annotations

import enum
import importlib
import json
import pickle
import pkgutil
import re
from collections.abc import Iterator, Mapping
from datetime import date
from pathlib import Path

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import rtaprotocol
from rtaprotocol.errors import RulesError
from rtaprotocol.sources import SOURCES, Citation, Confidence, Reference, cite, resolve, source

ROOT = Path(__file__).resolve().parent.parent


# --- walking every reference the package can emit ----------------------------------------


def all_modules() -> Iterator[object]:
    """Every module of the package, found on disk: modules added later are walked too."""
    yield rtaprotocol
    for info in pkgutil.walk_packages(rtaprotocol.__path__, "rtaprotocol."):
        if info.name.endswith("__main__"):
            continue
        yield importlib.import_module(info.name)


def _is_reference_name(name: str) -> bool:
    lowered = name.lower()
    return "reference" in lowered or lowered in {"regulation", "citation", "citations"}


def _walk(value: object, where: str, seen: set[int], depth: int = 0) -> Iterator[tuple[str, str]]:
    """Yield (where, text) for every reference-named string inside ``value``."""
    if depth > 6 or id(value) in seen:
        return
    seen.add(id(value))
    if isinstance(value, enum.EnumMeta):
        for member in value:  # type: ignore[var-annotated]
            yield from _walk(member, f"{where}.{member.name}", seen, depth + 1)
        return
    if isinstance(value, enum.Enum):
        for name, attr in vars(value).items():
            if _is_reference_name(name) and isinstance(attr, str):
                yield f"{where}.{name}", attr
        return
    if attrs.has(type(value)):
        for field in attrs.fields(type(value)):
            attr = getattr(value, field.name)
            if _is_reference_name(field.name) and isinstance(attr, str):
                yield f"{where}.{field.name}", attr
            else:
                yield from _walk(attr, f"{where}.{field.name}", seen, depth + 1)
        return
    if isinstance(value, Mapping):
        for key, item in value.items():
            if isinstance(item, str) and isinstance(key, str) and _is_reference_name(key):
                yield f"{where}[{key!r}]", item
            elif not isinstance(item, str):
                yield from _walk(item, f"{where}[{key!r}]", seen, depth + 1)
        return
    if isinstance(value, (tuple, list, frozenset, set)):
        for i, item in enumerate(value):
            yield from _walk(item, f"{where}[{i}]", seen, depth + 1)


def static_references() -> list[tuple[str, str]]:
    """Every reference visible without running a rule, as (where, text)."""
    found: list[tuple[str, str]] = []
    for module in all_modules():
        seen: set[int] = set()
        modname = module.__name__  # type: ignore[attr-defined]
        for name, value in vars(module).items():
            owner = getattr(value, "__module__", modname)
            if name.startswith("__") or (
                owner != modname and not isinstance(value, (str, Mapping, tuple))
            ):
                continue
            where = f"{modname}.{name}"
            if isinstance(value, str):
                if _is_reference_name(name):
                    found.append((where, value))
            elif isinstance(value, Mapping) and _is_reference_name(name):
                found.extend((f"{where}[{k!r}]", v) for k, v in value.items() if isinstance(v, str))
            else:
                found.extend(_walk(value, where, seen))
    return found


STATIC = static_references()


def test_the_walk_finds_the_known_kinds_of_reference():
    """The walk reaches module constants, enum members, tables, brackets and criteria."""
    places = {where for where, _ in STATIC}
    for expected in (
        "rtaprotocol.money.MONEY_REFERENCE",
        "rtaprotocol.deductions.LIABILITY_REFERENCE",
        "rtaprotocol.deadlines.Period.LIABILITY_RESPONSE.reference",
        "rtaprotocol.eligibility.ExitReason.PROTECTED_PARTY.reference",
        "rtaprotocol.tariff.TARIFF_TABLES[0].reference",
        "rtaprotocol.eligibility.CRITERIA[0].reference",
        "rtaprotocol.cli.negotiate.FILE_REFERENCE",
    ):
        assert expected in places, expected
    assert len(STATIC) > 60


@pytest.mark.parametrize(("where", "text"), STATIC, ids=[w for w, _ in STATIC])
def test_every_static_reference_resolves(where, text):
    """Each reference names a registered source, with a pinpoint where one is needed."""
    citations = resolve(text)
    assert citations, where


def test_guide_pinpoints_are_real_sections():
    """Every guide pinpoint the package emits is a numbered section of the guide."""
    from rtaprotocol.coverage import guide_sections

    sections = {s.number for s in guide_sections()}
    for where, text in STATIC:
        for c in cite(text):
            if c.source.id == "oic-guide":
                base = re.sub(r" ?\(.*$", "", c.pinpoint)
                assert base in sections, f"{where}: {text!r} cites guide {base}"


# --- the registry ----------------------------------------------------------------------


def test_registry_ids_are_stable_slugs_and_complete():
    for key, src in SOURCES.items():
        assert key == src.id
        assert re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", src.id)
        assert src.title
        assert src.publisher
        assert src.note
        assert src.names
        assert src.checked <= date(2026, 12, 31)
        assert src.url is None or src.url.startswith("https://")
        assert isinstance(src.confidence, Confidence)
    for required in (
        "oic-guide",
        "rta-small-claims-protocol",
        "cla-2018",
        "whiplash-regs-2021",
        "whiplash-amendment-2025",
        "hassam-uksc-2024",
        "hassam-ewca-2023",
        "ssrba-1997",
        "limitation-act-1980",
        "cpr-26",
        "cpr-pd-27a",
        "cpr-pd-51zb",
        "jcg-17",
        "govuk-bank-holidays",
        "bfda-1971",
        "low-value-rta-protocol",
        "elpl-protocol",
        "claims-portal",
        "hmcts-damages-claims",
    ):
        assert required in SOURCES


def test_unconfirmed_items_say_so():
    """The 2025 amendment's SI number is unconfirmed, and its note says so."""
    note = source("whiplash-amendment-2025").note
    assert "SI number is UNCONFIRMED" in note
    assert "UNCONFIRMED" in source("rta-small-claims-protocol").note or "unconfirmed" in (
        source("rta-small-claims-protocol").note
    )


def test_no_two_sources_share_a_name():
    names = [n for s in SOURCES.values() for n in s.names]
    assert len(names) == len(set(names))


def test_unknown_source_id_is_refused():
    with pytest.raises(RulesError, match="no such source"):
        source("nope")
    with pytest.raises(RulesError, match="no such source"):
        source(["unhashable"])  # type: ignore[arg-type]


# --- the grammar ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("guide 6.5.2", [("oic-guide", "6.5.2")]),
        ("guide 6.5.2 (1), 6.5.2.1", [("oic-guide", "6.5.2 (1)"), ("oic-guide", "6.5.2.1")]),
        (
            "Civil Liability Act 2018 s.3: a tariff injury lasts not more than 2 years; guide 4.4.1",
            [("cla-2018", "s.3"), ("oic-guide", "4.4.1")],
        ),
        ("Whiplash Injury Regulations 2021, reg 3(3)", [("whiplash-regs-2021", "reg 3(3)")]),
        (
            "Whiplash Injury Regulations 2021, reg 2(1)(a) or 2(1)(b)",
            [("whiplash-regs-2021", "reg 2(1)(a)"), ("whiplash-regs-2021", "reg 2(1)(b)")],
        ),
        (
            "amounts are pounds and pence, never negative (guide 4.4, 6.5.2)",
            [("oic-guide", "4.4"), ("oic-guide", "6.5.2")],
        ),
        (
            "Limitation Act 1980 ss.11, 28; guide 5.4",
            [
                ("limitation-act-1980", "s.11"),
                ("limitation-act-1980", "s.28"),
                ("oic-guide", "5.4"),
            ],
        ),
        (
            "guide 4.1, 4.2; protocol para 4.3",
            [("oic-guide", "4.1"), ("oic-guide", "4.2"), ("rta-small-claims-protocol", "para 4.3")],
        ),
        (
            "guide 1.1.1 (non-protocol vehicle costs), 5.3 (fees)",
            [("oic-guide", "1.1.1"), ("oic-guide", "5.3")],
        ),
        (
            "Hassam v Rabot [2024] UKSC 11; [2023] EWCA Civ 19; guide 4.4.2: the overlap",
            [("hassam-uksc-2024", ""), ("hassam-ewca-2023", ""), ("oic-guide", "4.4.2")],
        ),
        (
            "Social Security (Recovery of Benefits) Act 1997, Sch 2; guide 6.5.2.2",
            [("ssrba-1997", "Sch 2"), ("oic-guide", "6.5.2.2")],
        ),
        (
            "the column contract of rtaprotocol.batch.value_claims (rtaprotocol batch columns)",
            [("rtaprotocol", "batch columns")],
        ),
        ("a guide's Appendix", []),
        ("non-protocol vehicle costs", []),
        ("guide 4.1.", [("oic-guide", "4.1")]),
    ],
)
def test_grammar(text, expected):
    assert [(c.source.id, c.pinpoint) for c in cite(text)] == expected


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("", "names no registered source"),
        ("the batch functions work row by row", "names no registered source"),
        ("see the guide", "without a pinpoint"),
        ("Limitation Act 1980", "without a pinpoint"),
        ("guide 9.9", "without a pinpoint"),
        ("guide 6.9", "not a numbered section"),
        ("guide 4.4.1 (1), 6.5.2.3", "guide 6.5.2.3, which is not"),
    ],
)
def test_unresolved_references_are_refused(text, words):
    with pytest.raises(RulesError, match=words) as info:
        resolve(text)
    assert info.value.field == "reference"


@given(st.text(max_size=60))
def test_cite_never_raises_and_citations_are_registered(text):
    for c in cite(text):
        assert SOURCES[c.source.id] is c.source
        assert c.text.startswith(tuple(c.source.names))


# --- Reference ----------------------------------------------------------------------------


def test_reference_is_its_text():
    ref = Reference("guide 6.5.2 (1)")
    assert ref == "guide 6.5.2 (1)"
    assert hash(ref) == hash("guide 6.5.2 (1)")
    assert str(ref) == "guide 6.5.2 (1)"
    assert type(str(ref)) is str
    assert repr(ref) == "'guide 6.5.2 (1)'"
    assert json.dumps(ref) == '"guide 6.5.2 (1)"'
    assert pickle.loads(pickle.dumps(ref)) == ref
    assert ref.to_dict() == {
        "text": "guide 6.5.2 (1)",
        "citations": [{"source": "oic-guide", "pinpoint": "6.5.2 (1)", "text": "guide 6.5.2 (1)"}],
    }


def test_emit_points_hold_references():
    """Periods, exit reasons, criteria, tariff tables and deduction steps hold References."""
    from rtaprotocol import CRITERIA, TARIFF_TABLES, ExitReason, Period, compute_payment

    held = [
        Period.OFFER.reference,
        ExitReason.PROTECTED_PARTY.reference,
        CRITERIA[0].reference,
        TARIFF_TABLES[0].reference,
        compute_payment({}).steps[0].reference,
    ]
    assert all(isinstance(r, Reference) and resolve(r) for r in held)
    assert repr(source("oic-guide")).startswith("Source(id='oic-guide', title=")


def test_errors_carry_references():
    err = RulesError("bad", reference="guide 6.5.2")
    assert isinstance(err.reference, Reference)
    assert err.reference.citations == (Citation(source("oic-guide"), "6.5.2", "guide 6.5.2"),)
    again = pickle.loads(pickle.dumps(err))
    assert isinstance(again.reference, Reference)
    assert again.reference == "guide 6.5.2"


# --- the CLI and the generated page ---------------------------------------------------------


def test_no_file_outside_the_package_is_cited():
    """src/, docs/ and README cite the registry, never FACTS or ../shared."""
    paths = [*ROOT.joinpath("src").rglob("*.py"), *ROOT.joinpath("src").rglob("*.json")]
    paths += [*ROOT.joinpath("docs").glob("*.md"), ROOT / "README.md"]
    for path in paths:
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"FACTS\s*§|FACTS\.md|\.\./shared|shared/domain", text), path


def test_the_session_recorder_catches_an_unresolved_reference():
    """conftest.py records every error's reference; an unresolved one would fail the run."""
    import conftest

    text = "a reference naming no source at all"
    RulesError("x", reference=text)
    try:
        assert text in conftest.unresolved_references()
        assert conftest._SEEN_REFERENCES[text].endswith(
            "test_the_session_recorder_catches_an_unresolved_reference"
        )
    finally:
        del conftest._SEEN_REFERENCES[text]  # this one was made on purpose
    assert text not in conftest.unresolved_references()
