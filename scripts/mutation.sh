#!/usr/bin/env bash
# Mutation testing, one rules module at a time (docs/testing.md). Not part of CI.
#
#   scripts/mutation.sh [MODULE ...]     default: every rules module, in priority order
#
# For each MODULE it copies the tree to .mutation/MODULE/ (gitignored), rewrites the
# module's decorators as assignments there (scripts/mutation_unwrap.py: mutmut 3 never
# mutates a decorated function, and most rule functions carry @exact), restricts mutmut
# to src/rtaprotocol/MODULE.py and to that module's test selection (its test module, the
# CLI tests that use it, its docs page and its doctests), runs mutmut with ONE worker and
# the fast `mutation` Hypothesis profile, then reruns every survivor in a fresh Python
# process with MUTANT_UNDER_TEST set ("fresh" pass): mutmut forks its workers after the
# package is imported, so a mutant in code that runs at import time (tables built once,
# module constants computed by a function) is never active in a forked worker; a fresh
# process imports the package with the mutant already active. Finally it prints
#
#   MODULE  killed / (total - equivalent) = score
#
# where `equivalent` counts the survivors listed for MODULE in scripts/mutation-equivalent.txt
# (reviewed by hand, each with its reason, docs/testing.md). Survivor names are written to
# .mutation/MODULE/survivors.txt; `cd .mutation/MODULE && mutmut show NAME` shows a diff.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
PY="${PYTHON:-$ROOT/.venv/bin/python}"
MUTMUT="${MUTMUT:-$ROOT/.venv/bin/mutmut}"
EQUIVALENT="$ROOT/scripts/mutation-equivalent.txt"
export HYPOTHESIS_PROFILE=mutation

# Functions whose result is cached for the life of the process (per module), rerun in the
# fresh pass like import-time code.
declare -A CACHED=(
    [deadlines]="x_bank_holiday_ordinals xǁEnglandWalesCalendarǁ_compute xǁEnglandWalesCalendarǁ_build"
)

DEFAULT_MODULES="tariff valuation limits fees deductions deadlines eligibility offers jcg \
losses claim routing lowvalue transfers damages_claims"

# The tests that exercise MODULE: its own test module, its docs page and doctests, plus the
# CLI tests (and other suites) that drive it. Paths relative to the repository root.
selection() {
    local m="$1" extra=""
    case "$m" in
        tariff) extra="tests/test_valuation.py tests/test_cli_valuation.py docs/valuation.md" ;;
        valuation) extra="tests/test_cli_valuation.py" ;;
        limits) extra="tests/test_valuation.py tests/test_cli_valuation.py docs/valuation.md" ;;
        fees) extra="tests/test_cli_payment.py tests/test_deductions.py" ;;
        deductions) extra="tests/test_cli_payment.py docs/money-and-errors.md" ;;
        deadlines) extra="tests/test_cli_deadline.py tests/test_offers.py" ;;
        eligibility) extra="tests/test_cli_eligibility.py" ;;
        offers) extra="tests/test_cli_negotiate.py tests/test_cli_respond.py" ;;
        jcg) extra="tests/test_cli_valuation.py" ;;
        losses) extra="tests/test_cli_losses.py" ;;
        claim) extra="tests/test_cli_assess.py" ;;
        routing) extra="tests/test_cli_route.py" ;;
        transfers) extra="tests/test_cli_transfer.py" ;;
        lowvalue | damages_claims) extra="tests/test_claim.py" ;;
    esac
    local out="src/rtaprotocol/$m.py"
    # tests/test_views.py: every result's text, HTML and JSON views, word for word against
    # tests/golden/views/ (mutmut runs only the examples that reach a mutated function).
    for f in "tests/test_$m.py" "docs/$m.md" $extra tests/test_views.py; do
        [ -e "$ROOT/$f" ] && out="$out $f"
    done
    echo "$out"
}

# Restrict the copy's [tool.mutmut] (the last table of pyproject.toml) to MODULE and its
# test selection.
configure() {
    local m="$1" work="$ROOT/.mutation/$1" sel first=1 f
    sel="$(selection "$m")"
    cp "$ROOT/pyproject.toml" "$work/pyproject.toml"
    {
        echo "only_mutate = [\"src/rtaprotocol/$m.py\"]"
        printf 'pytest_add_cli_args_test_selection = ['
        for f in $sel; do
            [ $first = 1 ] || printf ', '
            printf '"%s"' "$f"
            first=0
        done
        echo ']'
    } >>"$work/pyproject.toml"
}

run_module() {
    local m="$1" work="$ROOT/.mutation/$1"
    local sel
    sel="$(selection "$m")"
    echo "== $m: tests $sel" >&2
    rm -rf "$work"
    mkdir -p "$work"
    (cd "$ROOT" && git ls-files -z --cached --others --exclude-standard \
        | grep -zv '^\.mutation/' | xargs -0 cp --parents -t "$work")
    configure "$m"
    # The module as mutated, so that --recheck can tell when the source has changed since.
    cp "$ROOT/src/rtaprotocol/$m.py" "$work/source-at-run.py"
    # mutmut 3 skips decorated functions: apply MODULE's decorators by assignment instead.
    "$PY" "$ROOT/scripts/mutation_unwrap.py" "$work/src/rtaprotocol/$m.py"
    cd "$work"
    "$MUTMUT" run --max-children 1 >"$work/run.log" 2>&1 || {
        echo "mutmut failed for $m, see $work/run.log" >&2
        tail -20 "$work/run.log" >&2
        return 1
    }
    "$MUTMUT" results --all true >"$work/results.txt" 2>&1
    # Candidates for the fresh pass: what mutmut could not kill.
    sed -n 's/^ *\([^ ]*\): \(survived\|no tests\)$/\1/p' "$work/results.txt" >"$work/candidates.txt"
    fresh_pass "$m"
    score "$m"
}

# Fresh pass: each candidate whose function runs while the package is imported (found by
# importing every rtaprotocol module under a profiler) is rerun in a new process with the
# mutant active from import time on. Other candidates are real survivors: mutmut already
# ran them with the mutant active.
fresh_pass() {
    local m="$1" work="$ROOT/.mutation/$1" name sel
    sel="$(selection "$m")"
    (cd "$work/mutants" && PYTHONPATH=src "$PY" - "$m" <<'PYEOF'
import importlib
import pkgutil
import sys

called: set[str] = set()


def profile(frame, event, arg):  # type: ignore[no-untyped-def]
    if event == "call" and frame.f_code.co_name.endswith("__mutmut_orig"):
        called.add(frame.f_code.co_name[: -len("orig")])


sys.setprofile(profile)
import rtaprotocol

for info in pkgutil.walk_packages(rtaprotocol.__path__, "rtaprotocol."):
    if not info.name.endswith("__main__"):  # runs the CLI
        importlib.import_module(info.name)
sys.setprofile(None)
with open("../import-time.txt", "w") as out:
    out.writelines(f"rtaprotocol.{sys.argv[1]}.{name}\n" for name in sorted(called))
PYEOF
    )
    # Memoised functions are the same blind spot: mutmut's parent process has already
    # filled their cache (running the clean tests), so a forked mutant never recomputes.
    local f
    for f in ${CACHED[$m]:-}; do echo "rtaprotocol.$m.${f}__mutmut_"; done >>"$work/import-time.txt"
    : >"$work/survivors.txt"
    : >"$work/fresh-killed.txt"
    while read -r name; do
        if ! grep -qxF "${name%__mutmut_*}__mutmut_" "$work/import-time.txt"; then
            echo "$name" >>"$work/survivors.txt"
        elif (cd "$work/mutants" && MUTANT_UNDER_TEST="$name" PYTHONPATH=src \
            "$PY" -m pytest -x -q $sel >/dev/null 2>&1); then
            echo "$name" >>"$work/survivors.txt"
        else
            echo "$name" >>"$work/fresh-killed.txt"
        fi
    done <"$work/candidates.txt"
}

score() {
    local m="$1" work="$ROOT/.mutation/$1"
    cd "$ROOT"
    "$PY" - "$m" "$work" "$EQUIVALENT" <<'PYEOF'
import sys
from pathlib import Path

module, work, equivalent_file = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
counts: dict[str, int] = {}
for line in (work / "results.txt").read_text().splitlines():
    if ":" not in line:
        continue
    status = line.rsplit(":", 1)[1].strip()
    counts[status] = counts.get(status, 0) + 1
total = sum(counts.values())
survivors = set((work / "survivors.txt").read_text().split())
equivalent = set()
for line in equivalent_file.read_text().splitlines() if equivalent_file.exists() else []:
    name = line.split("#", 1)[0].strip()
    if name.startswith(f"rtaprotocol.{module}."):
        equivalent.add(name)
stale = sorted(equivalent - survivors)
equivalent &= survivors
live = total - len(survivors)
denominator = total - len(equivalent)
score = 100.0 * live / denominator if denominator else 100.0
detail = ", ".join(f"{k} {v}" for k, v in sorted(counts.items()))
print(
    f"{module:15} killed {live} / ({total} - {len(equivalent)} equivalent) = {score:.1f}%"
    f"   [{detail}; survivors after the fresh pass {len(survivors)}]"
)
for name in sorted(survivors - equivalent):
    print(f"    survivor: {name}")
for name in stale:
    print(f"    (listed as equivalent but not a survivor now: {name})")
PYEOF
}

# --recheck MODULE...: after adding tests, copy tests/ and docs/ into the existing scratch
# copy and let mutmut rerun only the current survivors (then the fresh pass and the
# score). Quicker than a full run while killing survivors. It refuses when the module's
# source has changed since the full run (its mutants would be of the old source): run the
# module in full again then.
if [ "${1:-}" = "--recheck" ]; then
    shift
    for m in "$@"; do
        work="$ROOT/.mutation/$m"
        if [ -e "$work/source-at-run.py" ] && ! cmp -s "$ROOT/src/rtaprotocol/$m.py" "$work/source-at-run.py"; then
            echo "src/rtaprotocol/$m.py changed since its full run: run scripts/mutation.sh $m" >&2
            exit 2
        fi
        # Fresh copies of the tests (mutmut copies them into mutants/ only when missing, so
        # a golden file added or removed since would otherwise be stale there) ...
        rm -rf "$work/tests" "$work/docs" "$work/mutants/tests" "$work/mutants/docs"
        cp -r "$ROOT/tests" "$ROOT/docs" "$work/"
        # ... and the rest of the package as it is now (only MODULE is the full run's): the
        # tests now may rely on a change made since to another module.
        for dst in "$work/src" "$work/mutants/src"; do
            tar -C "$ROOT/src" --exclude="rtaprotocol/$m.py" --exclude=__pycache__ -cf - . \
                | tar -C "$dst" -xf -
        done
        configure "$m"
        # ... and a fresh map of which tests reach which function: mutmut re-maps only the
        # tests it has not seen, so a test edited since would keep its old reach.
        rm -f "$work/mutants/mutmut-stats.json"
        cp "$work/survivors.txt" "$work/rechecked.txt"
        # -r: with no survivor left there is nothing to rerun (mutmut with no names would
        # run every mutant).
        (cd "$work" && xargs -r -a rechecked.txt "$MUTMUT" run --max-children 1 >"$work/recheck.log" 2>&1)
        (cd "$work" && "$MUTMUT" results --all true >"$work/results.txt" 2>&1)
        sed -n 's/^ *\([^ ]*\): \(survived\|no tests\)$/\1/p' "$work/results.txt" >"$work/candidates.txt"
        fresh_pass "$m"
        score "$m"
    done
    exit 0
fi

modules="${*:-$DEFAULT_MODULES}"
for m in $modules; do
    if [ ! -f "$ROOT/src/rtaprotocol/$m.py" ]; then
        echo "no module src/rtaprotocol/$m.py" >&2
        exit 2
    fi
    run_module "$m"
done
