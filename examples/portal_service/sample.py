"""A realistic claim as the JSON a portal sends: submission to payment (guide 6.1 to 6.6).

Used by the service's tests and its benchmark; a reader can send the same documents.
"""

from __future__ import annotations

from typing import Any

FACTS: dict[str, Any] = {
    "accident_date": "2023-03-01",
    "entry_date": "2023-05-02",
    "date_of_birth": "1990-01-01",
    "accident_location": "england",
    "road_user": "vehicle-occupant",
    "someone_else_to_blame": True,
    "other_vehicle_registration_known": True,
    "other_vehicle_uk_registered": True,
    "claimant_protected_party": False,
    "defendant_protected_party": False,
    "health_and_safety_breach": False,
    "defendant_road_user": True,
    "untraced_driver": False,
    "claimant_personal_representative": False,
    "defendant_personal_representative": False,
    "claimant_bankrupt": False,
    "injury": 1500,
    "other_protocol_damages": 1500,
}
LOSSES: dict[str, Any] = {
    "items": [
        {"type": "injury-loss-of-earnings", "amount": "1000.00"},
        {"type": "property-excess", "amount": "250.00"},
        {"type": "property-repairs", "amount": "250.00"},
    ]
}
#: The body of POST /claims: the submitted event (its kind may be left out).
SUBMISSION: dict[str, Any] = {
    "on": "2023-05-02",
    "facts": FACTS,
    "whiplash": True,
    "compensator": "insurer",
    "losses": LOSSES,
}
#: The events after submission, in order, to settlement and payment.
EVENTS: list[dict[str, Any]] = [
    {"kind": "liability-response", "on": "2023-05-10", "response": "admit-full"},
    {"kind": "voluntary-interim-payment", "on": "2023-05-12", "amount": "100.00"},
    {"kind": "proceed-to-medical", "on": "2023-05-20"},
    {
        "kind": "medical-report-received",
        "on": "2023-05-25",
        "report": "first",
        "prognosis_months": 6,
    },
    {"kind": "medical-report-shared", "on": "2023-05-26"},
    {"kind": "offer-requested", "on": "2023-06-05"},
    {
        "kind": "offer",
        "on": "2023-06-20",
        "party": "compensator",
        "amount": "2300.00",
        "injury": "800.00",
        "items": ["1000.00", "250.00", "250.00"],
        "tariff": "whiplash",
    },
    {"kind": "accept", "on": "2023-06-21", "party": "claimant"},
    {"kind": "payment-made", "on": "2023-07-03", "amount": "2200.00"},
]
