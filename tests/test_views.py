"""Every public result explains itself the same way as text and as HTML (docs/views.md).

The test discovers the result types (every public class with a ``__str__`` of its own,
a ``_repr_html_`` or a ``to_dict``), builds examples of each, and checks that the FACTS of
the text view (every amount, date, number, percentage, reference and word) are in the
HTML view after normalising formatting (UK dates back to ISO, tags stripped, entities
unescaped); that the HTML shows the verdict first, UK dates only, and links each cited
source with a public URL.
"""

from __future__ import annotations

import enum
import html
import importlib
import inspect
import json
import os
import pkgutil
import re
import sys
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from dateutil.relativedelta import relativedelta

import golden_files
import rtaprotocol
from facts import OIC_RTA
from rtaprotocol import (
    TARIFF_TABLES,
    Claim,
    ClaimFacts,
    CruCertificate,
    EnglandWalesCalendar,
    Head,
    ListOfLosses,
    LossItem,
    LossType,
    Negotiation,
    Party,
    RoutingFacts,
    ThirdParty,
    TransferRequest,
    check_eligibility,
    check_revaluation,
    check_transfer,
    check_value_limits,
    compare_tariff_tables,
    compute_payment,
    compute_payment_for_losses,
    expert_fee,
    first_medical_report_fee,
    fixed_costs,
    jcg_brackets,
    limitation_period,
    medical_fee,
    medical_report_outlook,
    mixed_injury_award,
    protocol_deadline,
    response_deadlines,
    response_route,
    stage2_consideration,
    tariff_award,
    which_process,
)
from rtaprotocol._render import uk_date
from rtaprotocol._views import part_html
from rtaprotocol.sources import cite
from rtaprotocol.tariff import uplifted_tariff_table
from views import table, text_table

# --- discovery --------------------------------------------------------------------------

# Public classes with to_dict that are not results of their own: inputs, or parts that
# every result containing them shows (each is rendered inside the named result).
NOT_RESULTS = {
    "ClaimEvent": "an input event; Claim and ClaimExplanation show each one",
    "ClaimFacts": "the input of check_eligibility",
    "Criterion": "a row of EligibilityResult",
    "CriterionCheck": "a row of EligibilityResult",
    "CruCertificate": "an input of compute_payment_for_losses",
    "CruSetOff": "a row of LossesPayment",
    "Deadline": "a row of ClaimNextSteps",
    "CourtRoute": "a row of ClaimNextSteps (its routes to court)",
    "PD27BSection": "a part of CourtRoute, shown in ClaimNextSteps",
    "DeadlineStep": "a row of ResponseDeadlines",
    "DeductionStep": "a row of PaymentBreakdown",
    "Event": "an input event of Negotiation",
    "FeeNegotiation": "a table of Negotiation",
    "Injuries": "the input of Claim.report; ClaimReport shows their valuation",
    "Finding": "a row of TransferCheck",
    "JcgBracket": "a row of JcgExtract",
    "LimitBreach": "a row of ValueLimitCheck",
    "LossItem": "a row of ListOfLosses",
    "Notice": "a row of EligibilityResult",
    "Offer": "a row of Negotiation",
    "PartyNextSteps": "a line of ClaimNextSteps",
    "PaymentInput": "the input of compute_payment from JSON",
    "PerHead": "a mapping of amounts by head; PaymentBreakdown shows it",
    "ProtocolPeriod": "a row of PeriodDeadline",
    "Question": "a row of EligibilityResult and Route",
    "Reason": "a row of EligibilityResult and Route",
    "Redirect": "a row of EligibilityResult",
    "RoutingFacts": "the input of which_process",
    "SmallClaimsLimit": "a dated figure; Route shows the figures it used",
    "MandatoryMultiTrack": "a dated head of CPR 26.9(10); Route cites the one it applies",
    "ValuePart": "a row of Route (the value counted)",
    "Sourced": "a figure with its source; Route and FixedCost show it",
    "ThirdParty": "an input of TransferRequest",
    "TransferRequest": "the input of check_transfer",
    "Citation": "a reference's part: every reference cell links it",
    "Reference": "a reference's text: every reference cell shows it",
    "Source": "the registry's entry: `rtaprotocol sources` lists them (docs/sources.md)",
    "GuideSection": "a row of the coverage map (docs/coverage.md)",
    "SiblingRule": "a row of the sibling systems' coverage map (docs/sibling-coverage.md)",
    "FeeRate": "a dated rate of MEDICAL_FEE_RATES; MedicalFeeClaim shows the one it used",
}


def _public_classes() -> dict[str, type]:
    found: dict[str, type] = {}
    for info in pkgutil.iter_modules(rtaprotocol.__path__):
        if info.name.startswith("_") or info.name in {"cli", "batch"}:
            continue
        module = importlib.import_module(f"rtaprotocol.{info.name}")
        for name in getattr(module, "__all__", ()):
            obj = getattr(module, name)
            if inspect.isclass(obj) and not issubclass(obj, enum.Enum | BaseException):
                found[name] = obj
    return found


def _own_str(cls: type) -> bool:
    return any("__str__" in vars(c) for c in cls.__mro__[:-1] if c is not str)


def _own_html(cls: type) -> bool:
    """A view of its own, not the generic view of a part (rtaprotocol._views.part_html)."""
    html_view = getattr(cls, "_repr_html_", None)
    return callable(html_view) and html_view is not part_html


def _result_types() -> set[str]:
    return {
        name
        for name, cls in _public_classes().items()
        if name not in NOT_RESULTS and (_own_str(cls) or _own_html(cls) or hasattr(cls, "to_dict"))
    }


# --- examples: at least one of each result type, the edge cases where views differ -------


def _facts(**kw: Any) -> ClaimFacts:
    base: dict[str, Any] = {
        "accident_date": date(2023, 3, 1),
        "entry_date": date(2023, 5, 2),
        "injury": 1500,
        "other_protocol_damages": 500,
    }
    return ClaimFacts(**{**base, **kw})


def _claim() -> Claim:
    losses = ListOfLosses(
        items=[LossItem("injury-loss-of-earnings", 300), LossItem("property-excess", 200)]
    )
    c = Claim().act("submitted", on=date(2023, 5, 2), facts=_facts(), whiplash=True, losses=losses)
    c = c.act("liability-response", on=date(2023, 5, 10), response="admit-part", percent=75)
    return c.act("proceed-to-medical", on=date(2023, 5, 11))


def _claim_settled(*, paid: bool = True) -> Claim:
    """Settled (and paid), under a calendar with extra holidays: every kind of event field
    in the history, and every deadline met (the liability response late) in the JSON."""
    cal = rtaprotocol.EnglandWalesCalendar(
        extra_holidays=[date(2023, 10, 27), date(2023, 5, 3)],
        extra_business_days=[date(2023, 12, 26)],
    )
    losses = ListOfLosses(
        items=[LossItem("injury-loss-of-earnings", 300), LossItem("property-excess", 200)]
    )
    c = Claim(calendar=cal).act(
        "submitted",
        on=date(2023, 5, 2),
        facts=_facts(),
        whiplash=True,
        losses=losses,
        compensator="mib",
    )
    c = c.act("liability-response", on=date(2023, 7, 20), response="admit-full")  # late
    c = c.act(
        "interim-payment-requested", on=date(2023, 7, 21), amount=200, item=1, head="property"
    )
    c = c.act("interim-payment-response", on=date(2023, 7, 24), agreed=True)
    c = c.act("voluntary-interim-payment", on=date(2023, 7, 25), amount="50.50")
    c = c.act(
        "proceed-to-medical", on=date(2023, 7, 26), via_medco=False, lives_in_england_wales=False
    )
    c = c.act("medical-report-received", on=date(2023, 8, 1), report="first", prognosis_months=6)
    c = c.act("factual-accuracy-challenge", on=date(2023, 8, 2))
    c = c.act("medical-report-shared", on=date(2023, 8, 3))
    c = c.act("further-report-requested", on=date(2023, 8, 4), justification="continuing-treatment")
    c = c.act("further-report-acknowledged", on=date(2023, 8, 7))
    c = c.act("further-report-instructions-sent", on=date(2023, 8, 8))
    c = c.act("medical-report-received", on=date(2023, 9, 1), report="further")
    c = c.act("medical-report-shared", on=date(2023, 9, 4))
    c = c.act(
        "offer-requested",
        on=date(2023, 9, 5),
        added_losses=[{"type": "injury-travel-costs", "amount": "40"}],
    )
    c = c.act(
        "offer",
        on=date(2023, 9, 20),
        party="compensator",
        amount="1840",
        injury="1300",
        items=["300", "200", "40"],
        tariff="whiplash",
        seatbelt_percent="12.5",
        cru={"earnings": "100"},
    )
    c = c.act("accept", on=date(2023, 9, 21), party="claimant", updated_cru_certificate=True)
    c = c.act("fee-offer", on=date(2023, 9, 22), party="compensator", amount=180)
    c = c.act("fee-accept", on=date(2023, 9, 25), party="claimant")
    return c.act("payment-made", on=date(2023, 10, 2)) if paid else c


def _claim_held() -> Claim:
    """Denied, the denial challenged and maintained, then court proceedings: on hold."""
    c = Claim().submit(_facts(), on=date(2023, 5, 2), whiplash=False)
    c = c.act("liability-response", on=date(2023, 5, 10), response="deny")
    c = c.act("denial-challenged", on=date(2023, 5, 11), comments="see the dashcam footage")
    c = c.act("liability-response", on=date(2023, 5, 20), response="deny")
    c = c.act("go-to-court", on=date(2023, 5, 22), issue="liability")
    c = c.act("court-pack-list-sent", on=date(2023, 5, 22))
    c = c.act("court-pack-list-agreed", on=date(2023, 5, 23))
    return c.act("proceedings-issued", on=date(2023, 5, 23))


def _claim_found() -> Claim:
    """The court found for the claimant; a further report without a justification."""
    c = _claim_held().act("court-determination", on=date(2023, 9, 1), for_claimant=True, percent=80)
    c = c.act("proceed-to-medical", on=date(2023, 9, 4))
    c = c.act("medical-report-received", on=date(2023, 9, 20), report="first")
    c = c.act("further-report-requested", on=date(2023, 9, 21))
    c = c.act("further-report-objected", on=date(2023, 9, 22))
    return c.act("medical-report-received", on=date(2023, 10, 20), report="further")


def _claim_disputed() -> Claim:
    """Fault admitted, causation disputed, the offer requested (guide 6.5.4)."""
    c = Claim().submit(_facts(), on=date(2023, 5, 2), whiplash=True)
    c = c.act("liability-response", on=date(2023, 5, 10), response="admit-fault-dispute-causation")
    c = c.act("proceed-to-medical", on=date(2023, 5, 11))
    c = c.act("medical-report-received", on=date(2023, 5, 25), report="first")
    c = c.act("medical-report-shared", on=date(2023, 5, 26))
    return c.act("offer-requested", on=date(2023, 6, 1))


def _claim_exited() -> Claim:
    """The compensator took the claim out over the injury's causation (guide 6.6.2.1)."""
    c = _claim_disputed().act("injury-dispute-notice", on=date(2023, 6, 20), reasons="no injury")
    return c.act(
        "portal-exit", on=date(2023, 6, 21), party="compensator", reason="causation-disputed"
    )


def _negotiation() -> Negotiation:
    n = Negotiation().offer(Party.COMPENSATOR, 1000, on=date(2023, 5, 2))
    n = n.offer(Party.CLAIMANT, 3000, on=date(2023, 5, 9))
    return n.accept(Party.COMPENSATOR, on=date(2023, 5, 23))


def _three_compensator_offers() -> Negotiation:
    """Compensator offers 1 (rejected), 2 (rejected, then withdrawn) and 3 (open)."""
    n = Negotiation().offer(Party.COMPENSATOR, 1000, on=date(2023, 5, 2))
    n = n.offer(Party.CLAIMANT, 3000, on=date(2023, 5, 3))
    n = n.offer(Party.COMPENSATOR, 1200, on=date(2023, 5, 4))
    n = n.offer(Party.CLAIMANT, 2800, on=date(2023, 5, 5))
    n = n.withdraw(Party.COMPENSATOR, on=date(2023, 5, 5))
    return n.offer(Party.COMPENSATOR, 1300, on=date(2023, 5, 6))


def _withdrawn_then_court_valuation_form() -> Negotiation:
    """An unanswered offer withdrawn and replaced (guide 6.5.5), then the court form."""
    calendar = EnglandWalesCalendar(
        extra_holidays=[date(2023, 5, 10)], extra_business_days=[date(2023, 5, 8)]
    )
    n = Negotiation(calendar).offer(Party.COMPENSATOR, 1000, on=date(2023, 5, 2))
    n = n.withdraw(Party.COMPENSATOR, on=date(2023, 5, 18))
    n = n.offer(Party.COMPENSATOR, 1100, on=date(2023, 5, 18))
    n = n.offer(Party.CLAIMANT, 3000, on=date(2023, 5, 22))
    return n.create_court_valuation_form(on=date(2023, 5, 23))


def _fees_countered() -> Negotiation:
    """Settled; the compensator's fee offer of £150 met by a counter offer of £400."""
    n = _negotiation().offer_fees(Party.COMPENSATOR, 150, on=date(2023, 5, 24))
    return n.offer_fees(Party.CLAIMANT, 400, on=date(2023, 5, 25))


def _losses() -> ListOfLosses:
    losses = ListOfLosses(injury=1000).add(LossItem(LossType.INJURY_LOSS_OF_EARNINGS, 1500))
    losses = losses.add(LossItem(LossType.PROPERTY_REPAIRS, 1300))
    return losses.add(LossItem(LossType.PROPERTY_EXCESS, 200, interim_paid=200))


def _court_losses() -> ListOfLosses:
    losses = ListOfLosses(
        injury=5000,
        items=[
            LossItem(LossType.INJURY_CARE, 4000, description="care by a neighbour"),
            LossItem(LossType.PROPERTY_REPAIRS, 1000, paid_by="relative", interim_paid=250),
        ],
    ).with_general_interim(100)
    losses = losses.at_stage("court").add(
        LossItem(
            LossType.PROPERTY_TEMPORARY_VEHICLE,
            2400,
            paid_by="credit-hire",
            evidence_held=True,
            date_added=date(2023, 9, 1),
        )
    )
    return losses.add(LossItem(LossType.PROPERTY_STORAGE_RECOVERY, 150, paid_by="insurer"))


def _cru_by_head_payment() -> Any:
    losses = ListOfLosses(
        injury=2000,
        items=[
            LossItem(LossType.INJURY_LOSS_OF_EARNINGS, 300),
            LossItem(LossType.PROPERTY_REPAIRS, 900),
            LossItem(LossType.PROPERTY_LOSS_OF_EARNINGS, 400, interim_paid=50),
            LossItem(LossType.INJURY_CARE, 200),
            LossItem(LossType.INJURY_TRAVEL, 80),
        ],
        general_interim=25,
    )
    return compute_payment_for_losses(
        losses,
        claimant_liability_percent=20,
        seatbelt_percent=15,
        cru_certificate=CruCertificate(earnings=600, care=100, mobility="99.99"),
    )


#: A road traffic accident that meets every OIC criterion (guide 4.1, 4.2): the Route
#: examples change one fact each to reach each process and each "cannot tell yet".
_OIC_RTA: dict[str, Any] = {**OIC_RTA, "injury": "3000.00", "other_protocol_damages": "500.00"}


def _route(**changes: Any) -> Any:
    return which_process(RoutingFacts(**{**_OIC_RTA, **changes}))


def _el(**changes: Any) -> Any:
    """An employers' liability claim with every EL/PL Protocol exclusion answered no."""
    keep = ("accident_date", "entry_date", "accident_location", "claimant_protected_party",
            "defendant_protected_party", "claimant_bankrupt", "claimant_personal_representative",
            "defendant_personal_representative", "injury", "other_protocol_damages")  # fmt: skip
    base = {k: _OIC_RTA[k] for k in keep} | {
        "accident_type": "employers-liability",
        "claim_category": "none",
        "defendant_individual": False,
        "more_than_one_employer": False,
    }
    return which_process(RoutingFacts(**{**base, **changes}))


def _what_if_table() -> Any:
    """A what-if table for the views: Table 2 with every amount 10% higher (issue 26)."""
    return uplifted_tariff_table(TARIFF_TABLES[1], 10)


EXAMPLES: dict[str, list[Callable[[], Any]]] = {
    "AllowedActions": [
        lambda: (
            Negotiation()
            .offer(Party.COMPENSATOR, 1000, on=date(2023, 5, 2))
            .allowed_actions(Party.CLAIMANT, date(2023, 5, 3))
        ),
        # guide 6.5.6, 6.5.5.1: offers 1 and 3 may be accepted, the withdrawn 2 may not
        lambda: _three_compensator_offers().allowed_actions(Party.CLAIMANT, date(2023, 5, 6)),
        # guide 6.5.5: an extra closure day moves the first day of withdrawal to 19 May
        lambda: (
            Negotiation(calendar=EnglandWalesCalendar(extra_holidays=[date(2023, 5, 10)]))
            .offer(Party.COMPENSATOR, 1000, on=date(2023, 5, 2))
            .allowed_actions(Party.COMPENSATOR, date(2023, 5, 18))
        ),
    ],
    "Claim": [
        _claim,
        Claim,  # not yet submitted
        _claim_settled,  # extra holidays; deadlines met, one late
        _claim_exited,
    ],
    "ClaimExplanation": [
        lambda: _claim().explain(),
        lambda: Claim().explain(),  # no limitation deadline yet
        lambda: _claim_settled().explain(),  # every kind of event field
        lambda: _claim_held().explain(),  # a denial: no percentage; on hold
        lambda: _claim_found().explain(),  # a court finding; a further report not relied on
        lambda: _claim_exited().explain(),  # left the portal; causation notified
    ],
    "ClaimReport": [
        lambda: _claim().report(date(2023, 5, 12)),  # no injuries given, no offer to pay out
        lambda: _claim_settled(paid=False).report(  # a mixed award; payment; met late
            date(2023, 10, 20),
            injuries=rtaprotocol.Injuries(
                whiplash_months=8,
                psychological=True,
                non_whiplash=[
                    rtaprotocol.NonWhiplashInjury("arm-hand", "1500", "sprained left wrist")
                ],
                overlap=300,
            ),
        ),
    ],
    "ClaimNextSteps": [
        lambda: _claim().next_steps(date(2023, 5, 12)),
        lambda: (
            Claim()
            .submit(_facts(), on=date(2023, 5, 2), whiplash=True)
            .next_steps(date(2023, 6, 16))
        ),  # the liability response is overdue
        lambda: Claim().next_steps(date(2023, 5, 2)),  # only submission; no deadlines
        lambda: _claim_settled().next_steps(date(2023, 10, 3)),  # nothing left to do
        lambda: _claim_settled(paid=False).next_steps(
            date(2023, 10, 20)
        ),  # payment due; the holidays counted
        lambda: _claim_held().next_steps(date(2023, 6, 1)),  # on hold: no deadline runs
        lambda: _claim_disputed().next_steps(date(2023, 6, 2)),  # causation notice running
        lambda: _claim_disputed().next_steps(date(2023, 6, 30)),  # expired; offer overdue
        lambda: _claim_exited().next_steps(date(2023, 6, 22)),  # nothing on the portal
        lambda: (  # overdue before expired, each by due date
            _claim_disputed()
            .act("interim-payment-requested", on=date(2023, 6, 12), amount=100)
            .next_steps(date(2023, 7, 4))
        ),
        lambda: (  # an offer rejected: the compensator may offer again, no lower
            _claim_disputed()
            .act("offer", on=date(2023, 6, 2), party="compensator", amount=1000)
            .act("reject", on=date(2023, 6, 5), party="claimant")
            .next_steps(date(2023, 6, 6))
        ),
    ],
    "EligibilityResult": [
        lambda: check_eligibility(_facts()),
        lambda: check_eligibility(_facts(accident_location="scotland", injury=6000)),
        lambda: check_eligibility(
            ClaimFacts(accident_date=date(2023, 3, 1), entry_date=date(2023, 5, 2))
        ),
        # guide 4.3, 5.4: only a redirect (no registration number: the MIB), and the
        # limitation deadline near, the earliest it can be (date of birth unknown)
        lambda: check_eligibility(
            _facts(other_vehicle_registration_known=False, entry_date=date(2025, 12, 1))
        ),
        # guide 4.2, 4.3, 5.4: a refusal and a redirect (foreign plates: the MIB Green
        # Card), entered after the limitation deadline
        lambda: check_eligibility(
            _facts(
                accident_location="scotland",
                other_vehicle_uk_registered=False,
                date_of_birth=date(1990, 1, 1),
                entry_date=date(2026, 4, 1),
            )
        ),
    ],
    "ExpertFee": [lambda: expert_fee(750, 900)],
    "FixedCost": [
        lambda: fixed_costs("rta", 2, "10000.00", notified_on=date(2023, 9, 30)),
        lambda: fixed_costs("el", 1, "10000.01", accrued_on=date(2024, 4, 6)),  # [U] table
        lambda: fixed_costs("pl", 2, 25000, accrued_on=date(2023, 10, 1)),  # top band, SI 2023/572
        # London weighting (CPR 45.3) on the child-settlement advice fee (Stage 3 Type C)
        lambda: fixed_costs(
            "rta", 3, 5000, accrued_on=date(2024, 1, 2), stage3_type="C", london=True
        ),
    ],
    "JcgExtract": [lambda: jcg_brackets("ribs-chest")],
    "LimitationPeriod": [
        lambda: limitation_period(date(2022, 6, 1), date_of_birth=date(2010, 1, 15)),
        lambda: limitation_period(date(2022, 6, 1), lacked_capacity_at_accrual=True),
    ],
    "ListOfLosses": [
        _losses,
        _court_losses,  # court stage: non-protocol vehicle costs over the limit, a warning
    ],
    "LossesPayment": [
        lambda: compute_payment_for_losses(
            _losses(),
            claimant_liability_percent=25,
            seatbelt_percent=10,
            cru_certificate=CruCertificate(earnings=500, care=100),
        ),
        _cru_by_head_payment,  # earnings CRU over two heads, every Sch 2 head, a general interim
    ],
    "MedicalOutlook": [
        lambda: medical_report_outlook(date(2023, 1, 31), relativedelta(months=30)),
        lambda: medical_report_outlook(date(2023, 1, 31), date(2023, 9, 1)),
        # CLA 2018 s.3(1)(b)(ii): beyond 24 months only for a failure to mitigate
        lambda: medical_report_outlook(
            date(2023, 1, 31), relativedelta(months=30), failed_to_mitigate=True
        ),
    ],
    "MedicalReportFee": [first_medical_report_fee],
    "MedicalFeeClaim": [
        lambda: medical_fee("first-report", on=date(2024, 5, 1), represented=True),
        # guide 6.4.2.2: an unjustified further report's fee is not recoverable
        lambda: medical_fee("further-report-gp", on=date(2024, 5, 1), amount=250, own_report=True),
        # guide 5.3.3: a police report fee as charged, flagged where liability is admitted
        lambda: medical_fee(
            "police-report", on=date(2025, 6, 2), amount=95, liability_admitted=True
        ),
    ],
    "MixedInjuryAward": [
        lambda: mixed_injury_award(840, 3000, overlap=340),
        lambda: mixed_injury_award(
            tariff_award(7, accident_date=date(2024, 3, 1), tariff_table=_what_if_table()),
            3000,
            overlap=340,
        ),
    ],
    "Negotiation": [
        _negotiation,
        lambda: Negotiation().offer(Party.COMPENSATOR, 1000, on=date(2023, 5, 2)),
        _withdrawn_then_court_valuation_form,
        lambda: _negotiation().offer_fees(Party.COMPENSATOR, 150, on=date(2023, 5, 24)),
        lambda: _fees_countered().reject_fees(Party.COMPENSATOR, on=date(2023, 5, 26)),
        lambda: _fees_countered().accept_fees(Party.COMPENSATOR, on=date(2023, 5, 26)),
    ],
    "PaymentBreakdown": [
        lambda: compute_payment(
            {Head.INJURY: 1000, Head.INJURY_RELATED: 1500, Head.PROPERTY: 1500},
            claimant_liability_percent=25,
            seatbelt_percent=10,
            cru={Head.INJURY_RELATED: 500},
            interim={Head.PROPERTY: 200},
        ),
        lambda: compute_payment({Head.PROPERTY: 10}, interim={Head.PROPERTY: 15}),
        # two amounts not set off: CRU on injury-related, an interim on property (two notes)
        lambda: compute_payment(
            {Head.INJURY_RELATED: 100, Head.PROPERTY: 10},
            cru={Head.INJURY_RELATED: 150},
            interim={Head.PROPERTY: 15},
        ),
    ],
    "PeriodDeadline": [
        lambda: protocol_deadline("rta", "cnf_response", date(2023, 12, 20)),
        lambda: protocol_deadline("el", "stage2_total_consideration", date(2024, 3, 27)),  # [U]
        lambda: protocol_deadline("pl", "cnf_response", date(2024, 3, 27)),
        lambda: protocol_deadline("rta", "cnf_response", date(2024, 3, 27), mib=True),
    ],
    "ResponseDeadlines": [
        lambda: response_deadlines(served=date(2023, 1, 12), acknowledged=True, extension_days=28),
        lambda: response_deadlines(claim_form_step=date(2023, 1, 13)),  # CPR 6.14, no ack
        lambda: response_deadlines(served=date(2023, 1, 12), extension_days=7),
    ],
    "ResponseRouting": [
        lambda: response_route("admit-part", issued_on=date(2022, 9, 15)),
        lambda: response_route(
            "reject-all", issued_on=date(2022, 9, 15), filed_on_paper=True, represented=True
        ),
        lambda: response_route(
            "admit-all",
            issued_on=date(2023, 1, 3),
            filed_on_paper=True,
            paper_reason="outage",
            represented=True,
        ),
        lambda: response_route("counterclaim", issued_on=date(2022, 9, 14), filed_on_paper=True),
        lambda: response_route("reject-all"),  # issue date not known
        # issue 23: representation not given where it decides (asked); no legal representative
        lambda: response_route("reject-all", issued_on=date(2022, 9, 15), filed_on_paper=True),
        lambda: response_route(
            "reject-all", issued_on=date(2022, 9, 15), filed_on_paper=True, represented=False
        ),
    ],
    "RevaluationResult": [
        lambda: check_revaluation("4000", "6000.01"),
        lambda: check_revaluation("4000", "500"),
    ],
    "Route": [
        lambda: which_process(
            RoutingFacts(
                accident_type="road-traffic",
                accident_date=date(2023, 3, 1),
                entry_date=date(2023, 4, 3),
                accident_location="england",
                road_user="cyclist",
                injury="1000.01",
                other_protocol_damages="500.00",
            )
        ),
        _route,  # OIC portal: every requirement of guide 4.1, 4.2 met
        # not OIC (no registration number, driver traced), none of the CPR 26.10 circumstances, started
        # after the renumbering of 1 October 2023: the £5,000 limit, small claims track
        lambda: _route(other_vehicle_registration_known=False, entry_date=date(2023, 10, 2)),
        # above £5,000, not more than £25,000, no exclusion: the low-value RTA Protocol
        lambda: _route(
            other_vehicle_registration_known=False, injury="6000.00", other_protocol_damages="0"
        ),
        # an untraced driver: the MIB under the Untraced Drivers' Agreement 2017, whatever the
        # value (guide 4.2; RTA Protocol para 4.5)
        lambda: _route(untraced_driver=True, injury="6000.00"),
        # more than £25,000, accident on or after 1 October 2023: intermediate track
        lambda: _route(
            other_vehicle_registration_known=False,
            accident_date=date(2023, 10, 1),
            entry_date=date(2023, 11, 1),
            injury="6000.00",
            other_protocol_damages="50000.00",
        ),
        # more than £25,000, accident before 1 October 2023: multi-track (no intermediate)
        lambda: _route(other_vehicle_registration_known=False, other_protocol_damages="30000.00"),
        # more than £100,000 after 1 October 2023: multi-track above both limits
        lambda: _route(
            other_vehicle_registration_known=False,
            accident_date=date(2023, 10, 1),
            entry_date=date(2023, 11, 1),
            other_protocol_damages="100000.00",
        ),
        lambda: _route(accident_location="scotland"),  # outside England and Wales (CPR 2.1)
        lambda: _route(accident_type=None, accident_location=None),  # nothing known yet
        lambda: _route(claimant_bankrupt=None),  # OIC eligibility undecided: its question
        # before 31 May 2021 the road traffic injury limit was £1,000 (CPR 26.6 then)
        lambda: _route(accident_date=date(2021, 5, 30), entry_date=date(2021, 7, 1)),
        # CPR 26.10 circumstances unknown, injury between £1,000 and £5,000: ask them
        lambda: _route(other_vehicle_registration_known=False, road_user=None, date_of_birth=None),
        # CPR 26.10 unknown but the injury is within £1,000: they do not change the result
        lambda: _route(
            other_vehicle_registration_known=False,
            road_user=None,
            date_of_birth=None,
            injury="900.00",
        ),
        # EL/PL: above £1,500, no exclusion, the low-value EL/PL Protocol
        _el,
        # EL/PL before 6 April 2022, injury between £1,000 and £1,500: the date of
        # knowledge decides (SI 2022/101 r.2)
        lambda: _el(accident_date=date(2022, 4, 5), entry_date=date(2022, 6, 1), injury="1200.00"),
        # EL/PL before 6 April 2022, injury within £1,000: small claims track either way
        lambda: _el(accident_date=date(2022, 4, 5), entry_date=date(2022, 6, 1), injury="900.00"),
        # EL/PL with an exclusion (claimant bankrupt): fast track
        lambda: _el(claimant_bankrupt=True),
        # EL/PL, an exclusion still unanswered
        lambda: _el(claimant_bankrupt=None),
        # the amounts are not known yet
        lambda: _el(injury=None, other_protocol_damages=None),
        # a traced but uninsured driver: the OIC portal, the MIB as compensator (guide 6.3.1)
        lambda: _route(uninsured_driver=True),
        # a health and safety breach: not a road traffic accident as the RTA Protocol
        # defines one (para 1.1), fast track
        lambda: _route(health_and_safety_breach=True, injury="6000.00"),
        # a disease claim between £25,000 and £100,000, its letter of claim date unknown
        # (SI 2023/572 r.2(2)(b)): asked
        lambda: _el(
            accident_type="disease",
            accident_date=date(2019, 5, 1),
            entry_date=date(2023, 11, 1),
            injury="30000.00",
            other_protocol_damages="20000.00",
        ),
        # mesothelioma, letter of claim from 1 October 2023: CPR 26.9(10)(a), multi-track
        lambda: _el(
            accident_type="disease",
            accident_date=date(2019, 5, 1),
            entry_date=date(2023, 11, 1),
            claim_category="mesothelioma",
            letter_of_claim_date=date(2023, 10, 1),
        ),
        # credit hire counted for the track (CPR 26.9), not for the portal (guide 1.1.1)
        lambda: _route(
            other_vehicle_registration_known=False, non_protocol_vehicle_costs="9000.00"
        ),
    ],
    "Stage2Consideration": [
        lambda: stage2_consideration("rta", date(2024, 1, 2)),
        # a late offer after an agreed extension: the further consideration period
        lambda: stage2_consideration(
            "el", date(2024, 1, 2), extension_days=10, offers=[date(2024, 3, 5)]
        ),
    ],
    "TariffAward": [
        lambda: tariff_award(7, accident_date=date(2024, 3, 1), uplift_percent=10),
        lambda: tariff_award(
            relativedelta(months=13, days=2), accident_date=date(2025, 6, 1), psychological=True
        ),
        # over two years only for a failure to mitigate (CLA 2018 s.3(1)(b)(ii))
        lambda: tariff_award(30, accident_date=date(2024, 3, 1), failed_to_mitigate=True),
        # a what-if table (issue 26): marked, named, derived from Table 2, no citation
        lambda: tariff_award(
            7, accident_date=date(2024, 3, 1), tariff_table=_what_if_table(), uplift_percent=10
        ),
    ],
    "TariffComparison": [
        compare_tariff_tables,
        lambda: compare_tariff_tables(TARIFF_TABLES[1], _what_if_table()),
    ],
    "TariffTable": [lambda: TARIFF_TABLES[0], lambda: TARIFF_TABLES[1], _what_if_table],
    "TransferCheck": [
        lambda: check_transfer(
            TransferRequest(
                from_organisation="compensator",
                to_organisation="claimant-representative",
                claim_count=40,
                transfer_date=date(2024, 3, 1),
                third_parties=[
                    ThirdParty("Smith & Co", date(2024, 2, 1), "transferring"),
                    ThirdParty("Jones LLP"),
                ],
            )
        ),
        # allowed, nothing to report: same type, 100 claims, every third party notified
        # before the transfer by a named organisation, Claims Portal Ltd contacted
        lambda: check_transfer(
            TransferRequest(
                from_organisation="claimant-representative",
                to_organisation="claimant-representative",
                claim_count=100,
                transfer_date=date(2024, 3, 1),
                third_parties=[ThirdParty("Insurer plc", date(2024, 2, 29), "receiving")],
                portal_contacted=True,
            )
        ),
        # refused (issue 23, "you must contact us"): the portal not contacted; a warning: the
        # notifier not recorded
        lambda: check_transfer(
            TransferRequest(
                from_organisation="compensator",
                to_organisation="compensator",
                claim_count=250,
                transfer_date=date(2024, 3, 1),
                third_parties=[ThirdParty("Smith & Co", date(2024, 2, 1))],
                portal_contacted=False,
            )
        ),
        # refused: no third party recorded at all; one notified on the transfer date itself
        lambda: check_transfer(
            TransferRequest(
                from_organisation="compensator",
                to_organisation="compensator",
                claim_count=100,
                transfer_date=date(2024, 3, 1),
                portal_contacted=True,
            )
        ),
        lambda: check_transfer(
            TransferRequest(
                from_organisation="compensator",
                to_organisation="compensator",
                claim_count=100,
                transfer_date=date(2024, 3, 1),
                third_parties=[
                    ThirdParty("Smith & Co", date(2024, 2, 1), "transferring"),
                    ThirdParty("Jones LLP", date(2024, 3, 1), "receiving"),
                ],
                portal_contacted=True,
            )
        ),
        # allowed with warnings (issue 23): 12 claims, fewer than the 100 the process is
        # designed for, and a notifier not recorded
        lambda: check_transfer(
            TransferRequest(
                from_organisation="compensator",
                to_organisation="compensator",
                claim_count=12,
                transfer_date=date(2024, 3, 1),
                third_parties=[ThirdParty("Smith & Co", date(2024, 2, 1))],
                portal_contacted=True,
            )
        ),
    ],
    "ValueLimitCheck": [
        lambda: check_value_limits("5000.01", "100", non_protocol_vehicle_costs=800, fees=216),
        lambda: check_value_limits("1000", "100"),
    ],
}

CASES = [
    pytest.param(name, build, id=f"{name}-{i}")
    for name, builders in sorted(EXAMPLES.items())
    for i, build in enumerate(builders)
]


# --- normalising the two views to compare their facts ------------------------------------

_MONTHS = {
    m: i
    for i, m in enumerate(
        [
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ],
        start=1,
    )
}
# "Wed 30 Oct 2024": the weekday, the day, the month's first three letters, the year.
_UK_DATE = re.compile(
    r"\b(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) (\d{1,2}) ("
    + "|".join(m[:3] for m in _MONTHS)
    + r") (\d{4})\b"
)
_MONTH_OF = {m[:3]: i for m, i in _MONTHS.items()}
_ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")


def _visible(markup: str) -> str:
    """The text a reader sees: tags stripped (cells kept apart), entities unescaped."""
    text = re.sub(r"<[^>]+>", " ", markup)
    return re.sub(r"\s+", " ", html.unescape(text))


def _iso(visible: str) -> str:
    return _UK_DATE.sub(lambda m: date(int(m[3]), _MONTH_OF[m[2]], int(m[1])).isoformat(), visible)


def _fact_tokens(text: str) -> set[str]:
    """Every token holding a digit (amounts, dates, counts, percentages, pinpoints)."""
    tokens = set()
    for raw in re.findall(r"[^\s|]*\d[^\s|]*", text):
        token = raw.strip(",;:.[]()'\"")
        if token:
            tokens.add(token)
    return tokens


def _words(text: str) -> set[str]:
    """Every word of three letters or more (a word the text view cut short with ... aside)."""
    return {
        w.lower() for w in re.findall(r"[A-Za-z][A-Za-z'-]{2,}(?![A-Za-z'-]|\.\.\.|\u2026)", text)
    }


def _urls(text: str) -> set[str]:
    """The URLs of the sources cited by each reference of the text view.

    A reference is a table cell or a bracketed text that starts with a source's name
    ("guide 4.2; protocol para 4.3"), not a sentence that mentions an Act in passing.
    """
    urls = set()
    for line in text.splitlines():
        for raw in re.split(r"\s\|\s|\[|\]|\(|\)", line):
            cell = raw.strip()
            citations = cite(cell)
            if citations and cell.startswith(citations[0].text.split()[0]):
                urls.update(c.source.url for c in citations if c.source.url is not None)
    return urls


# --- the tests ------------------------------------------------------------------------------


def test_every_result_type_has_examples_and_both_views():
    """Each discovered result type has examples here and its own text and HTML views."""
    results = _result_types()
    assert results == set(EXAMPLES), (
        "result types without examples here (add one, or say in NOT_RESULTS why it is "
        f"not a result): {sorted(results - set(EXAMPLES))}; stale: "
        f"{sorted(set(EXAMPLES) - results)}"
    )
    classes = _public_classes()
    for name in results:
        assert _own_str(classes[name]), f"{name} has no text view"
        assert callable(getattr(classes[name], "_repr_html_", None)), f"{name}: no HTML view"
        assert callable(getattr(classes[name], "to_dict", None)), f"{name}: no to_dict"
    assert set(NOT_RESULTS) <= set(classes)


@pytest.mark.parametrize(("name", "build"), CASES)
def test_html_shows_every_fact_of_the_text(name: str, build: Callable[[], Any]):
    """Every amount, date, number, reference and word of the text view is in the HTML."""
    result = build()
    assert type(result).__name__ == name
    text = str(result)
    visible = _iso(_visible(result._repr_html_()))
    missing = sorted(t for t in _fact_tokens(text) if t not in visible)
    assert not missing, f"{name}: facts in the text view but not in the HTML: {missing}"
    words = _words(visible) | _words(_visible(result._repr_html_()))
    missing_words = sorted(_words(text) - words)
    assert not missing_words, f"{name}: words in the text view but not in the HTML: {missing_words}"


@pytest.mark.parametrize(("name", "build"), CASES)
def test_html_is_written_for_a_lawyer(name: str, build: Callable[[], Any]):
    """Verdict first and highlighted, UK dates only, every cited source with a URL linked."""
    result = build()
    markup = result._repr_html_()
    assert markup.startswith('<p role="status"'), markup[:80]
    visible = _visible(markup)
    assert not _ISO_DATE.search(visible), f"{name}: ISO date in the HTML: {visible}"
    hrefs = set(re.findall(r'href="([^"]+)"', markup))
    assert _urls(str(result)) <= {html.unescape(h) for h in hrefs}


def test_eligibility_html_has_the_limitation_deadline():
    """The issue's first gap: the limitation deadline, as a UK date, with its rule linked."""
    result = check_eligibility(_facts())
    assert result.limitation_deadline == date(2026, 3, 1)
    markup = result._repr_html_()
    assert "Limitation deadline: Sun 1 Mar 2026" in markup
    assert "legislation.gov.uk/ukpga/1980/58" in markup  # the Limitation Act 1980


def test_eligibility_html_marks_unmet_criteria():
    """An unmet criterion is marked; the verdict is red and comes first."""
    markup = check_eligibility(_facts(accident_location="scotland"))._repr_html_()
    assert markup.startswith('<p role="status" style="background-color:rgba(180,35,24,')
    assert "\u2717 not met" in markup
    assert "\u2713 met" in markup


def test_negotiation_html_has_offers_counted_and_left():
    """The issue's second gap: offers counted and left, with the plain label for counts."""
    markup = _negotiation()._repr_html_()
    assert '>Offers counted</th><th style="text-align:right">Offers left</th>' in markup
    assert ">Counts towards the three offers</th>" in markup
    assert ">Tue 9 May 2023</td>" in markup


def test_views_keep_iso_dates_in_json_and_text():
    """UK dates are for the HTML only: to_dict and the text views keep ISO dates."""
    result = check_eligibility(_facts())
    assert result.to_dict()["limitation_deadline"] == "2026-03-01"
    assert "Limitation deadline: 2026-03-01" in str(result)


def test_uk_date_ignores_the_locale():
    """uk_date spells months itself: no strftime, so no locale can change it."""
    assert [uk_date(date(2024, m, 1)).split()[2] for m in (1, 12)] == ["Jan", "Dec"]
    assert uk_date(date(2024, 2, 29)) == "Thu 29 Feb 2024"


# --- the exact wording of every view: golden files -------------------------------------
#
# The tests above check what a view states (verdict, figures, dates, references) and let
# its layout change. The golden files below pin the rest: every header, caption, label and
# JSON name of every example, as text, HTML and JSON. A change of wording is then a
# reviewed change: regenerate with
#
#     RTAPROTOCOL_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_views.py -k golden
#
# and read the diff of tests/golden/views/ before committing it.

GOLDEN_VIEWS = Path(__file__).parent / "golden" / "views"


def _all_views(result: Any) -> str:
    data = json.dumps(result.to_dict(), indent=2, ensure_ascii=False)
    return f"--- text\n{result}\n--- html\n{result._repr_html_()}\n--- json\n{data}\n"


@pytest.mark.parametrize(("name", "build"), CASES)
def test_views_match_their_golden_files(request: pytest.FixtureRequest, name: str, build: Any):
    """Every view of every example, word for word, as reviewed in tests/golden/views/."""
    rendered = _all_views(build())
    path = GOLDEN_VIEWS / f"{request.node.callspec.id}.txt"
    golden_files.assert_matches(path, rendered, f"{name}: the views")


def test_every_golden_file_has_an_example():
    """No golden file is left behind by a removed or renamed example."""
    ids = {f"{p.id}.txt" for p in CASES}
    stale = sorted(p.name for p in GOLDEN_VIEWS.glob("*.txt") if p.name not in ids)
    assert not stale, f"golden files of no example (delete them): {stale}"


# --- issue 26: every value readable, nested parts and lists too; colours from the theme ----

_RAW_REPR = re.compile(r"Decimal\(|datetime\.date\(|<[A-Z][A-Za-z]+\.[A-Z_]+: |\(\)|\w+=\(")


def _parts(value: Any, seen: dict[int, Any] | None = None) -> dict[int, Any]:
    """Every attrs instance reachable from ``value`` through its public fields and lists."""
    import attrs

    seen = {} if seen is None else seen
    if attrs.has(type(value)) and id(value) not in seen:
        seen[id(value)] = value
        for field in attrs.fields(type(value)):
            if not field.name.startswith("_"):
                _parts(getattr(value, field.name), seen)
    elif isinstance(value, tuple | list):
        for v in value:
            _parts(v, seen)
    return seen


def _nested(build: Callable[[], Any]) -> list[Any]:
    result = build()
    return [p for p in _parts(result).values() if p is not result]


def _dense(text: str) -> str:
    """The text without its layout: spaces and table rules dropped."""
    return re.sub(r"[\s+-]+", "", text)


class _Printer:
    """IPython's pretty printer, as far as ``_repr_pretty_`` uses it."""

    def __init__(self) -> None:
        self.printed: list[str] = []

    def text(self, text: str) -> None:
        self.printed.append(text)


def _pretty(value: Any) -> str:
    printer = _Printer()
    value._repr_pretty_(printer, False)
    return "".join(printer.printed)


def _styles(markup: str) -> list[dict[str, str]]:
    """Every inline style of the markup, as {property: value}."""
    out = []
    for style in re.findall(r'style="([^"]*)"', markup):
        declarations = {}
        for declaration in html.unescape(style).split(";"):
            if ":" in declaration:
                name, value = declaration.split(":", 1)
                declarations[name.strip().lower()] = value.strip()
        out.append(declarations)
    return out


def _every_html() -> list[tuple[str, str]]:
    """The HTML of every example and of every part nested in one, with its name."""
    views = []
    for param in CASES:
        _name, build = param.values
        result = build()
        views.append((param.id, result._repr_html_()))
        views.extend(
            (f"{param.id}/{type(p).__name__}", p._repr_html_())
            for p in _nested(build)
            if hasattr(p, "_repr_html_")
        )
    return views


def test_no_view_sets_a_background_without_a_text_colour():
    """Issue 26: a background without a text colour is unreadable in some theme (pale grey
    on cream in a dark one); every element that sets one sets both, and no view fixes a
    colour the theme cannot override (a literal colour only as a variable's fallback)."""
    checked = 0
    for name, markup in _every_html():
        for style in _styles(markup):
            backgrounds = [p for p in style if p.startswith("background")]
            if backgrounds:
                checked += 1
                assert "color" in style, f"{name}: background without a text colour: {style}"
            if "color" in style:
                assert style["color"].startswith(("var(--jp-", "inherit")), (name, style)
    assert checked > 100


def test_links_take_the_themes_link_colour():
    """Issue 26: the reference links were dark blue on black; they now take the theme's
    link colour (JupyterLab, VS Code), else the text's own colour, underlined."""
    markup = check_eligibility(_facts())._repr_html_()
    banner, rest = markup.split("</p>", 1)
    links = re.findall(r"<a [^>]*>", rest)
    assert links
    for link in links:
        assert (
            "color:var(--jp-content-link-color, var(--vscode-textLink-foreground, inherit))" in link
        )
        assert "text-decoration:underline" in link
    # in a tinted banner a link takes the banner's own text colour (a theme's link blue on
    # the tint falls below 4.5:1)
    for link in re.findall(r"<a [^>]*>", banner):
        assert 'style="color:inherit;text-decoration:underline"' in link


@pytest.mark.parametrize(("name", "build"), CASES)
def test_nested_parts_read_as_text_and_html(name: str, build: Callable[[], Any]):
    """Issue 26: a part of a result (an offer, a deduction step, a criterion, a list of
    them) shown on its own reads like the result: money as £, dates with their weekday,
    enums by label, lists as tables; no attrs repr (Decimal(...), enum reprs, tuples)."""
    for part in _nested(build):
        text = _pretty(part)
        assert not _RAW_REPR.search(text), f"{name}/{type(part).__name__}: {text}"
        markup = part._repr_html_()
        assert markup.startswith('<p role="status"'), markup[:60]
        assert not _RAW_REPR.search(_visible(markup)), f"{name}/{type(part).__name__}"
        assert not _ISO_DATE.search(_visible(markup)), f"{name}/{type(part).__name__}"


@pytest.mark.parametrize(("name", "build"), CASES)
def test_repr_is_compact_and_pretty_is_the_text_view(name: str, build: Callable[[], Any]):
    """Issue 26: ``repr`` is one short line (``text/plain`` in a notebook was the attrs repr
    of every field); IPython's pretty printer shows the text view with dates as
    ``Wed 30 Oct 2024``; to_dict is unchanged (the golden files above pin it)."""
    result = build()
    line = repr(result)
    assert "\n" not in line
    assert len(line) <= 100, line
    assert line.startswith(f"<{name}"), line
    assert not _RAW_REPR.search(line), line
    pretty, text = _pretty(result), str(result)
    # IPython's text is the text view with each ISO date as a UK date, tables realigned:
    # the same words and figures, nothing else
    assert not _ISO_DATE.search(pretty), pretty
    assert _dense(_iso(pretty)) == _dense(text)
    assert len(pretty.splitlines()) == len(text.splitlines())


def test_an_empty_fee_negotiation_renders():
    """Issue 26: the fees of a negotiation with no fee offer rendered as nothing
    (``FeeNegotiation(offers=())``); it now says there are none yet."""
    fees = _negotiation().fees
    assert not fees.offers
    assert "Offers: none yet" in _visible(fees._repr_html_())
    assert _pretty(fees) == "FeeNegotiation\nOffers: none yet"
    offered = _fees_countered().fees
    headers, rows = table(offered._repr_html_())
    assert headers[:3] == ["party", "number", "amount"]
    assert rows[1][:3] == ["claimant", "1", "£400.00"]


def test_every_public_value_class_has_readable_views():
    """Every public attrs class (results, parts, inputs) has an HTML view and IPython's
    readable text: nothing public falls back to the attrs repr in a notebook."""
    import attrs

    missing = [
        name
        for name, cls in _public_classes().items()
        if attrs.has(cls)
        and cls.__module__ not in {"rtaprotocol.sources", "rtaprotocol.coverage"}
        and not (callable(getattr(cls, "_repr_html_", None)) and "_repr_pretty_" in dir(cls))
    ]
    assert not missing


def _contrast_script() -> Any:
    """scripts/contrast.py, the browser check docs/views.md describes, as a module."""
    import importlib.util

    path = Path(__file__).parent.parent / "scripts" / "contrast.py"
    spec = importlib.util.spec_from_file_location("rtaprotocol_contrast", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_views_are_readable_in_a_browser(tmp_path: Path):
    """Issue 26, as a person would check it: every view (every example above and every part
    nested in one) rendered by headless Chromium in a light page, a dark page and the
    JupyterLab and VS Code themes; every text element reaches WCAG 2.1 AA contrast (4.5:1,
    success criterion 1.4.3) against the background it is rendered on. CI installs
    Chromium (.ci/run) and fails without it; elsewhere the test is skipped without it."""
    contrast = _contrast_script()
    browser = contrast.chromium()
    if browser is None:
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true and no chromium on PATH: .ci/run installs it (apt-get)")
        pytest.skip("no chromium on PATH (apt-get install -y chromium); CI runs this test")
    views = _every_html()
    count, failures = contrast.check(browser, views, tmp_path)
    # every view has text: at least one measured element per view and theme
    assert count >= len(views) * len(contrast.THEMES)
    assert not failures, "\n".join(failures[:40])


#: The results that are one table (issue 26: losses, payment breakdown, deadlines): each
#: has to_frame(). The portfolio summary (rtaprotocol.batch.summarise) is a DataFrame.
TABLES = (
    "ListOfLosses",
    "PaymentBreakdown",
    "LossesPayment",
    "ClaimNextSteps",
    "ResponseDeadlines",
)


@pytest.mark.parametrize(("name", "build"), [p for p in CASES if p.values[0] in TABLES])
def test_to_frame_has_the_rows_of_the_view(name: str, build: Callable[[], Any]):
    """Issue 26: to_frame() on every result that is a table gives a DataFrame of the rows
    the text view shows, money exact (Decimal pounds, as to_dict keeps it exact)."""
    import pandas as pd

    result = build()
    data = result.to_frame()
    assert isinstance(data, pd.DataFrame)
    # a LossesPayment's table is its breakdown, the first block of its text view
    _, rows = text_table(str(result).split("\n\n")[0])
    assert len(data) == len(rows)
    money = [c for c in data.columns if any(isinstance(v, Decimal) for v in data[c])]
    for column in money:
        assert all(isinstance(v, Decimal | type(None)) or v == "" for v in data[column])


def test_to_frame_without_pandas_names_the_batch_extra(monkeypatch: pytest.MonkeyPatch):
    """Without pandas, to_frame() says which extra to install, not a bare import error."""
    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(ModuleNotFoundError, match=r"rtaprotocol\[batch\]"):
        _losses().to_frame()


def test_a_refusal_shows_one_short_message_in_ipython():
    """Issue 26: a refused input in a notebook shows the problem, the value and the rule in
    one line (IPython's ``_render_traceback_`` hook), not a chain of internal frames."""
    with pytest.raises(rtaprotocol.RulesError) as caught:
        tariff_award(-1, accident_date=date(2024, 3, 1))
    lines = caught.value._render_traceback_()
    assert lines == [f"RulesError: {caught.value}"]
    assert "got -1" in lines[0]
    assert "Civil Liability Act 2018 s.3" in lines[0]
    assert "Traceback" not in "\n".join(lines)


def test_the_librarys_wrapper_frames_are_hidden_from_tracebacks():
    """The decorator every public function wears (rtaprotocol._decimal.exact) marks its
    frame ``__tracebackhide__``: IPython's and pytest's tracebacks skip it."""
    import traceback

    try:
        tariff_award(-1, accident_date=date(2024, 3, 1))
    except rtaprotocol.RulesError as error:
        frames = traceback.extract_tb(error.__traceback__)
        wrappers = [f for f in frames if f.name == "wrapper"]
        assert wrappers
        tb = error.__traceback__
        hidden = []
        while tb is not None:
            if tb.tb_frame.f_code.co_name == "wrapper":
                hidden.append(tb.tb_frame.f_locals.get("__tracebackhide__"))
            tb = tb.tb_next
        assert hidden
        assert all(hidden)


@pytest.mark.parametrize(("name", "build"), CASES)
def test_no_view_prints_a_raw_repr(name: str, build: Callable[[], Any]):
    """Issue 26: no text or HTML view of a result shows an attrs repr, ``Decimal(...)``, an
    enum's repr or a tuple: every value is written as a reader would write it."""
    result = build()
    assert not _RAW_REPR.search(str(result)), name
    assert not _RAW_REPR.search(_visible(result._repr_html_())), name
