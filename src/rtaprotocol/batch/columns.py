"""The batch path's units and column contracts (rtaprotocol.batch).

Money is ``int64`` pence (at most :data:`MAX_PENCE`), dates are numpy day numbers, and
these are the columns :func:`~rtaprotocol.batch.value_claims` and
:func:`~rtaprotocol.batch.payments` read and write.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Final, TypeAlias

import numpy as np
import numpy.typing as npt

from rtaprotocol.deadlines import (
    _FIRST,
    _LAST,
)
from rtaprotocol.deductions import (
    _CRU_ON_INJURY,
    _INTERIM_ON_INJURY,
    CRU_NOT_INJURY_REFERENCE,
    INTERIM_NOT_INJURY_REFERENCE,
)
from rtaprotocol.limits import INJURY_LIMIT, TOTAL_LIMIT
from rtaprotocol.money import MONEY_REFERENCE, to_pence
from rtaprotocol.tariff import (
    TARIFF_TABLES,
)

Int64Array: TypeAlias = npt.NDArray[np.int64]
BoolArray: TypeAlias = npt.NDArray[np.bool_]

#: The largest amount the batch path accepts, in pence (£100,000,000,000), so that
#: ``pence * 10000`` stays far inside ``int64``.
MAX_PENCE: Final = 10**13

_EPOCH: Final = date(1970, 1, 1).toordinal()  # numpy's day 0
_FIRST_DAY: Final = _FIRST - _EPOCH  # the supported range, in numpy day numbers
_LAST_DAY: Final = _LAST - _EPOCH
#: More business days than the supported range holds: a count beyond it is out of range
#: from any date, so counts are clamped to it before any int64 arithmetic.
_FAR: Final = _LAST - _FIRST + 2
_SHOWN: Final = 20  # bad rows spelled out in an error message; err.value holds them all
_NAT: Final = np.iinfo(np.int64).min  # NaT's int64 representation
PERCENT_REFERENCE: Final = (
    "percentages are 0 to 100 with at most two decimal places (rtaprotocol percentages)"
)
BATCH_MONEY_REFERENCE: Final = (
    f"batch amounts are whole pence from 0 to {MAX_PENCE:_} (int64, never float); "
    + MONEY_REFERENCE
)


#: The output columns of :func:`payments`, all ``int64`` pence.
PAYMENT_COLUMNS: Final = (
    "net_injury_pence",
    "net_injury_related_pence",
    "net_property_pence",
    "total_pence",
    "cru_not_set_off_pence",
    "interim_not_set_off_pence",
    "general_interim_not_set_off_pence",
)


#: ``value_claims``' input columns: name -> (default, or None if required; meaning).
CLAIM_COLUMNS: Final[Mapping[str, tuple[object, str]]] = {
    "accident_date": (None, "date of the accident (datetime64 or datetime.date)"),
    "duration_months": (None, "longest whiplash injury, whole months (or Decimal)"),
    "psychological": (False, "with minor psychological injury (bool)"),
    "uplift_percent": (0, "tariff uplift, 0 to 20 percent"),
    "failed_to_mitigate": (
        False,
        "over 24 months only for failure to mitigate, valued at 18-24 months (bool)",
    ),
    "non_tariff_pence": (0, "non-whiplash injury damages (JCG), pence"),
    "overlap_pence": (0, "overlap deducted from the non-tariff part (Hassam v Rabot), pence"),
    "injury_related_pence": (0, "injury-related protocol damages, pence"),
    "property_pence": (0, "property-related protocol damages, pence"),
    "claimant_liability_percent": (0, "claimant's share of liability, 0 to 100"),
    "seatbelt_percent": (0, "reduction for no seatbelt, 0 to 100"),
    "cru_injury_related_pence": (0, "CRU against the injury-related head, pence"),
    "cru_property_pence": (0, "CRU against the property head, pence"),
    "interim_injury_related_pence": (0, "interim paid for an injury-related item, pence"),
    "interim_property_pence": (0, "interim paid for a property item, pence"),
    "general_interim_pence": (0, "interim not tied to an item, off the total, pence"),
}
#: Columns that may appear only if every value is 0: CRU and item interims never reduce
#: the injury head (SS(RB)A 1997 Sch 2; guide 6.3.1.4).
_FORBIDDEN: Final = {
    "cru_injury_pence": (_CRU_ON_INJURY, CRU_NOT_INJURY_REFERENCE),
    "interim_injury_pence": (_INTERIM_ON_INJURY, INTERIM_NOT_INJURY_REFERENCE),
}
#: What ``value_claims`` does with a column outside the contract (``extra=``).
EXTRA_POLICIES: Final = ("forbid", "ignore")
#: ``value_claims``' money columns, all ``int64`` pence.
PENCE_COLUMNS: Final = ("tariff_pence", "injury_pence", *PAYMENT_COLUMNS)
#: How each row's tariff was found: the table ("Table 1"/"Table 2"), the band (by its
#: "not more than" edge in months), the column ("whiplash"/"whiplash+psych"), and
#: whether a what-if ``tariff_table=`` chose the table rather than the accident date.
TARIFF_COLUMNS: Final = ("tariff_table", "tariff_band", "tariff_column", "tariff_by_scenario")
#: Whether each claim is within the portal's value limits, and if not, why (the codes of
#: :func:`~rtaprotocol.limits.check_value_limits`' breaches, joined by ``","``).
LIMIT_COLUMNS: Final = ("within_limits", "limits_reason")
#: ``value_claims``' output columns, in order.
VALUE_COLUMNS: Final = (*PENCE_COLUMNS, *TARIFF_COLUMNS, *LIMIT_COLUMNS)
#: The category labels of the categorical output columns, in code order.
_TABLE_NAMES: Final = tuple(t.name for t in TARIFF_TABLES)
_COLUMN_NAMES: Final = ("whiplash", "whiplash+psych")
_LIMIT_REASONS: Final = (
    "",
    "injury_over_limit",
    "total_over_limit",
    "injury_over_limit,total_over_limit",
)
CONTRACT_REFERENCE: Final = (
    "the column contract of rtaprotocol.batch.value_claims (rtaprotocol batch columns)"
)
_INJURY_LIMIT_PENCE: Final = to_pence(INJURY_LIMIT)  # in the library context, not the importer's
_TOTAL_LIMIT_PENCE: Final = to_pence(TOTAL_LIMIT)


#: ``percent_scale=`` choices: ``None`` reads percentages (``25`` is 25%) and refuses a
#: column that looks like fractions; ``"percent"`` reads percentages without that check;
#: ``"fraction"`` reads fractions (``0.25`` is 25%).
PERCENT_SCALES: Final = (None, "percent", "fraction")
FRACTION_REFERENCE: Final = (
    "percentages are 0 to 100 (25 is 25%); a column of fractions (0.25 for 25%) needs "
    'percent_scale="fraction" (rtaprotocol percentages)'
)
