"""Example facts shared across the test modules."""

from __future__ import annotations

from datetime import date
from typing import Any

#: The routing facts of an OIC-eligible road traffic accident (guide 4.1, 4.2): every
#: answer known and passing, at both value limits (£5,000 injury, £5,000 other damages).
OIC_RTA: dict[str, Any] = {
    "accident_type": "road-traffic",
    "accident_date": date(2023, 3, 1),
    "entry_date": date(2023, 4, 3),
    "date_of_birth": date(1990, 1, 1),
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
    "injury": "5000.00",
    "other_protocol_damages": "5000.00",
}
