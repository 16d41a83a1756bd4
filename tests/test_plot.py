"""Tests for rtaprotocol.plot: the pictures show what the rules computed (issue 26).

matplotlib is the ``plot`` extra: the README's test command and CI install it, and with
``CI=true`` these tests fail without it; elsewhere they are skipped without it.
"""

from __future__ import annotations

import os
import sys
from datetime import date
from typing import Any

import pandas as pd
import pytest

from rtaprotocol import Claim, ClaimFacts, RulesError, RulesTypeError
from rtaprotocol.batch import value_claims

if os.environ.get("CI") != "true":
    pytest.importorskip("matplotlib", reason="the plot extra (matplotlib) is not installed")

import matplotlib as mpl

mpl.use("Agg")
import matplotlib.pyplot as plt

from rtaprotocol.plot import claim_timeline, payment_distribution, whatif_difference


@pytest.fixture(autouse=True)
def _close_figures() -> Any:
    yield
    plt.close("all")


def _claim() -> Claim:
    facts = ClaimFacts(
        accident_date=date(2023, 3, 1), entry_date=date(2023, 5, 2), injury=1500,
        other_protocol_damages=500,
    )  # fmt: skip
    claim = Claim().submit(facts, on=date(2023, 5, 2), whiplash=True)
    claim = claim.act(
        "liability-response", on=date(2023, 5, 10), response="admit-fault-dispute-causation"
    )
    claim = claim.act("proceed-to-medical", on=date(2023, 5, 11))
    claim = claim.act("medical-report-received", on=date(2023, 5, 25), report="first")
    claim = claim.act("medical-report-shared", on=date(2023, 5, 26))
    return claim.act("offer-requested", on=date(2023, 6, 1))


def test_the_timeline_shows_every_event_and_open_deadline():
    """Each event of the history and each open deadline of next_steps (guide 6) is a row,
    labelled with its date; an overdue deadline says so and is drawn as a cross."""
    claim = _claim()
    on = date(2023, 6, 30)
    steps = claim.next_steps(on)
    labels = [t.get_text() for t in claim_timeline(claim, on).get_yticklabels()]
    assert len(labels) == len(claim.history) + len(steps.deadlines)
    assert labels[0] == "Tue 2 May 2023  submitted"
    assert steps.overdue
    for deadline in steps.overdue:
        assert any(label.endswith(f"{deadline.name} (overdue)") for label in labels)
    assert any("limitation" in label and "Sun 1 Mar 2026" in label for label in labels)


def test_the_timeline_keeps_far_dates_at_the_edge():
    """The limitation deadline, years away, is drawn at the right edge (an arrow), so the
    near items keep their spacing; its label still gives its date."""
    ax = claim_timeline(_claim(), date(2023, 6, 2))
    right = ax.get_xlim()[1]
    assert right < mpl.dates.date2num(date(2024, 1, 1))
    markers = [line.get_marker() for line in ax.get_lines()]
    assert ">" in markers


def test_the_timeline_refuses_a_string_date():
    """The day is a date, as everywhere in the library: an ISO string is refused."""
    with pytest.raises(RulesTypeError, match=r"on: expected a datetime\.date"):
        claim_timeline(_claim(), "2023-06-02")


def _claims() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "accident_date": pd.to_datetime(["2024-06-03", "2024-06-03", "2025-07-01"]),
            "duration_months": [3, 18, 7],
        }
    )


def test_payment_distribution_totals_the_payments():
    """The title's count, median and total are value_claims' own (whiplash only, WIR 2021
    Table 1: 3 months £240, 18 months £3,005; Table 2, 7 months £965)."""
    ax = payment_distribution(value_claims(_claims()))
    assert ax.get_title() == "3 claims: median £965.00, total £4,210.00 (total_pence)"
    assert sum(p.get_height() for p in ax.patches) == 3


def test_whatif_difference_is_the_per_claim_difference():
    """What-if less base, claim by claim: valuing the 2024 accidents by Table 2 adds
    £35 and £440; the 2025 accident is by Table 2 already and does not change."""
    claims = _claims()
    ax = whatif_difference(value_claims(claims), value_claims(claims, tariff_table="2025"))
    assert ax.get_title() == "What-if less base: 2 of 3 claims change, total +£475.00 (total_pence)"


def test_plots_refuse_frames_they_cannot_read():
    """Not a frame, a missing column, or two frames of different claims: refused, named."""
    valued = value_claims(_claims())
    with pytest.raises(RulesTypeError, match="expected value_claims' output"):
        payment_distribution([1, 2])
    with pytest.raises(RulesError, match="no column 'payout'"):
        payment_distribution(valued, "payout")
    with pytest.raises(RulesError, match="not of the same claims"):
        whatif_difference(valued, valued.iloc[::-1])


def test_without_matplotlib_the_error_names_the_plot_extra(monkeypatch: pytest.MonkeyPatch):
    """Without matplotlib each picture says which extra to install."""
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    monkeypatch.setitem(sys.modules, "matplotlib.pyplot", None)
    with pytest.raises(ModuleNotFoundError, match=r"rtaprotocol\[plot\]"):
        payment_distribution(value_claims(_claims()))
