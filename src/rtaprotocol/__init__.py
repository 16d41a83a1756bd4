"""rtaprotocol: the England & Wales RTA Small Claims Pre-Action Protocol as pure functions.

Every public name is importable from here. Submodules load on first use (PEP 562), so
``import rtaprotocol`` stays cheap and does not import ``holidays``.

>>> from datetime import date
>>> import rtaprotocol
>>> rtaprotocol.due_date(rtaprotocol.Period.OFFER, date(2023, 5, 2))
datetime.date(2023, 6, 1)
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rtaprotocol.deadlines import (
        FIRST_SUPPORTED_DATE,
        LAST_SUPPORTED_DATE,
        EnglandWalesCalendar,
        Period,
        add_business_days,
        business_days_between,
        due_date,
        is_business_day,
        limitation_deadline,
    )
    from rtaprotocol.errors import (
        OutOfCoverageError,
        ProtocolViolation,
        RulesError,
        RulesTypeError,
    )
    from rtaprotocol.limits import (
        INJURY_LIMIT,
        TOTAL_LIMIT,
        LimitBreach,
        ValueLimitCheck,
        check_value_limits,
    )
    from rtaprotocol.money import format_money, round_penny, to_money, to_pence, to_percent

__version__ = "0.1.0"

__all__ = [
    "FIRST_SUPPORTED_DATE",
    "INJURY_LIMIT",
    "LAST_SUPPORTED_DATE",
    "TOTAL_LIMIT",
    "EnglandWalesCalendar",
    "LimitBreach",
    "OutOfCoverageError",
    "Period",
    "ProtocolViolation",
    "RulesError",
    "RulesTypeError",
    "ValueLimitCheck",
    "add_business_days",
    "business_days_between",
    "check_value_limits",
    "due_date",
    "format_money",
    "is_business_day",
    "limitation_deadline",
    "round_penny",
    "to_money",
    "to_pence",
    "to_percent",
]

# Where each public name lives; the test suite checks this matches __all__ exactly.
_LOCATIONS: dict[str, str] = {
    "FIRST_SUPPORTED_DATE": "deadlines",
    "INJURY_LIMIT": "limits",
    "LAST_SUPPORTED_DATE": "deadlines",
    "TOTAL_LIMIT": "limits",
    "EnglandWalesCalendar": "deadlines",
    "LimitBreach": "limits",
    "OutOfCoverageError": "errors",
    "Period": "deadlines",
    "ProtocolViolation": "errors",
    "RulesError": "errors",
    "RulesTypeError": "errors",
    "ValueLimitCheck": "limits",
    "add_business_days": "deadlines",
    "business_days_between": "deadlines",
    "check_value_limits": "limits",
    "due_date": "deadlines",
    "format_money": "money",
    "is_business_day": "deadlines",
    "limitation_deadline": "deadlines",
    "round_penny": "money",
    "to_money": "money",
    "to_pence": "money",
    "to_percent": "money",
}


def __getattr__(name: str) -> Any:
    module = _LOCATIONS.get(name)
    if module is None:
        raise AttributeError(f"module 'rtaprotocol' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"rtaprotocol.{module}"), name)
    globals()[name] = value  # later look-ups skip this function
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
