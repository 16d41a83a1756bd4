"""Shared pytest configuration: Hypothesis profiles.

``ci`` (the default) keeps the whole suite well inside CI's time; set
``HYPOTHESIS_PROFILE=thorough`` locally for a longer search; ``matrix`` is the smaller
budget of CI's dependency-matrix legs. ``mutation`` is the fast
profile scripts/mutation.sh selects: every mutant reruns the tests that reach it, so each
property gets a few examples only (the named cases carry the edges).
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci",
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    # In CI (CI=true) the same examples every run, so a landing never depends on luck;
    # locally each run searches afresh (and `thorough` searches far more).
    derandomize=os.environ.get("CI") == "true",
)
settings.register_profile("thorough", max_examples=2000, deadline=None)
# The dependency matrix (.ci/run's oldest and newest legs) proves the version ranges, not
# the search: the README's test command already ran every property with ``ci``'s budget.
settings.register_profile(
    "matrix",
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    derandomize=True,
)
settings.register_profile(
    "mutation",
    max_examples=10,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


# --- every reference an error carries resolves to a registered source -----------------
#
# Every RulesError (and subclass) built anywhere during the session, by any module, old
# or added later, passes through rtaprotocol.errors._as_reference; the wrapper below
# records each reference text, and at the end of the session every one must resolve
# (rtaprotocol.sources.resolve). An unresolved reference fails the run, naming the text
# and the test that first produced it.

import rtaprotocol.errors as _errors  # noqa: E402
from rtaprotocol.sources import resolve as _resolve  # noqa: E402

_SEEN_REFERENCES: dict[str, str] = {}
_CURRENT_TEST = ["(collection)"]
_original_as_reference = _errors._as_reference


def _recording_as_reference(reference: str) -> str:
    _SEEN_REFERENCES.setdefault(str(reference), _CURRENT_TEST[0])
    return _original_as_reference(reference)


_errors._as_reference = _recording_as_reference


def pytest_runtest_setup(item):  # type: ignore[no-untyped-def]
    _CURRENT_TEST[0] = item.nodeid


def _resolves(text: str) -> bool:
    try:
        _resolve(text)
    except ValueError:
        return False
    return True


def unresolved_references() -> dict[str, str]:
    """Every reference seen so far that does not resolve, with the test that built it."""
    return {text: where for text, where in list(_SEEN_REFERENCES.items()) if not _resolves(text)}


def pytest_sessionfinish(session, exitstatus):  # type: ignore[no-untyped-def]
    bad = unresolved_references()
    if not bad or not _SEEN_REFERENCES:
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    lines = [f"  {text!r}  (first built in {where})" for text, where in sorted(bad.items())]
    message = (
        f"{len(bad)} error reference(s) built during the session resolve to no registered "
        "source (rtaprotocol.sources):\n" + "\n".join(lines)
    )
    if reporter is not None:
        reporter.write_sep("=", "unresolved references", red=True)
        reporter.write_line(message)
    session.exitstatus = 1
