#!/usr/bin/env bash
# Mutation testing, one rules module at a time (docs/testing.md). Not part of CI.
#
#   scripts/mutation.sh [MODULE ...]     default: every rules module, in priority order
#   scripts/mutation.sh --recheck MODULE ...   rerun the last full run's survivors
#   scripts/mutation.sh --resume MODULE ...    continue a full run that was stopped
#   scripts/mutation.sh --check [MODULE ...]   the equivalent entries against the mutants
#
# For each MODULE (src/rtaprotocol/MODULE.py with its private parts _MODULE_*.py, or the
# package src/rtaprotocol/MODULE/) it copies the tree to .mutation/MODULE/ (gitignored),
# rewrites the module's decorators as assignments there (scripts/mutation_unwrap.py:
# mutmut 3 never mutates a decorated function, and most rule functions carry @exact),
# restricts mutmut to the module's files with the WHOLE suite as the test selection
# (mutmut maps each test to the functions it reaches and runs, per mutant, every test that
# reaches it), runs mutmut with ONE worker and the fast `mutation` Hypothesis profile,
# then reruns every survivor whose function runs at import time (or is cached) in a fresh
# Python process with MUTANT_UNDER_TEST set ("fresh" pass): mutmut forks its workers after
# the package is imported, so such a mutant is never active in a forked worker. Finally
# scripts/mutation_report.py prints the raw score (killed / all) beside the counted one
# (killed / (all - equivalent)), where `equivalent` counts the survivors pinned in
# scripts/mutation-equivalent.toml (each by its diff's SHA-256, with a class and a reason),
# lists the other survivors and any stale entry, and writes the module's row of the table
# in docs/testing.md. Survivor names are in .mutation/MODULE/survivors.txt;
# `cd .mutation/MODULE && mutmut show NAME` shows a diff.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
PY="${PYTHON:-$ROOT/.venv/bin/python}"
MUTMUT="${MUTMUT:-$ROOT/.venv/bin/mutmut}"
export HYPOTHESIS_PROFILE=mutation
# The fresh pass's limit on one pytest run (seconds; three times this for the whole suite,
# which takes 2-5 minutes on this machine): a mutant that hangs is killed by it.
HANG="${HANG:-600}"

# Functions whose result is cached for the life of the process (per module), rerun in the
# fresh pass like import-time code.
declare -A CACHED=(
    [deadlines]="x_bank_holiday_ordinals xǁEnglandWalesCalendarǁ_compute xǁEnglandWalesCalendarǁ_build"
    # a package's: SUBMODULE.NAME (functools.lru_cache)
    [batch]="dates.x__calendar_arrays tariff.x__tariff_arrays tariff.x__what_if_arrays"
    [claim]="queries.x__probe_fields"
)

# Smallest first (the order of the table in docs/testing.md).
DEFAULT_MODULES="limits valuation jcg fees deductions deadlines tariff transfers lowvalue \
damages_claims routing eligibility offers losses claim"

# The test selection is the WHOLE suite (pyproject's testpaths: tests, docs, the doctests
# in src, README.md). mutmut 3 maps each test to the functions it reaches (one run of the
# suite), then runs per mutant only the tests that reached its function, so a mutant is
# tried against every test that can see it, whichever file that test is in.
SUITE="tests docs src README.md"
# Left out: every test that starts a Dask local cluster (the two cluster tests of
# tests/test_batch.py and batch.local_cluster's doctest, all named "local_cluster"). Their
# worker processes import the package afresh (without the mutant, and without mutmut,
# which the mutated copy imports), and the cluster takes a fixed port (8787), on which two
# runs at once (or any other suite running on the machine) collide. And the one test that
# renders every view in a headless Chromium (tests/test_views.py
# test_views_are_readable_in_a_browser: colour contrast in a light and a dark theme, a
# property of _render's CSS, not of any rule): every function a view calls reaches it, so
# each of their mutants started a browser (10-20 s each on 2 cores), and the views' text is
# checked anyway by the golden views. And the doctests of mutmut's own copies of a function
# (x_NAME__mutmut_orig, x_NAME__mutmut_N: the docstring is copied with the code): they repeat
# the original's doctest, whose examples call the public name (the trampoline, so the mutant
# under test) anyway; in a package's submodule they fail even unmutated, since a package's
# doctests run with the package's globals (rtaprotocol._public.publish) and the copies are
# found in the submodule. Leaving a test out can only lower the kill count.
NOT_CLUSTER="not local_cluster and not readable_in_a_browser and not __mutmut_"

# The source files of MODULE: src/rtaprotocol/MODULE.py with its private parts
# src/rtaprotocol/_MODULE_*.py, or every .py file of the package src/rtaprotocol/MODULE/.
# Paths relative to the repository root.
module_files() {
    local m="$1"
    if [ -f "$ROOT/src/rtaprotocol/$m.py" ]; then
        echo "src/rtaprotocol/$m.py"
        # a rules module's private parts (src/rtaprotocol/_MODULE_*.py: its facts, views,
        # tables, ... moved out of it by issue 25) are mutated with it
        (cd "$ROOT" && find src/rtaprotocol -maxdepth 1 -name "_${m}_*.py" | sort)
    elif [ -d "$ROOT/src/rtaprotocol/$m" ]; then
        (cd "$ROOT" && find "src/rtaprotocol/$m" -name '*.py' | sort)
    else
        echo "no module src/rtaprotocol/$m.py or package src/rtaprotocol/$m/" >&2
        return 2
    fi
}

# The module's own tests, tried first in the fresh pass (quick), before the whole suite.
own_tests() {
    local m="$1" f out=""
    for f in "tests/test_$m.py" "tests/test_$m" "docs/$m.md" $(module_files "$m"); do
        [ -e "$ROOT/$f" ] && out="$out $f"
    done
    echo "$out"
}

# Restrict the copy's [tool.mutmut] (the last table of pyproject.toml) to MODULE, with
# the whole suite as the test selection.
configure() {
    local m="$1" work="$ROOT/.mutation/$1" f first=1
    # mutmut runs the tests in its own copy (mutants/): copy every top-level file and
    # directory of the repository there, since the whole suite reads some of them
    # (scripts/contrast.py, mkdocs.yml, examples/, the root conftest.py).
    local copy
    copy="$(cd "$ROOT" && git ls-files | cut -d/ -f1 | sort -u \
        | grep -vx 'src\|tests\|pyproject.toml' | sed 's/.*/"&"/' | paste -sd, -)"
    sed "s|^also_copy = .*|also_copy = [$copy]|" "$ROOT/pyproject.toml" >"$work/pyproject.toml"
    {
        printf 'only_mutate = ['
        for f in $(module_files "$m"); do
            [ $first = 1 ] || printf ', '
            printf '"%s"' "$f"
            first=0
        done
        echo ']'
        printf 'pytest_add_cli_args_test_selection = ['
        first=1
        for f in $SUITE; do
            [ $first = 1 ] || printf ', '
            printf '"%s"' "$f"
            first=0
        done
        echo ']'
        # Not rules tests, and they cannot run in mutmut's copy: the wheel tests install
        # the package into a new venv (without mutmut, which the mutated copy imports); the
        # Dask cluster tests (NOT_CLUSTER above).
        echo "pytest_add_cli_args = [\"--ignore=tests/test_wheel.py\", \"-k\", \"$NOT_CLUSTER\"]"
    } >>"$work/pyproject.toml"
}

# A digest of MODULE's source files, so that --recheck can tell when they changed.
source_digest() {
    (cd "$1" && sha256sum $(module_files "$2"))
}

run_module() {
    local m="$1" work="$ROOT/.mutation/$1" files
    files="$(module_files "$m")"
    echo "== $m: mutating $files; tests: the whole suite ($SUITE)" >&2
    rm -rf "$work"
    mkdir -p "$work"
    (cd "$ROOT" && git ls-files -z --cached --others --exclude-standard \
        | grep -zv '^\.mutation/' | xargs -0 cp --parents -t "$work")
    configure "$m"
    # The commit the copy was made from, for the table ("+dirty": uncommitted changes).
    (cd "$ROOT" && echo "$(git rev-parse --short HEAD)$(git status --porcelain -- src tests docs \
        | grep -q . && echo +dirty)") >"$work/commit.txt"
    # The module as mutated, so that --recheck can tell when the source has changed since.
    source_digest "$ROOT" "$m" >"$work/source-at-run.sha256"
    # mutmut 3 skips decorated functions: apply MODULE's decorators by assignment instead.
    (cd "$work" && "$PY" "$ROOT/scripts/mutation_unwrap.py" $files)
    cd "$work"
    # PYTHONPATH: a test that starts `python -m rtaprotocol.cli` in a subprocess imports
    # the copy's own (unmutated) source, as it was when the run started, not whatever the
    # venv's install points at (the repository's src, which may be edited during a run).
    # mutmut puts its mutants/src first on sys.path, so the tests themselves see the mutant.
    PYTHONPATH="$work/src" "$MUTMUT" run --max-children 1 >"$work/run.log" 2>&1 || {
        echo "mutmut failed for $m, see $work/run.log" >&2
        tail -20 "$work/run.log" >&2
        return 1
    }
    finish "$m"
}

# After mutmut (a full run, a recheck or a resumed run): its results, the candidates for
# the fresh pass (what mutmut could not kill, and its timeouts, decided again there), the
# fresh pass, and the score.
finish() {
    local m="$1" work="$ROOT/.mutation/$1"
    (cd "$work" && "$MUTMUT" results --all true >"$work/results.txt" 2>&1)
    sed -n 's/^ *\([^ ]*\): \(survived\|no tests\|timeout\)$/\1/p' "$work/results.txt" >"$work/candidates.txt"
    fresh_pass "$m"
    score "$m"
}

# Fresh pass: each candidate whose function runs while the package is imported (found by
# importing every rtaprotocol module under a profiler) is rerun in a new process with the
# mutant active from import time on: first against the module's own tests (quick), then,
# if it survives them, against the whole suite. Other candidates are real survivors:
# mutmut already ran them with the mutant active against every test that reaches them.
fresh_pass() {
    local m="$1" work="$ROOT/.mutation/$1" name own
    own="$(own_tests "$m")"
    (cd "$work/mutants" && PYTHONPATH=src "$PY" - "$m" <<'PYEOF'
import importlib
import pkgutil
import sys

called: set[str] = set()


def profile(frame, event, arg):  # type: ignore[no-untyped-def]
    if event == "call" and frame.f_code.co_name.endswith("__mutmut_orig"):
        module = frame.f_globals.get("__name__", "")
        called.add(f"{module}.{frame.f_code.co_name[: -len('orig')]}")


sys.setprofile(profile)
import rtaprotocol

for info in pkgutil.walk_packages(rtaprotocol.__path__, "rtaprotocol."):
    if not info.name.endswith("__main__"):  # runs the CLI
        importlib.import_module(info.name)
sys.setprofile(None)
with open("../import-time.txt", "w") as out:
    out.writelines(f"{name}\n" for name in sorted(called) if name.startswith((f"rtaprotocol.{sys.argv[1]}.", f"rtaprotocol._{sys.argv[1]}_")))
PYEOF
    )
    # Memoised functions are the same blind spot: mutmut's parent process has already
    # filled their cache (running the clean tests), so a forked mutant never recomputes.
    local f
    for f in ${CACHED[$m]:-}; do echo "rtaprotocol.$m.${f}__mutmut_"; done >>"$work/import-time.txt"
    : >"$work/survivors.txt"
    : >"$work/fresh-killed.txt"
    # mutmut's timeouts: a mutant whose tests ran past mutmut's limit (a multiple of the
    # clean run's time). On a loaded machine that is not a hang: a mutant that changes
    # nothing the tests see was reported as a timeout, which would count as killed. So each
    # is decided again below, in a fresh process without mutmut's limit (a real hang still
    # ends, at HANG seconds, and counts as killed).
    sed -n 's/^ *\([^ ]*\): timeout$/\1/p' "$work/results.txt" >"$work/timeouts.txt"
    # The tests that reach any other function of the mutant's own file (from mutmut's map):
    # an import-time function builds what that file's functions use (claim.snapshot's
    # codecs, say), so these are the quickest to see it; tried before the module's own tests.
    # The decision is the same (a kill is a kill; a survivor still faces the whole suite).
    (cd "$work/mutants" && "$PY" - <<'PYEOF'
import json
from collections import defaultdict
from pathlib import Path

stats = json.loads(Path("mutmut-stats.json").read_text())
by_file = defaultdict(set)
for function, tests in stats["tests_by_mangled_function_name"].items():
    by_file[function.rsplit(".", 1)[0]].update(tests)
out = Path("../file-tests")
out.mkdir(exist_ok=True)
for module, tests in by_file.items():
    (out / f"{module}.txt").write_text("".join(f"{t}\n" for t in sorted(tests)))
# ... and, for the timeouts, the tests that reach the function itself (what mutmut ran).
out = Path("../function-tests")
out.mkdir(exist_ok=True)
for function, tests in stats["tests_by_mangled_function_name"].items():
    (out / f"{function}.txt").write_text("".join(f"{t}\n" for t in sorted(tests)))
PYEOF
    )
    local tier reach at_import ids
    while read -r name; do
        tier="$work/file-tests/${name%.*}.txt"
        reach="$work/function-tests/${name%__mutmut_*}.txt"
        at_import=0
        grep -qxF "${name%__mutmut_*}__mutmut_" "$work/import-time.txt" && at_import=1
        if [ "$at_import" = 0 ] && grep -qxF "$name" "$work/timeouts.txt"; then
            # a timeout outside import-time code: the tests mutmut ran, without its limit
            listed "$reach"
            if [ "${#ids[@]}" = 0 ] \
                || mutant_passes "$name" "$HANG" -p no:cacheprovider -k "$NOT_CLUSTER" "${ids[@]}"; then
                echo "$name" >>"$work/survivors.txt"
            else
                echo "$name" >>"$work/fresh-killed.txt"
            fi
        elif [ "$at_import" = 0 ]; then
            echo "$name" >>"$work/survivors.txt"
        elif listed "$tier" && [ "${#ids[@]}" != 0 ] \
            && ! mutant_passes "$name" "$HANG" -p no:cacheprovider -k "$NOT_CLUSTER" "${ids[@]}"; then
            echo "$name" >>"$work/fresh-killed.txt"
        elif ! mutant_passes "$name" "$HANG" -k "$NOT_CLUSTER" $own; then
            echo "$name" >>"$work/fresh-killed.txt"
        elif mutant_passes "$name" "$((HANG * 3))" --ignore=tests/test_wheel.py -k "$NOT_CLUSTER" \
            $SUITE; then
            echo "$name" >>"$work/survivors.txt"
        else
            echo "$name" >>"$work/fresh-killed.txt"
        fi
    done <"$work/candidates.txt"
}

# listed FILE: set ids to the test node ids FILE lists, one a line (none if it is missing).
listed() {
    ids=()
    if [ -s "$1" ]; then mapfile -t ids <"$1"; fi
}

# mutant_passes NAME LIMIT PYTEST_ARGS...: run pytest on the run's copy in a fresh process
# with mutant NAME active from import time on, stopped after LIMIT seconds (a hang fails);
# true when every test passes, that is when the mutant survives them.
mutant_passes() {
    local name="$1" limit="$2"
    shift 2
    (cd "$work/mutants" && MUTANT_UNDER_TEST="$name" PYTHONPATH="$work/mutants/src" \
        timeout "$limit" "$PY" -m pytest -x -q "$@" >/dev/null 2>&1)
}

# Print the raw and counted scores, the survivors and any stale equivalent entry, and
# write MODULE's row of the table in docs/testing.md (scripts/mutation_report.py).
score() {
    local m="$1" work="$ROOT/.mutation/$1"
    (cd "$ROOT" && "$PY" "$ROOT/scripts/mutation_report.py" report "$m" "$work")
}

# The entry point, one function read whole before it runs: editing this file while a
# (long) run is going then cannot change what the run executes.
main() {
    # --check [MODULE...]: check scripts/mutation-equivalent.toml against the mutants of the
    # current source (no test run; against the last run's survivors where there is one).
    if [ "${1:-}" = "--check" ]; then
        shift
        cd "$ROOT" && exec "$PY" "$ROOT/scripts/mutation_report.py" check "$@"
    fi

    # --recheck MODULE...: after adding tests, copy tests/ and docs/ into the existing scratch
    # copy and let mutmut rerun only the current survivors (then the fresh pass and the
    # score). Quicker than a full run while killing survivors. It refuses when the module's
    # source has changed since the full run (its mutants would be of the old source): run the
    # module in full again then.
    if [ "${1:-}" = "--recheck" ]; then
        shift
        for m in "$@"; do
            work="$ROOT/.mutation/$m"
            if ! source_digest "$ROOT" "$m" | cmp -s - "$work/source-at-run.sha256"; then
                echo "the source of $m changed since its full run: run scripts/mutation.sh $m" >&2
                exit 2
            fi
            # Fresh copies of the tests (mutmut copies them into mutants/ only when missing, so
            # a golden file added or removed since would otherwise be stale there) ...
            rm -rf "$work/tests" "$work/docs" "$work/mutants/tests" "$work/mutants/docs"
            cp -r "$ROOT/tests" "$ROOT/docs" "$work/"
            # ... and the rest of the package as it is now (only MODULE is the full run's): the
            # tests now may rely on a change made since to another module.
            excludes=()
            for f in $(module_files "$m"); do excludes+=("--exclude=${f#src/}"); done
            for dst in "$work/src" "$work/mutants/src"; do
                tar -C "$ROOT/src" "${excludes[@]}" --exclude=__pycache__ -cf - . \
                    | tar -C "$dst" -xf -
            done
            configure "$m"
            # ... and a fresh map of which tests reach which function: mutmut re-maps only the
            # tests it has not seen, so a test edited since would keep its old reach.
            rm -f "$work/mutants/mutmut-stats.json"
            cp "$work/survivors.txt" "$work/rechecked.txt"
            # -r: with no survivor left there is nothing to rerun (mutmut with no names would
            # run every mutant).
            (cd "$work" && PYTHONPATH="$work/src" xargs -r -a rechecked.txt "$MUTMUT" run --max-children 1 >"$work/recheck.log" 2>&1)
            finish "$m"
        done
        exit 0
    fi

    # --resume MODULE...: continue a full run that was stopped (killed, or the machine went
    # away) in its own scratch copy, as it was made: mutmut 3 keeps each mutant's result as
    # it goes and tests only the undecided ones; then the fresh pass and the score, as at the
    # end of a full run. The copy's tests and source are the run's (the repository may have
    # changed since; the row's commit is the run's).
    if [ "${1:-}" = "--resume" ]; then
        shift
        for m in "$@"; do
            work="$ROOT/.mutation/$m"
            if [ ! -f "$work/commit.txt" ] || [ ! -d "$work/mutants" ]; then
                echo "no stopped run of $m to resume in $work: run scripts/mutation.sh $m" >&2
                exit 2
            fi
            echo "== $m: resuming the run of $(cat "$work/commit.txt")" >&2
            (cd "$work" && PYTHONPATH="$work/src" "$MUTMUT" run --max-children 1 >>"$work/run.log" 2>&1) || {
                echo "mutmut failed for $m, see $work/run.log" >&2
                tail -20 "$work/run.log" >&2
                exit 1
            }
            finish "$m"
        done
        exit 0
    fi

    modules="${*:-$DEFAULT_MODULES}"
    for m in $modules; do
        module_files "$m" >/dev/null || exit 2
        run_module "$m"
    done
}

main "$@"; exit $?
