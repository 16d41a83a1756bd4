"""The batch path for pricing scripts: the scalar rules over numpy arrays and pandas frames.

The scalar functions are the specification; this module gives the same answers, to the
penny and the day, over a million rows at a time. It needs the ``batch`` extra (numpy
and pandas) and is imported explicitly: ``import rtaprotocol`` never loads it.

**Money is integer pence.** Every amount in or out is an ``int64`` number of pence
(``211250`` is £2,112.50): no float ever holds money. Percentages become whole basis
points (at most two decimal places, as :func:`~rtaprotocol.money.to_percent` requires),
and every reduction is ``(pence * (10000 - bp) + 5000) // 10000``, which is exactly
:func:`~rtaprotocol.money.round_penny` (half-up) of the scalar Decimal step. Use
:func:`pence` to bring pounds in (it applies :func:`~rtaprotocol.money.to_money`'s
rules) and :func:`pounds` to turn results back into two-place ``Decimal`` pounds.
Amounts above :data:`MAX_PENCE` (£100 billion) are refused, so no product can overflow.

**Bad rows are named, never NaN.** Every check runs over the whole column; a
:class:`~rtaprotocol.errors.RulesError` then names every bad row by its index label
(or position, for a plain array), with the value, the field and the rule. ``err.value``
maps each bad row to its offending values (a label the index repeats maps to a list,
one entry per bad row, so none is lost).

>>> import numpy as np
>>> days = np.array(["2023-05-02", "2023-05-27"], dtype="datetime64[D]")
>>> add_business_days_many(days, 1)   # Saturday: Monday 29 May is a bank holiday
array(['2023-05-03', '2023-05-30'], dtype='datetime64[D]')
"""

from __future__ import annotations

from rtaprotocol._public import publish

# isort: off
# The documented names in batch.py's order, which is the order of the API page (mkdocs,
# members_order: source, follows these lines).
from rtaprotocol.batch.dask import PortfolioRun
from rtaprotocol.batch.whatif import TableComparison
from rtaprotocol.batch.dates import add_business_days_many, due_dates
from rtaprotocol.batch.money import pence, pounds
from rtaprotocol.batch.tariff import tariff_amounts
from rtaprotocol.batch.deductions import payments
from rtaprotocol.batch.frame import value_claims_meta, value_claims
from rtaprotocol.batch.summary import summarise
from rtaprotocol.batch.dask import dask_worker_config, local_cluster, value_claims_dask
from rtaprotocol.batch.dask import run_portfolio
from rtaprotocol.batch.whatif import compare_tables

# isort: on
from rtaprotocol.batch.bad_rows import ERROR_POLICIES, STATUS_COLUMNS
from rtaprotocol.batch.columns import BATCH_MONEY_REFERENCE as BATCH_MONEY_REFERENCE
from rtaprotocol.batch.columns import (
    CLAIM_COLUMNS,
    LIMIT_COLUMNS,
    MAX_PENCE,
    PAYMENT_COLUMNS,
    PENCE_COLUMNS,
    PERCENT_SCALES,
    TARIFF_COLUMNS,
    VALUE_COLUMNS,
)
from rtaprotocol.batch.columns import CONTRACT_REFERENCE as CONTRACT_REFERENCE
from rtaprotocol.batch.columns import EXTRA_POLICIES as EXTRA_POLICIES
from rtaprotocol.batch.columns import FRACTION_REFERENCE as FRACTION_REFERENCE
from rtaprotocol.batch.columns import PERCENT_REFERENCE as PERCENT_REFERENCE
from rtaprotocol.batch.dask import DASK_WORKER_ENV
from rtaprotocol.batch.dask import RUN_REFERENCE as RUN_REFERENCE
from rtaprotocol.batch.summary import SUMMARY_REFERENCE as SUMMARY_REFERENCE
from rtaprotocol.batch.summary import SUMMARY_TOTALS
from rtaprotocol.batch.tariff import _tariff_arrays as _tariff_arrays
from rtaprotocol.batch.whatif import COMPARE_REFERENCE as COMPARE_REFERENCE

__all__ = [
    "CLAIM_COLUMNS",
    "DASK_WORKER_ENV",
    "ERROR_POLICIES",
    "LIMIT_COLUMNS",
    "MAX_PENCE",
    "PAYMENT_COLUMNS",
    "PENCE_COLUMNS",
    "PERCENT_SCALES",
    "STATUS_COLUMNS",
    "SUMMARY_TOTALS",
    "TARIFF_COLUMNS",
    "VALUE_COLUMNS",
    "PortfolioRun",
    "TableComparison",
    "add_business_days_many",
    "compare_tables",
    "dask_worker_config",
    "due_dates",
    "local_cluster",
    "payments",
    "pence",
    "pounds",
    "run_portfolio",
    "summarise",
    "tariff_amounts",
    "value_claims",
    "value_claims_dask",
    "value_claims_meta",
]

# The batch path's modules, in the order they build on each other (docs/maintaining.md):
# ``columns`` (units and column contracts), ``bad_rows``, ``dates``, ``money``, ``tariff``,
# ``deductions`` (:func:`payments`), ``arrow`` (polars and pyarrow inputs), ``frame``
# (:func:`value_claims`), ``summary``, ``dask`` and ``whatif``. The names imported ``as``
# themselves are attributes batch.py had outside ``__all__`` (references, the tariff cache
# the tests clear). Each public name answers to ``rtaprotocol.batch``.
publish(globals())
