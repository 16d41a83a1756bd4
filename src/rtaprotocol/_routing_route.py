"""The answer routing gives: the route, its reasons and the questions it asks.

A private part of :mod:`rtaprotocol.routing` (the result of
:func:`rtaprotocol.routing.which_process`, its views, and the questions an unknown
answer raises), which re-exports every name: import them from there.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final, Literal, final

from attrs import frozen

from rtaprotocol._render import html_table, html_verdict, text_table
from rtaprotocol._routing_facts import (
    _CATEGORY_REFERENCE,
    _LETTER_REFERENCE,
    _OWN_FLAGS,
    RoutingFacts,
)
from rtaprotocol._routing_limits import (
    Process,
    ValuePart,
)
from rtaprotocol.eligibility import (
    EligibilityResult,
    Question,
    Reason,
)
from rtaprotocol.lowvalue import Sourced

# --------------------------------------------------------------------------- the route


@final
@frozen
class Route:
    """Which process a claim belongs in, every reason, and what is still to ask.

    ``process`` is a :class:`Process`, or ``None`` for "cannot tell yet" (see
    ``questions``). ``reasons`` explain the route, each with its reference (for a
    road traffic accident they include every OIC criterion that fails, from
    :func:`~rtaprotocol.eligibility.check_eligibility`); ``figures`` are the dated limits
    used, each with its confidence mark; ``eligibility`` is the OIC check (road traffic
    accidents only); ``value_parts`` are the parts of the claim's value and which limits
    counted each (CPR 26.9, 26.13; guide 1.1.1; RTA Protocol para 4.4), empty until both
    amounts are known. The MIB's response periods, where the MIB is the compensator, are
    among the ``figures``.
    """

    facts: RoutingFacts
    process: Process | None
    reasons: tuple[Reason, ...]
    questions: tuple[Question, ...]
    figures: tuple[Sourced, ...]
    eligibility: EligibilityResult | None
    value_parts: tuple[ValuePart, ...] = ()

    @property
    def verdict(self) -> str:
        """The process's slug, or ``"cannot tell yet"``."""
        return "cannot tell yet" if self.process is None else self.process.value

    @property
    def codes(self) -> tuple[str, ...]:
        """The reasons' codes, in order."""
        return tuple(r.code for r in self.reasons)

    @property
    def headline(self) -> str:
        """The answer in one line."""
        if self.process is None:
            return "Cannot tell yet: answer the questions below"
        return f"{self.process.description[:1].upper()}{self.process.description[1:]}"

    def _sections(self) -> list[tuple[str, list[str], list[list[Any]]]]:
        out: list[tuple[str, list[str], list[list[Any]]]] = [
            (self.headline, ["code", "reason", "reference"],
             [[r.code, r.message, r.reference] for r in self.reasons]),
        ]  # fmt: skip
        if self.questions:
            rows = [[q.field, q.question, q.reference] for q in self.questions]
            out.append(("Questions to answer", ["field", "question", "reference"], rows))
        if self.figures:
            figs = [[f.name, f.value, f.confidence.mark, f.reference] for f in self.figures]
            out.append(("Figures used", ["figure", "value", "confidence", "reference"], figs))
        if self.value_parts:
            parts = [
                [v.name, v.amount, "yes" if v.counted_for_track else "no",
                 "yes" if v.counted_for_portal else "no", v.reference]
                for v in self.value_parts
            ]  # fmt: skip
            out.append((
                "Value counted",
                ["part", "amount", "track limits", "portal limits", "reference"],
                parts,
            ))  # fmt: skip
        return out

    def __str__(self) -> str:
        return "\n\n".join(text_table(h, rows, title=t) for t, h, rows in self._sections())

    def _repr_html_(self) -> str:
        """Render the route first, then its reasons, questions and figures."""
        sections = self._sections()
        outcome: Literal["info"] | None = None if self.process is None else "info"
        return html_verdict(self.headline, outcome) + "".join(
            html_table(h, rows, caption="Why" if i == 0 else t)
            for i, (t, h, rows) in enumerate(sections)
        )

    def to_dict(self) -> dict[str, Any]:
        """Return JSON-ready data."""
        return {
            "process": None if self.process is None else self.process.value,
            "verdict": self.verdict,
            "system": None if self.process is None else self.process.system,
            "headline": self.headline,
            "reasons": [r.to_dict() for r in self.reasons],
            "questions": [q.to_dict() for q in self.questions],
            "figures": [f.to_dict() for f in self.figures],
            "eligibility": None if self.eligibility is None else self.eligibility.to_dict(),
            "value_parts": [v.to_dict() for v in self.value_parts],
            "facts": self.facts.to_dict(),
        }


_QUESTIONS: Final[Mapping[str, tuple[str, str]]] = {
    "accident_type": (
        (
            "Was the accident a road traffic accident, an accident at work (employers' "
            "liability), an accident in a public place (public liability), or is the claim for "
            "a disease caused at work?"
        ),
        "CPR 26.9(1)(a)(ii); RTA Protocol para 4; EL/PL Protocol para 4",
    ),
    "accident_location": (
        "Where did the accident happen: England, Wales, Scotland, Northern Ireland or elsewhere?",
        "CPR 2.1; guide 4.1",
    ),
    "injury": (
        "What is the claim for pain, suffering and loss of amenity worth?",
        "CPR 26.9(1)(a)(ii), 26.9(2)",
    ),
    "other_protocol_damages": (
        "What are the other damages in the claim worth (losses and expenses, leaving out interest)?",
        "CPR 26.9(1)(a)(i)",
    ),
    "date_of_birth": (
        "What is the claimant's date of birth (a child when the claim is started)?",
        "CPR 26.10; RTA Protocol para 1.1(7)",
    ),
    "road_user": (
        (
            "Was the claimant inside a vehicle, or a motorcyclist, pillion or sidecar passenger, "
            "wheelchair or mobility scooter user, cyclist, horse rider or pedestrian?"
        ),
        "CPR 26.10",
    ),
    "claimant_protected_party": (
        "Is the claimant a protected party?",
        "CPR 26.10; RTA Protocol para 4.5; EL/PL Protocol para 4.3",
    ),
    "defendant_protected_party": (
        "Is the defendant a protected party?",
        "RTA Protocol para 4.5; EL/PL Protocol para 4.3",
    ),
    "claimant_bankrupt": (
        "Is the claimant an undischarged bankrupt?",
        "CPR 26.10; RTA Protocol para 4.5; EL/PL Protocol para 4.3",
    ),
    "claimant_personal_representative": (
        "Does the claimant act as the personal representative of someone who has died?",
        "CPR 26.10; RTA Protocol para 4.5",
    ),
    "defendant_personal_representative": (
        "Does the defendant act as the personal representative of someone who has died?",
        "CPR 26.10; RTA Protocol para 4.5",
    ),
    "other_vehicle_uk_registered": (
        "Was the defendant's vehicle registered in the United Kingdom on the day of the accident?",
        "CPR 26.10; RTA Protocol para 4.5",
    ),
    "defendant_road_user": ("Is the defendant a road user?", "RTA Protocol para 4.5"),
    "untraced_driver": (
        "Is the claim against an untraced driver (MIB Untraced Drivers' Agreement)?",
        "guide 4.2; RTA Protocol para 4.5; Untraced Drivers' Agreement 2017",
    ),
    "date_of_knowledge": (
        "When did the claimant first know of the injury and its cause (date of knowledge)?",
        "SI 2022/101 r.2; Limitation Act 1980 s.14",
    ),
    "health_and_safety_breach": (
        (
            "Was the injury caused, wholly or in part, by the defendant's breach of a relevant "
            "statutory provision (section 53 of the Health and Safety at Work etc Act 1974)?"
        ),
        "RTA Protocol para 1.1 ('road traffic accident'); guide 4.2",
    ),
    "letter_of_claim_date": (
        (
            "On what date was the letter of claim sent to the defendant (if none has been "
            "sent yet, the date it will be sent)?"
        ),
        _LETTER_REFERENCE,
    ),
    "claim_category": (
        (
            "Is the claim for mesothelioma, an asbestos lung disease, clinical negligence, "
            "harm, abuse or neglect of or by a child or vulnerable adult, against the police "
            "for an intentional tort or under the Human Rights Act 1998, or none of these?"
        ),
        _CATEGORY_REFERENCE,
    ),
    "clinical_negligence_admitted": (
        (
            "Has the defendant admitted both breach of duty and causation (from 6 April "
            "2024: admitted liability in full in its letter of response)?"
        ),
        "CPR 26.9(10)(b)",
    ),
    "defendant_individual": (
        "Is the defendant an individual (not sued in their business capacity or as occupier)?",
        "EL/PL Protocol para 4.3",
    ),
    "more_than_one_employer": (
        "Is the disease claim made against more than one employer?",
        "EL/PL Protocol para 4.3",
    ),
    "uninsured_driver": (
        "Is the driver traced but uninsured (the Motor Insurers' Bureau is the compensator)?",
        _OWN_FLAGS["uninsured_driver"],
    ),
}
