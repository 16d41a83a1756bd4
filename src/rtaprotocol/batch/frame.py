"""The DataFrame entry point: :func:`~rtaprotocol.batch.value_claims` (rtaprotocol.batch).

A portfolio of claims in, each claim valued (tariff, injury head, payment, limits) out,
under the column contract of :mod:`rtaprotocol.batch.columns`.
"""

from __future__ import annotations

import difflib
from collections.abc import Hashable, Iterable, Mapping
from decimal import Decimal
from typing import Any, Final

import numpy as np
import numpy.typing as npt
import pandas as pd

from rtaprotocol._decimal import exact
from rtaprotocol.batch.arrow import _as_pandas, _same_kind
from rtaprotocol.batch.bad_rows import _STATUSES, ERROR_POLICIES, STATUS_COLUMNS, _Rows
from rtaprotocol.batch.columns import (
    _COLUMN_NAMES,
    _FORBIDDEN,
    _INJURY_LIMIT_PENCE,
    _LIMIT_REASONS,
    _TABLE_NAMES,
    _TOTAL_LIMIT_PENCE,
    BATCH_MONEY_REFERENCE,
    CLAIM_COLUMNS,
    CONTRACT_REFERENCE,
    EXTRA_POLICIES,
    FRACTION_REFERENCE,
    MAX_PENCE,
    PENCE_COLUMNS,
    PERCENT_SCALES,
    VALUE_COLUMNS,
    BoolArray,
    Int64Array,
)
from rtaprotocol.batch.deductions import _not_against_injury, _payment_pence
from rtaprotocol.batch.money import _basis_points, _whole_pence
from rtaprotocol.batch.tariff import _tariff_rows
from rtaprotocol.deductions import (
    LIABILITY_REFERENCE,
    SEATBELT_REFERENCE,
    Head,
    _seatbelt_heads,
)
from rtaprotocol.errors import (
    ErrorCode,
    InvalidInput,
    RulesError,
    RulesTypeError,
)
from rtaprotocol.tariff import (
    MAX_UPLIFT_PERCENT,
    UPLIFT_REFERENCE,
    TariffTable,
    _choose_table,
)
from rtaprotocol.valuation import MIXED_INJURY_REFERENCE


def _categories(codes: Int64Array, labels: tuple[str, ...]) -> pd.Categorical:
    return pd.Categorical.from_codes(codes, categories=pd.Index(labels, dtype=object))


def _table_names(what_if: TariffTable | None = None) -> tuple[str, ...]:
    """Return the ``tariff_table`` categories: the law's tables, then a what-if table's name."""
    return _TABLE_NAMES if what_if is None else (*_TABLE_NAMES, what_if.name)


def _value_dtypes(what_if: TariffTable | None = None) -> dict[str, Any]:
    """Return the dtype of each output column (categoricals with fixed categories)."""
    dtypes: dict[str, Any] = dict.fromkeys(PENCE_COLUMNS, np.dtype(np.int64))
    dtypes["tariff_table"] = pd.CategoricalDtype(pd.Index(_table_names(what_if), dtype=object))
    dtypes["tariff_band"] = np.dtype(np.int64)
    dtypes["tariff_column"] = pd.CategoricalDtype(pd.Index(_COLUMN_NAMES, dtype=object))
    dtypes["tariff_by_scenario"] = np.dtype(np.bool_)
    dtypes["within_limits"] = np.dtype(np.bool_)
    dtypes["limits_reason"] = pd.CategoricalDtype(pd.Index(_LIMIT_REASONS, dtype=object))
    return dtypes


def value_claims_meta(
    *, tariff_table: str | TariffTable | None = None, errors: str = "raise"
) -> pd.DataFrame:
    """Return an empty frame shaped like :func:`value_claims`' output (Dask's ``meta``).

    ``tariff_table``: as given to :func:`value_claims`; a what-if table's name is then
    one more ``tariff_table`` category.

    ``errors="flag"`` gives the shape of a flagged result: nullable figures
    (``Int64``, ``boolean``; a refused row has none) and the :data:`STATUS_COLUMNS`.

    >>> meta = value_claims_meta()
    >>> meta["total_pence"].dtype, meta["tariff_table"].cat.categories.tolist()
    (dtype('int64'), ['Table 1', 'Table 2'])
    >>> value_claims_meta(errors="flag")[["total_pence", "status"]].dtypes.tolist()
    [Int64Dtype(), CategoricalDtype(categories=['valued', 'refused'], ordered=False, categories_dtype=object)]
    """
    what_if = _choose_table(tariff_table)[1]
    dtypes = _value_dtypes(what_if)
    if _check_choice(errors, ERROR_POLICIES, "errors"):
        for name, dtype in dtypes.items():
            if dtype == np.int64:
                dtypes[name] = pd.Int64Dtype()
            elif dtype == np.bool_:
                dtypes[name] = pd.BooleanDtype()
        dtypes["status"] = pd.CategoricalDtype(pd.Index(_STATUSES, dtype=object))
        for name in STATUS_COLUMNS[1:]:
            dtypes[name] = pd.StringDtype()
    return pd.DataFrame({name: pd.Series([], dtype=dtype) for name, dtype in dtypes.items()})


@exact
def value_claims(
    claims: Any,
    *,
    seatbelt_heads: Iterable[Head | str] = (Head.INJURY, Head.INJURY_RELATED),
    columns: Mapping[Hashable, str] | None = None,
    passthrough: Iterable[Hashable] = (),
    extra: str = "forbid",
    tariff_table: str | TariffTable | None = None,
    errors: str = "raise",
    percent_scale: str | None = None,
) -> Any:
    """Value every claim of a portfolio: tariff, injury head, and what the offer pays.

    For each row: the tariff (:func:`tariff_amounts`; CLA 2018 s.3, WIR 2021 reg 2-3),
    the injury head as a mixed award (tariff plus ``non_tariff_pence`` less
    ``overlap_pence``, Hassam v Rabot, guide 4.4.2), then the ordered deductions of guide
    6.5.2 (:func:`payments`). Input columns are :data:`CLAIM_COLUMNS` (only
    ``accident_date`` and ``duration_months`` are required); the output is
    :data:`VALUE_COLUMNS` on the same index: :data:`PENCE_COLUMNS` in ``int64`` pence,
    how the tariff was found (:data:`TARIFF_COLUMNS`) and whether the claim is within
    the portal's value limits (:data:`LIMIT_COLUMNS`: £5,000 injury, £10,000 with the
    other protocol damages, before any deduction, as
    :func:`~rtaprotocol.limits.check_value_limits` counts them; guide 4.1, 4.4.3), then
    the ``passthrough`` columns unchanged.

    ``tariff_table``: ``None`` (the default) chooses each table by accident date, as the
    law does; ``"2021"`` or ``"2025"`` is a what-if scenario valuing every claim by Table
    1 or Table 2 (``tariff_by_scenario`` is then true), never the law for those dates.
    A :class:`~rtaprotocol.tariff.TariffTable` is accepted as well: a statutory one as
    its year's string; any other is checked
    (:func:`~rtaprotocol.tariff.check_tariff_table`) and is a what-if table:
    ``tariff_table`` then holds its name (never a statutory table's: ``"Table 1"`` is
    renamed ``"Table 1 (what-if)"``) and ``tariff_by_scenario`` is true on every row.
    :func:`compare_tables` values a portfolio under two tables side by side.

    ``claims`` may be a pandas DataFrame, a polars DataFrame or a pyarrow Table (read
    through Arrow; polars and pyarrow are imported only for such an input): the result
    is of the same kind, and bad rows are named by position.

    The contract is strict: a column outside it is refused, naming it and the closest
    contract column, because ignoring a misspelt ``liability_pct`` would value the claim
    as if the claimant bore no liability. ``columns={"their_name": "contract_name"}``
    renames in the call; ``passthrough=["policy"]`` copies columns to the output as they
    are; ``extra="ignore"`` drops every other unknown column (``"forbid"`` is the default).

    Every row is checked. ``errors="raise"`` (the default): one
    :class:`~rtaprotocol.errors.RulesError` names every bad row by its index label
    instead of returning NaN. ``errors="flag"``: the valid rows are valued and the
    invalid ones come back in the same frame with no figures (``<NA>``) and a
    ``status``, ``error_code`` (:class:`~rtaprotocol.errors.ErrorCode`), ``error_column`` and
    ``error_message`` (:data:`STATUS_COLUMNS`); :func:`summarise` counts them.

    ``percent_scale``: percentages are read as percentages (``25`` is 25%), and a
    column that looks like fractions (every value at most 1, some not whole) is refused,
    since ``0.25`` meant as 25% would be read as 0.25%; ``"fraction"`` reads such a
    column as fractions (``0.25`` is 25%), ``"percent"`` as percentages without the check.

    >>> import pandas as pd
    >>> claims = pd.DataFrame({
    ...     "accident_date": pd.to_datetime(["2025-05-30", "2025-05-31"]),
    ...     "duration_months": [12, 12],
    ...     "psychological": [True, True],
    ...     "non_tariff_pence": [250000, 0],
    ...     "overlap_pence": [79000, 0],
    ...     "claimant_liability_percent": [0, 25],
    ... }, index=["rabot", "later"])
    >>> value_claims(claims)[["tariff_pence", "injury_pence", "total_pence"]]
           tariff_pence  injury_pence  total_pence
    rabot        139000        310000       310000
    later        159500        159500       119625
    >>> value_claims(claims.assign(liability_pct=[0, 25]))
    Traceback (most recent call last):
    ...
    rtaprotocol.errors.RulesError: columns: not in the column contract, so it would be silently ignored; the closest contract column is 'claimant_liability_percent' (rename with columns=, keep with passthrough=, or drop unknown columns with extra="ignore"): got 'liability_pct' [the column contract of rtaprotocol.batch.value_claims (rtaprotocol batch columns)]
    >>> flagged = value_claims(claims.assign(duration_months=[12, 30]), errors="flag")
    >>> flagged[["total_pence", "status", "error_code"]]
           total_pence   status           error_code
    rabot       310000   valued                 <NA>
    later         <NA>  refused  number.out-of-range
    >>> value_claims(claims.assign(claimant_liability_percent=[0, 0.25]))["total_pence"]
    Traceback (most recent call last):
    ...
    rtaprotocol.errors.RulesError: claimant_liability_percent: 1 bad row (by index: 'later'): claimant_liability_percent: every value in the column is at most 1 and some are not whole, so these look like fractions (0.25 for 25%), which would be read as 0.25%: say percent_scale="fraction" if they are fractions, or percent_scale="percent" if they are percentages under 1% (row 'later'): got {'later': {'claimant_liability_percent': 0.25}} [percentages are 0 to 100 (25 is 25%); a column of fractions (0.25 for 25%) needs percent_scale="fraction" (rtaprotocol percentages)]
    >>> value_claims(claims.assign(claimant_liability_percent=[0, 0.25]),
    ...              percent_scale="fraction")["total_pence"].tolist()
    [310000, 119625]
    >>> value_claims(claims.assign(duration_months=[12, 30]))
    Traceback (most recent call last):
    ...
    rtaprotocol.errors.RulesError: duration_months: 1 bad row (by index: 'later'): duration_months: not a tariff injury: the duration must be more than 0 and not more than 24 months (row 'later'): got {'later': {'duration_months': 30}} [Civil Liability Act 2018 s.3: a tariff injury lasts not more than 2 years (more than 0 and not more than 24 months); guide 4.4.1]
    """
    scenario, what_if = _choose_table(tariff_table)
    flag = _check_choice(errors, ERROR_POLICIES, "errors")
    scale, guard = _check_percent_scale(percent_scale)
    claims, kind = _as_pandas(claims, "claims")
    inputs, kept = _contract_columns(claims, columns, passthrough, extra)
    size = len(claims)
    labels = claims.index
    rows = _Rows(labels, size)

    def col(name: str) -> Any:
        return inputs[name] if name in inputs else CLAIM_COLUMNS[name][0]

    def pence_or_none(name: str) -> Int64Array | None:
        """Return a pence column as given, or None for a column the frame lacks (zeros)."""
        return _whole_pence(inputs[name], rows, name, size) if name in inputs else None

    def percent_or_none(name: str, high: int | Decimal, reference: str) -> Int64Array | None:
        if name not in inputs:
            return None
        return _basis_points(
            inputs[name], rows, name, size, high=high, reference=reference, scale=scale, guard=guard
        )

    for name, (message, reference) in _FORBIDDEN.items():
        if name in inputs:
            amounts = _whole_pence(inputs[name], rows, name, size)
            _not_against_injury(amounts, rows, field=name, message=message, reference=reference)
    uplift = percent_or_none("uplift_percent", MAX_UPLIFT_PERCENT, UPLIFT_REFERENCE)
    found = _tariff_rows(
        inputs["duration_months"],
        inputs["accident_date"],
        psychological=col("psychological"),
        uplift_percent=col("uplift_percent"),
        rows=rows,
        size=size,
        check=False,
        names=("duration_months", "accident_date"),
        failed_to_mitigate=col("failed_to_mitigate"),
        scenario=scenario,
        what_if=what_if,
        uplift_bp=uplift,
    )
    # Every int64 output column is a row of one block, written in place: the frame is
    # built on it without a copy, and the kernels reuse their scratch columns.
    block = np.empty((len(_BLOCK_COLUMNS), size), dtype=np.int64)
    out = dict(zip(_BLOCK_COLUMNS, block, strict=True))
    tariff, injury = out["tariff_pence"], out["injury_pence"]
    np.copyto(tariff, found.pence)
    np.copyto(out["tariff_band"], found.band)
    np.copyto(injury, tariff)
    _injury_head(
        injury,
        tariff,
        pence_or_none("non_tariff_pence"),
        pence_or_none("overlap_pence"),
        rows,
    )
    injury_related = pence_or_none("injury_related_pence")
    property_ = pence_or_none("property_pence")
    _payment_pence(
        {Head.INJURY: injury, Head.INJURY_RELATED: injury_related, Head.PROPERTY: property_},
        liability_bp=percent_or_none("claimant_liability_percent", 100, LIABILITY_REFERENCE),
        seatbelt_bp=percent_or_none("seatbelt_percent", 100, SEATBELT_REFERENCE),
        belted=_seatbelt_heads(seatbelt_heads),
        cru={
            Head.INJURY: None,
            Head.INJURY_RELATED: pence_or_none("cru_injury_related_pence"),
            Head.PROPERTY: pence_or_none("cru_property_pence"),
        },
        interim={
            Head.INJURY: None,
            Head.INJURY_RELATED: pence_or_none("interim_injury_related_pence"),
            Head.PROPERTY: pence_or_none("interim_property_pence"),
        },
        general=pence_or_none("general_interim_pence"),
        size=size,
        out=out,
    )
    if not flag:
        rows.check()
    # The value limits count the injury head and the other protocol damages in full,
    # before liability, seatbelt, CRU or interims (guide 4.1, 4.4.3), as check_value_limits.
    reasons = (injury > _INJURY_LIMIT_PENCE).view(np.int8)
    damages = injury.copy() if injury_related is None else injury + injury_related
    if property_ is not None:
        damages += property_
    reasons = reasons + 2 * (damages > _TOTAL_LIMIT_PENCE).view(np.int8)
    del damages
    codes = {
        "tariff_table": found.table.astype(np.int8),
        "tariff_column": found.psych.astype(np.int8),
        "limits_reason": reasons,
    }
    flags = {
        "tariff_by_scenario": np.full(
            size, scenario is not None or what_if is not None, dtype=np.bool_
        ),
        "within_limits": reasons == 0,
    }
    index = labels
    if flag:
        refused, status = rows.outcomes()
        valued = _flagged_frame(block, codes, flags, refused, status, index, what_if)
    else:
        valued = _value_frame(block, codes, flags, index, what_if)
    for label in kept:
        valued[label] = claims[label]
    return _same_kind(valued, kind)


def _injury_head(
    injury: Int64Array,
    tariff: Int64Array,
    non_tariff: Int64Array | None,
    overlap: Int64Array | None,
    rows: _Rows,
) -> None:
    """Add the non-tariff part and take off the overlap, in place (Hassam v Rabot, 4.4.2).

    ``injury`` holds the tariff on entry. An overlap above the tariff or above the
    non-tariff sum is recorded as a bad row; so is a head too large for the batch path.
    """
    if overlap is not None:
        # A row whose tariff could not be found has no tariff to compare the overlap with.
        found = rows.bad_so_far()
        unknown = np.zeros(len(tariff), dtype=np.bool_) if found is None else found
        rows.add(
            (overlap > tariff) & ~unknown,
            overlap,
            field="overlap_pence",
            code=ErrorCode.VALUE_INVALID,
            message="the overlap is more than the tariff amount, which would take the total "
            "below the non-whiplash sum",
            reference=MIXED_INJURY_REFERENCE,
        )
        rows.add(
            (overlap > (0 if non_tariff is None else non_tariff)) & (overlap <= tariff) & ~unknown,
            overlap,
            field="overlap_pence",
            code=ErrorCode.VALUE_INVALID,
            message="the overlap is more than the non-whiplash sum, and it comes off that part "
            "only",
            reference=MIXED_INJURY_REFERENCE,
        )
    if non_tariff is not None:
        injury += non_tariff
    if overlap is not None:
        injury -= overlap
    if non_tariff is not None and injury.size and injury.max() > MAX_PENCE:
        rows.add(
            injury > MAX_PENCE,
            injury,
            field="non_tariff_pence",
            code=ErrorCode.MONEY_TOO_LARGE,
            message="the injury head is too large for the batch path",
            reference=BATCH_MONEY_REFERENCE,
        )


#: The int64 output columns, in block order (the pence, then the band).
_BLOCK_COLUMNS: Final = (*PENCE_COLUMNS, "tariff_band")
_CATEGORIES: Final = {
    "tariff_table": _TABLE_NAMES,
    "tariff_column": _COLUMN_NAMES,
    "limits_reason": _LIMIT_REASONS,
}


def _value_frame(
    block: Int64Array,
    codes: Mapping[str, npt.NDArray[Any]],
    flags: Mapping[str, BoolArray],
    index: pd.Index[Any],
    what_if: TariffTable | None = None,
) -> pd.DataFrame:
    """Build value_claims' frame on ``block`` without copying it (the other columns after)."""
    categories = {**_CATEGORIES, "tariff_table": _table_names(what_if)}
    frame = pd.DataFrame(block.T, columns=list(_BLOCK_COLUMNS), index=index, copy=False)
    for position, name in enumerate(VALUE_COLUMNS):
        if name in codes:
            labels = _categories(codes[name], categories[name])
            frame.insert(position, name, labels)  # type: ignore[arg-type]  # stubs lack it
        elif name in flags:
            frame.insert(position, name, flags[name])
    return frame


def _flagged_frame(  # noqa: PLR0917
    block: Int64Array,
    codes: Mapping[str, npt.NDArray[Any]],
    flags: Mapping[str, BoolArray],
    refused: BoolArray,
    status: Mapping[str, Any],
    index: pd.Index[Any],
    what_if: TariffTable | None = None,
) -> pd.DataFrame:
    """value_claims' frame with ``errors="flag"``: a refused row has no figure (``<NA>``)."""
    categories = {**_CATEGORIES, "tariff_table": _table_names(what_if)}
    rows = dict(zip(_BLOCK_COLUMNS, block, strict=True))
    data: dict[str, Any] = {}
    for name in VALUE_COLUMNS:
        if name in codes:
            data[name] = _categories(np.where(refused, -1, codes[name]), categories[name])
        elif name in flags:
            data[name] = pd.arrays.BooleanArray(flags[name], refused.copy())
        else:  # each its own mask: setting one column's value must not unmask another
            data[name] = pd.arrays.IntegerArray(rows[name], refused.copy())
    data.update(status)
    return pd.DataFrame(data, index=index, copy=False)


def _check_choice(value: object, choices: tuple[str, ...], field: str) -> bool:
    """Refuse anything but one of ``choices``; return whether it is the second one."""
    if not isinstance(value, str) or value not in choices:
        raise RulesError(
            f"{field} must be one of {', '.join(map(repr, choices))}",
            value=value,
            field=field,
            reference=CONTRACT_REFERENCE,
            code=ErrorCode.VALUE_INVALID,
        )
    return value == choices[1]


def _check_percent_scale(percent_scale: object) -> tuple[str, bool]:
    """Return the scale (``"percent"`` or ``"fraction"``) and whether to guard percentages."""
    if percent_scale is not None and (
        not isinstance(percent_scale, str) or percent_scale not in PERCENT_SCALES
    ):
        raise RulesError(
            'percent_scale must be None, "percent" or "fraction"',
            value=percent_scale,
            field="percent_scale",
            reference=FRACTION_REFERENCE,
            code=ErrorCode.VALUE_INVALID,
        )
    return (percent_scale or "percent"), percent_scale is None


def _closest(name: Hashable, known: Iterable[Hashable]) -> str:
    """Return ``"; the closest ... is 'x'"`` for the known name most like ``name``, if any."""
    choices = {str(k): k for k in known}
    found = difflib.get_close_matches(str(name), list(choices), n=1, cutoff=0)
    return f"; the closest contract column is {choices[found[0]]!r}" if found else ""


def _contract_columns(
    claims: pd.DataFrame,
    columns: Mapping[Hashable, str] | None,
    passthrough: Iterable[Hashable],
    extra: str,
) -> tuple[dict[str, pd.Series[Any]], list[Hashable]]:
    """Check ``claims`` against the column contract; return its inputs and the kept columns.

    Every problem with the columns is collected and raised at once (one
    :class:`~rtaprotocol.errors.RulesError`, or :class:`~rtaprotocol.errors.InvalidInput`
    for several), each naming the column and the closest contract column.
    """

    def problem(
        message: str,
        value: object,
        field: str = "columns",
        code: ErrorCode = ErrorCode.VALUE_INVALID,
    ) -> None:
        problems.append(
            RulesError(message, value=value, field=field, reference=CONTRACT_REFERENCE, code=code)
        )

    if extra not in EXTRA_POLICIES:
        raise RulesError(
            f"extra must be one of {', '.join(map(repr, EXTRA_POLICIES))}",
            value=extra,
            field="extra",
            reference=CONTRACT_REFERENCE,
            code=ErrorCode.VALUE_INVALID,
        )
    if columns is None:
        columns = {}
    if not isinstance(columns, Mapping):
        raise RulesTypeError(
            f"expected a mapping of your column names to contract names, not "
            f"{type(columns).__name__}",
            value=columns,
            field="columns",
            reference=CONTRACT_REFERENCE,
        )
    if isinstance(passthrough, str | bytes) or not isinstance(passthrough, Iterable):
        raise RulesTypeError(
            "expected a list of column names (a lone string would be read letter by letter)",
            value=passthrough,
            field="passthrough",
            reference=CONTRACT_REFERENCE,
        )
    kept = list(dict.fromkeys(passthrough))
    problems: list[RulesError] = []
    present = list(claims.columns)
    contract = {**CLAIM_COLUMNS, **_FORBIDDEN}
    for name in dict.fromkeys(n for n in present if present.count(n) > 1):
        problem("the column appears more than once, so its values are ambiguous", name)
    renamed: dict[str, Hashable] = {}
    for theirs, ours in columns.items():
        if theirs not in present:
            problem(
                "columns= renames a column the frame does not have" + _closest(theirs, present),
                theirs,
                "columns=",
            )
        elif not isinstance(ours, str) or ours not in contract:
            problem(
                f"columns= renames {theirs!r} to a name outside the column contract"
                + _closest(ours, CLAIM_COLUMNS),
                ours,
                "columns=",
            )
        elif ours in renamed:
            problem(
                f"columns= renames both {renamed[ours]!r} and {theirs!r} to {ours!r}",
                ours,
                "columns=",
            )
        else:
            renamed[ours] = theirs
    for ours, theirs in renamed.items():
        if ours in present and ours not in columns:
            problem(
                f"columns= renames {theirs!r} to {ours!r}, which the frame already has",
                ours,
                "columns=",
            )
    for label in kept:
        if label not in present:
            problem(
                "passthrough= names a column the frame does not have"
                + _closest(label, present).replace("contract column", "column"),
                label,
                "passthrough=",
            )
        elif label in VALUE_COLUMNS:
            problem(
                "passthrough= would overwrite an output column of that name", label, "passthrough="
            )
    inputs: dict[str, pd.Series[Any]] = {}
    for name in present:
        target: Hashable = next((o for o, t in renamed.items() if t == name), name)
        if isinstance(target, str) and target in contract:
            if target not in renamed or renamed[target] == name:
                inputs[target] = claims[name]
        elif name not in kept and extra == "forbid":
            problem(
                "not in the column contract, so it would be silently ignored"
                + _closest(name, CLAIM_COLUMNS)
                + " (rename with columns=, keep with passthrough=, or drop unknown columns "
                'with extra="ignore")',
                name,
                code=ErrorCode.FIELD_UNKNOWN,
            )
    required = [n for n, (default, _) in CLAIM_COLUMNS.items() if default is None]
    missing = [n for n in required if n not in inputs]
    if missing:
        problem("required columns are missing", missing, code=ErrorCode.FIELD_MISSING)
    if len(problems) == 1:
        raise problems[0]
    if problems:
        raise InvalidInput(problems, reference=CONTRACT_REFERENCE)
    return inputs, kept
