"""The parts of an eligibility answer: reasons, questions, redirects and notices.

What :func:`rtaprotocol.eligibility.check_eligibility` says, and why (guide 4.1-4.3,
5.4): the value objects of its explanation and the questions it asks. A private part
of :mod:`rtaprotocol.eligibility`, which re-exports every name: import them from there.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final, final

import attrs
from attrs import frozen

from rtaprotocol._decimal import exact
from rtaprotocol.sources import Reference

_QUESTIONS: Final[Mapping[str, str]] = {
    "injury": "What is your injury claim worth (pain, suffering and loss of amenity, "
    "whiplash tariff and other injuries together)?",
    "other_protocol_damages": "What are your other protocol damages worth (losses, costs "
    "and expenses other than for the injury, leaving out non-protocol vehicle costs)?",
    "date_of_birth": "What is your date of birth?",
    "accident_location": "Where did the accident happen: England, Wales, Scotland, "
    "Northern Ireland or elsewhere?",
    "road_user": "Were you inside a vehicle at the time of the accident, or a "
    "motorcyclist, pillion or sidecar passenger, wheelchair or powered wheelchair user, "
    "on a mobility scooter, on a bicycle or other pedal cycle, riding a horse or a "
    "pedestrian?",
    "someone_else_to_blame": "Do you believe someone else was responsible, in full or in "
    "part, for the accident?",
    "other_vehicle_registration_known": "Do you have the registration number of the "
    "vehicle you believe was responsible?",
    "other_vehicle_uk_registered": "Did the vehicle you believe was responsible have a UK "
    "registration number plate?",
    "claimant_protected_party": "Are you a protected party (someone who lacks capacity to "
    "conduct proceedings)?",
    "defendant_protected_party": "Is the defendant a protected party (someone who lacks "
    "capacity to conduct proceedings)?",
    "health_and_safety_breach": "Were your injuries partly caused by the defendant's "
    "breach of section 53 of the Health and Safety at Work etc Act 1974?",
    "defendant_road_user": "Is the person you are claiming against a road user?",
    "untraced_driver": "Is your claim against an untraced driver (Untraced Drivers' "
    "Agreement 2017)?",
    "claimant_personal_representative": "Are you claiming as the personal representative "
    "of someone who has died?",
    "defendant_personal_representative": "Is the defendant the personal representative of "
    "someone who has died?",
    "claimant_bankrupt": "Are you currently bankrupt?",
}


@final
@frozen
class Reason:
    """Why a claim cannot use the portal: a criterion that fails (guide 4.1, 4.2).

    ``code`` is stable and machine-readable (one of :data:`CRITERIA`' codes),
    ``message`` is for the claimant, ``reference`` is the rule. ``redirect`` is set when
    the guide sends the claimant somewhere else instead (guide 4.3): a redirect, not a
    plain refusal; it is ``None`` for every other reason.

    >>> Reason(code="claimant_bankrupt", message="you are currently bankrupt",
    ...        reference="guide 4.2").to_dict()
    {'code': 'claimant_bankrupt', 'message': 'you are currently bankrupt', 'reference': 'guide 4.2', 'redirect': None}
    """

    code: str
    message: str
    reference: str = attrs.field(converter=Reference)
    redirect: Redirect | None = None

    @exact
    def to_dict(self) -> dict[str, Any]:
        """Return JSON-ready data (``redirect`` is ``None`` or the redirect's data)."""
        return {
            "code": self.code,
            "message": self.message,
            "reference": self.reference,
            "redirect": None if self.redirect is None else self.redirect.to_dict(),
        }


@final
@frozen
class Question:
    """An unknown answer some criterion still depends on, and the question to ask.

    >>> Question(field="date_of_birth", question="What is your date of birth?",
    ...          reference="guide 4.1").field
    'date_of_birth'
    """

    field: str
    question: str
    reference: str = attrs.field(converter=Reference)

    @exact
    def to_dict(self) -> dict[str, Any]:
        """Return JSON-ready data."""
        return {"field": self.field, "question": self.question, "reference": self.reference}


@final
@frozen
class Redirect:
    """Where the guide sends a claimant instead of the portal (guide 4.3).

    >>> Redirect(code="mib_green_card", to="Motor Insurers' Bureau Green Card",
    ...          message="might be able to help", reference="guide 4.3").to
    "Motor Insurers' Bureau Green Card"
    """

    code: str
    to: str
    message: str
    reference: str = attrs.field(converter=Reference)

    @exact
    def to_dict(self) -> dict[str, Any]:
        """Return JSON-ready data."""
        return {
            "code": self.code,
            "to": self.to,
            "message": self.message,
            "reference": self.reference,
        }


@final
@frozen
class Notice:
    """A warning that does not bar the portal, such as a near limitation deadline (guide 5.4).

    >>> Notice(code="limitation_near", message="...", reference="guide 5.4").code
    'limitation_near'
    """

    code: str
    message: str
    reference: str = attrs.field(converter=Reference)

    @exact
    def to_dict(self) -> dict[str, Any]:
        """Return JSON-ready data."""
        return {"code": self.code, "message": self.message, "reference": self.reference}
