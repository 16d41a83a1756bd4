"""Score a mutation run, match the reviewed equivalent mutants, write the docs' table.

Used by scripts/mutation.sh (docs/testing.md); needs mutmut 3 (the dev extra) for the
mutant generation. Subcommands:

    report MODULE WORK   score the run in WORK (.mutation/MODULE/), print it, and write
                         MODULE's row of the table in docs/testing.md
    check [MODULE ...]   check scripts/mutation-equivalent.toml against the mutants of
                         the current source (no tests run): every entry must pin a
                         mutant that exists, and, where a full run of the unchanged
                         source is in .mutation/MODULE/, a mutant that survived it
    stub MODULE          print a TOML entry (class and reason to fill in) for each
                         survivor of the last run that no entry covers

A MODULE is ``src/rtaprotocol/MODULE.py`` or a package ``src/rtaprotocol/MODULE/`` (every
``.py`` file in it is mutated).

An equivalent entry is pinned to the mutant's change, not to its name: mutmut numbers the
mutants of a function in source order, so ``f__mutmut_7`` is another mutant as soon as the
function changes above it. An entry names the function and the SHA-256 of the mutant's
diff against the original function (the changed lines with one line of context, without
line numbers); a change to those lines makes the entry *stale*, and it is reported, never
silently applied to another mutant.
"""

from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import json
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import tomllib

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "src" / "rtaprotocol"
EQUIVALENT = ROOT / "scripts" / "mutation-equivalent.toml"
DOCS = ROOT / "docs" / "testing.md"
BEGIN = "<!-- mutation-table:begin (written by scripts/mutation.sh; do not edit) -->"
END = "<!-- mutation-table:end -->"
HEADER = (
    "| module | mutants | killed | equivalent | equivalents % | raw score "
    "| counted score | date | commit |"
)
RULE = "|---|---:|---:|---:|---:|---:|---:|---|---|"
# The order of the table (and of scripts/mutation.sh's default run): smallest first.
ORDER = [
    "limits",
    "valuation",
    "jcg",
    "fees",
    "deductions",
    "deadlines",
    "tariff",
    "transfers",
    "lowvalue",
    "damages_claims",
    "routing",
    "eligibility",
    "offers",
    "losses",
    "claim",
    "batch",
]
# The classes of equivalent mutant, each defined in docs/testing.md ("Equivalent mutants").
CLASSES = {
    "overwritten-before-read": "a value that is always replaced before anything reads it",
    "unread-value": "a value nothing ever reads (or reads only for its truth, unchanged)",
    "unreachable-default": "a default that every caller overrides",
    "unreachable-branch": "a branch or refusal no input can reach",
    "message-only-in-unreachable-path": "the wording of a refusal that cannot happen",
    "normalised-away": "an arithmetic or type difference that the values reaching it erase",
    "speed-only": "a fast path or cache skipped: the general path gives the same answer",
    "single-element-join": "the separator of a list that never has two elements",
    "same-order": "a sort key or rank changed without changing any order",
    "hash-only": "a __hash__ changed while equal values still hash equal",
    "default-restated": "an argument stating its parameter's default, dropped or set to None",
}
_MUTANT = re.compile(r"^(?P<function>.+)__mutmut_(?P<n>\d+)$")


@dataclass(frozen=True)
class Change:
    """One mutant: its full name, its function key and what it changes."""

    name: str
    module: str
    function: str
    digest: str
    before: str
    after: str


def module_files(module: str, base: Path = PACKAGE) -> list[Path]:
    """Return the source files of MODULE under ``base`` (a file, or a package's files)."""
    if (base / f"{module}.py").is_file():  # with its private parts, _MODULE_*.py
        return [base / f"{module}.py", *sorted(base.glob(f"_{module}_*.py"))]
    if (base / module).is_dir():
        return sorted((base / module).rglob("*.py"))
    raise SystemExit(f"no module {base / module}.py or package {base / module}/")


def _dotted(path: Path, base: Path) -> str:
    parts = list(path.relative_to(base.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _digest(orig: list[str], mutant: list[str]) -> tuple[str, str, str]:
    diff = [
        line.rstrip()
        for line in difflib.unified_diff(orig, mutant, n=1, lineterm="")
        if not line.startswith(("---", "+++", "@@"))
    ]
    before = " / ".join(line[1:].strip() for line in diff if line.startswith("-"))
    after = " / ".join(line[1:].strip() for line in diff if line.startswith("+"))
    text = "\n".join(diff)
    return hashlib.sha256(text.encode()).hexdigest()[:16], before, after


def _prefixes(module: str) -> tuple[str, str]:
    """Return the beginnings of MODULE's mutant names (its own or package's, its parts')."""
    return f"rtaprotocol.{module}.", f"rtaprotocol._{module}_"


def changes_of(module: str, base: Path = PACKAGE, *, unwrap: bool = True) -> dict[str, Change]:
    """Generate MODULE's mutants (in memory, as mutmut does) and describe each one.

    ``unwrap``: apply scripts/mutation_unwrap.py first (the repository's source); a
    scratch copy made by scripts/mutation.sh is unwrapped already.
    """
    import ast

    from mutmut.mutation.file_mutation import mutate_file_contents

    sys.path.insert(0, str(ROOT / "scripts"))
    from mutation_unwrap import rewrite

    out: dict[str, Change] = {}
    for path in module_files(module, base):
        source = path.read_text(encoding="utf-8")
        if unwrap:
            source = rewrite(source)
        code = mutate_file_contents(str(path), source).code
        lines = code.splitlines()
        defs: dict[str, list[str]] = {}
        for node in ast.walk(ast.parse(code)):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and "__mutmut_" in (
                node.name
            ):
                assert node.end_lineno is not None
                body = lines[node.lineno - 1 : node.end_lineno]
                body[0] = body[0].replace(node.name, "FUNCTION", 1)
                defs[node.name] = body
        dotted = _dotted(path, base)
        for name, body in defs.items():
            match = _MUTANT.match(name)
            if not match:
                continue
            function = match["function"]
            digest, before, after = _digest(defs[f"{function}__mutmut_orig"], body)
            out[f"{dotted}.{name}"] = Change(
                f"{dotted}.{name}", module, function, digest, before, after
            )
    return out


@dataclass(frozen=True)
class Entry:
    """One reviewed equivalent mutant of scripts/mutation-equivalent.toml."""

    module: str
    function: str
    change: str
    klass: str
    reason: str
    before: str
    after: str


def load_entries(path: Path = EQUIVALENT) -> list[Entry]:
    """Read and validate the reviewed equivalent mutants."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    entries = []
    for i, raw in enumerate(data.get("equivalent", [])):
        missing = {"module", "function", "change", "class", "reason"} - raw.keys()
        if missing:
            raise SystemExit(f"{path}: entry {i} lacks {sorted(missing)}")
        if raw["class"] not in CLASSES:
            raise SystemExit(f"{path}: entry {i} has unknown class {raw['class']!r}")
        entries.append(
            Entry(
                raw["module"],
                raw["function"],
                raw["change"],
                raw["class"],
                raw["reason"],
                raw.get("before", ""),
                raw.get("after", ""),
            )
        )
    return entries


def match(
    entries: list[Entry], changes: dict[str, Change], module: str
) -> tuple[dict[str, Entry], list[Entry]]:
    """Map each mutant name to the entry that pins it; return the entries matching none."""
    by_key: dict[tuple[str, str], list[str]] = {}
    for c in changes.values():
        by_key.setdefault((c.function, c.digest), []).append(c.name)
    matched: dict[str, Entry] = {}
    stale = []
    for e in entries:
        if e.module != module:
            continue
        names = by_key.get((e.function, e.change.removeprefix("sha256:")), [])
        if not names:
            stale.append(e)
        for n in names:
            matched[n] = e
    return matched, stale


def _results(work: Path) -> dict[str, str]:
    status = {}
    for line in (work / "results.txt").read_text().splitlines():
        if ":" in line:
            name, state = line.rsplit(":", 1)
            status[name.strip()] = state.strip()
    return status


def _commit() -> str:
    def git(*args: str) -> str:
        return subprocess.run(
            ["git", *args], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout.strip()

    head = git("rev-parse", "--short", "HEAD")
    return head + ("+dirty" if git("status", "--porcelain", "--", "src", "tests", "docs") else "")


def write_row(module: str, row: str, path: Path = DOCS) -> None:
    """Replace (or add) MODULE's row of the table between the markers of docs/testing.md."""
    text = path.read_text(encoding="utf-8")
    if BEGIN not in text or END not in text:
        raise SystemExit(f"{path}: the table markers are missing")
    head, rest = text.split(BEGIN, 1)
    table, tail = rest.split(END, 1)
    rows = {
        line.split("|")[1].strip(): line
        for line in table.strip().splitlines()
        if line.startswith("|") and line not in (HEADER, RULE)
    }
    rows[module] = row
    ordered = sorted(rows, key=lambda m: (ORDER.index(m) if m in ORDER else len(ORDER), m))
    body = "\n".join([HEADER, RULE, *(rows[m] for m in ordered)])
    path.write_text(f"{head}{BEGIN}\n{body}\n{END}{tail}", encoding="utf-8")


def report(module: str, work: Path) -> int:
    """Score the run in ``work``, print it with its survivors, write the table row."""
    status = _results(work)
    changes = changes_of(module, work / "src" / "rtaprotocol", unwrap=False)
    names = {n for n in status if n.startswith(_prefixes(module))}
    if names - changes.keys():
        raise SystemExit(
            f"mutants of the run not generated again: {sorted(names - changes.keys())[:5]}"
        )
    survivors = set((work / "survivors.txt").read_text().split())
    # survivors.txt grows while the fresh pass runs: a report before it ends would count the
    # candidates not yet decided as killed. Every candidate must be decided first.
    candidates = set((work / "candidates.txt").read_text().split())
    fresh_file = work / "fresh-killed.txt"
    fresh_killed = set(fresh_file.read_text().split()) if fresh_file.exists() else set()
    # mutmut's timeouts are decided again by the fresh pass (on a loaded machine a mutant
    # that changes nothing can run past mutmut's limit): never counted as killed unseen.
    timeouts = {n for n, s in status.items() if s == "timeout"}
    undecided = (candidates | timeouts) - survivors - fresh_killed
    if undecided:
        raise SystemExit(
            f"{module}: the fresh pass has not decided {len(undecided)} of the "
            f"{len(candidates)} candidates yet (e.g. {sorted(undecided)[0]}): wait for it to end"
        )
    total = len(names)
    killed = total - len(survivors)
    matched, stale = match(load_entries(), changes, module)
    equivalent = {n for n in survivors if n in matched}
    killed_listed = sorted(n for n in matched if n not in survivors)
    unreviewed = sorted(survivors - equivalent)
    raw = 100.0 * killed / total if total else 100.0
    counted = 100.0 * killed / (total - len(equivalent)) if total - len(equivalent) else 100.0
    share = 100.0 * len(equivalent) / total if total else 0.0
    detail = {}
    for s in status.values():
        detail[s] = detail.get(s, 0) + 1
    print(
        f"{module:15} mutants {total}, killed {killed}, equivalent {len(equivalent)}"
        f" ({share:.1f}% of the mutants{'; OVER the 10% target' if share > 10 else ''})"
        f"\n{'':15} raw {raw:.1f}% (killed / all)   counted {counted:.1f}%"
        f" (killed / (all - equivalent))   [mutmut: "
        + ", ".join(f"{k} {v}" for k, v in sorted(detail.items()))
        + f"; survivors after the fresh pass {len(survivors)}]"
    )
    for n in unreviewed:
        c = changes[n]
        print(f"    survivor: {n}\n        - {c.before}\n        + {c.after}")
    for e in stale:
        print(
            f"    STALE equivalent entry (no such mutant now): {e.function} {e.change} ({e.before!r} -> {e.after!r})"
        )
    for n in killed_listed:
        print(f"    STALE equivalent entry (its mutant is killed now, remove it): {n}")
    today = dt.datetime.now(dt.timezone.utc).date().isoformat()
    # The commit the scratch copy was made from (written by scripts/mutation.sh).
    commit_file = work / "commit.txt"
    commit = commit_file.read_text().strip() if commit_file.exists() else _commit()
    row = (
        f"| {module} | {total} | {killed} | {len(equivalent)} | {share:.1f}% | {raw:.1f}% "
        f"| **{counted:.1f}%** | {today} | {commit} |"
    )
    write_row(module, row)
    (work / "report.json").write_text(
        json.dumps(
            {
                "module": module,
                "mutants": total,
                "killed": killed,
                "equivalent": sorted(equivalent),
                "survivors": unreviewed,
                "stale": [e.function + " " + e.change for e in stale] + killed_listed,
            },
            indent=1,
        )
    )
    return 0


def _digests(module: str) -> dict[str, str]:
    """Return the SHA-256 of each source file of MODULE, by its path from the root."""
    return {
        str(p.relative_to(ROOT)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in module_files(module)
    }


def _run_digests(work: Path) -> dict[str, str]:
    """Return the digests scripts/mutation.sh wrote (sha256sum) when it copied the source."""
    path = work / "source-at-run.sha256"
    if not path.exists():
        return {}
    return {
        name: digest
        for digest, name in (line.split(maxsplit=1) for line in path.read_text().splitlines())
    }


def check(modules: list[str]) -> int:
    """Check every entry of the modules against their current mutants (1 if any is stale)."""
    entries = load_entries()
    modules = modules or sorted({e.module for e in entries})
    docs = DOCS.read_text(encoding="utf-8")
    undocumented = [c for c in CLASSES if f"| `{c}` |" not in docs]
    for c in undocumented:
        print(f"class {c!r} is not defined in {DOCS.relative_to(ROOT)} (The classes)")
    bad = len(undocumented)
    for module in modules:
        try:
            changes = changes_of(module)
        except SystemExit as err:  # a module that no longer exists: all its entries are stale
            print(f"{module}: {err}")
            bad += sum(e.module == module for e in entries)
            continue
        matched, stale = match(entries, changes, module)
        n = sum(e.module == module for e in entries)
        work = ROOT / ".mutation" / module
        note = ""
        if (work / "survivors.txt").exists() and (work / "report.json").exists():
            survivors = set((work / "survivors.txt").read_text().split())
            same = _digests(module) == _run_digests(work)
            killed = sorted(n for n in matched if n not in survivors) if same else []
            for name in killed:
                print(f"    {module}: entry for {name} is killed in the last run: remove it")
            bad += len(killed)
            if same:
                note = f", checked against the run in {work.relative_to(ROOT)}"
            else:
                note = f" (the run in {work.relative_to(ROOT)} is of another source: not used)"
        print(f"{module}: {n} entries, {len(matched)} mutants pinned, {len(stale)} stale{note}")
        for e in stale:
            print(f"    stale: {e.function} {e.change}: {e.before!r} -> {e.after!r} ({e.klass})")
        bad += len(stale)
    return 1 if bad else 0


def stub(module: str) -> int:
    """Print an entry to complete for each survivor of the last run that none covers."""
    work = ROOT / ".mutation" / module
    changes = changes_of(module, work / "src" / "rtaprotocol", unwrap=False)
    matched, _ = match(load_entries(), changes, module)
    for name in (work / "survivors.txt").read_text().split():
        if name in matched:
            continue
        c = changes[name]
        print(
            f'\n[[equivalent]]  # {name}\nmodule = "{module}"\nfunction = "{c.function}"\n'
            f'change = "sha256:{c.digest}"\nbefore = {json.dumps(c.before)}\n'
            f'after = {json.dumps(c.after)}\nclass = ""\nreason = ""'
        )
    return 0


if __name__ == "__main__":
    command, *args = sys.argv[1:]
    if command == "report":
        sys.exit(report(args[0], Path(args[1])))
    if command == "check":
        sys.exit(check(args))
    if command == "stub":
        sys.exit(stub(args[0]))
    raise SystemExit(__doc__)
