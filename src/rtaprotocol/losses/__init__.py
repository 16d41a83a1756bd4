"""The List of Losses: typed loss items, vehicle costs, interims and CRU by benefit head.

The portal captures a claim's money, other than the injury itself, as a **List of Losses**
(guide 5.2): typed items, each with its evidence. This module holds that list and the
payment path that works item by item.

- **Item types** are the rows of the guide's claim-capture table (guide 5.2), plus the
  property loss of earnings of guide 4.4 ("loss of earnings because you need your damaged
  car to work"). Each :class:`LossType` carries its head (:class:`~rtaprotocol.Head`), the
  guide's example evidence, its reference, whether it is one of the five vehicle costs
  the protocol lists (guide 5.2.4) and which CRU benefit head (if any) may be set off
  against it (Social Security (Recovery of Benefits) Act 1997, Sch 2).
- **Vehicle costs** (guide 5.2.4) are *protocol* vehicle costs when the claimant, a friend
  or a relative paid them (part of the claim, counted towards the limits) and
  *non-protocol* vehicle costs when an insurer, a credit-hire company or another
  organisation did (never counted towards the limits, guide 1.1.1; added to the claim only
  at the court stage, guide 6.6.3.2). :class:`PaidBy` says who paid.
- **The stage** (:class:`LossesStage`) is held by the list: before an offer is requested
  any item may be added; once an offer has been requested none may (guide 6.5.1.1); at
  the court stage only non-protocol vehicle costs may, and if they take the claim over a
  value limit the list carries the guide's warning to seek separate advice (6.6.3.2).
- **Interim payments** for an item (guide 6.3.1.4) mark the item paid and come off its
  head, never off the injury; a general interim payment is a line of its own.
- **CRU** (guide 6.5.2.2; 1997 Act Sch 2): a :class:`CruCertificate` gives the benefits
  under the three heads of Sch 2. :func:`compute_payment_for_losses` sets each off only
  against the items of its kind, never against the injury, never beyond those items'
  value after the liability and seatbelt steps; what cannot be set off is recorded.

>>> losses = ListOfLosses(injury=1000).add(LossItem(LossType.INJURY_LOSS_OF_EARNINGS, 1500))
>>> losses = losses.add(LossItem(LossType.PROPERTY_REPAIRS, 1300))
>>> losses = losses.add(LossItem(LossType.PROPERTY_EXCESS, 200, interim_paid=200))
>>> pay = compute_payment_for_losses(losses, claimant_liability_percent=25,
...                                  seatbelt_percent=10, cru_certificate=CruCertificate(earnings=500))
>>> pay.total
Decimal('2112.50')
"""

from __future__ import annotations

from rtaprotocol._public import publish
from rtaprotocol._views import install_views

# isort: off
# In losses.py's order, which is the order of the API page (mkdocs, members_order: source,
# follows these lines).
from rtaprotocol.losses.loss_types import CruHead, LossType, PaidBy, LossesStage
from rtaprotocol.losses.items import LossItem
from rtaprotocol.losses.list_of_losses import ListOfLosses
from rtaprotocol.losses.cru import CruCertificate, CruSetOff
from rtaprotocol.losses.payment import LossesPayment, compute_payment_for_losses

# isort: on
from rtaprotocol.losses.loss_types import COURT_REFERENCE as COURT_REFERENCE
from rtaprotocol.losses.loss_types import CRU_HEAD_REFERENCE as CRU_HEAD_REFERENCE
from rtaprotocol.losses.loss_types import CRU_SCHEMA_REFERENCE as CRU_SCHEMA_REFERENCE
from rtaprotocol.losses.loss_types import INTERIM_ITEM_REFERENCE as INTERIM_ITEM_REFERENCE
from rtaprotocol.losses.loss_types import LIST_REFERENCE as LIST_REFERENCE
from rtaprotocol.losses.loss_types import MOBILITY_LOSS_TYPES
from rtaprotocol.losses.loss_types import NON_PROTOCOL_REFERENCE as NON_PROTOCOL_REFERENCE
from rtaprotocol.losses.loss_types import SCHEMA_REFERENCE as SCHEMA_REFERENCE
from rtaprotocol.losses.loss_types import SEEK_ADVICE_WARNING as SEEK_ADVICE_WARNING
from rtaprotocol.losses.loss_types import STAGE_REFERENCE as STAGE_REFERENCE
from rtaprotocol.losses.loss_types import TABLE_REFERENCE as TABLE_REFERENCE
from rtaprotocol.losses.loss_types import VEHICLE_COSTS_REFERENCE as VEHICLE_COSTS_REFERENCE

__all__ = [
    "MOBILITY_LOSS_TYPES",
    "CruCertificate",
    "CruHead",
    "CruSetOff",
    "ListOfLosses",
    "LossItem",
    "LossType",
    "LossesPayment",
    "LossesStage",
    "PaidBy",
    "compute_payment_for_losses",
]

#: The modules of the List of Losses (docs/maintaining.md): ``loss_types`` (the kinds and
#: the references), ``items``, ``list_of_losses``, ``cru``, ``payment`` (the rule),
#: ``reading`` (JSON in) and ``views`` (text and HTML out). Each public name answers to
#: ``rtaprotocol.losses``.
publish(globals())
install_views(globals())  # notebook views of every public class (rtaprotocol._views)
