"""The library's own decimal context: no result, error or message depends on the caller's.

Python's decimal arithmetic reads the *thread's* context, which a pricing script or a
notebook may have changed (``prec = 6``, ``rounding = ROUND_FLOOR``, traps on ``Inexact``
or ``FloatOperation``). Every public call below must give the same answer, or the same
error with the same message, under any caller context as under the default one.
"""

from __future__ import annotations

import decimal
import threading
from collections.abc import Callable
from datetime import date
from decimal import Decimal, localcontext
from typing import Any

import pytest
from dateutil.relativedelta import relativedelta
from hypothesis import given
from hypothesis import strategies as st

from rtaprotocol import (
    Head,
    Negotiation,
    Party,
    check_value_limits,
    compute_payment,
    expert_fee,
    first_medical_report_fee,
    format_money,
    mixed_injury_award,
    round_penny,
    tariff_amount,
    tariff_award,
    to_money,
    to_pence,
    to_percent,
)
from rtaprotocol._decimal import (
    LIBRARY_CONTEXT,
    exact,
    exact_unless,
    library_context,
    thread_context,
)

ROUNDINGS = [
    decimal.ROUND_05UP,
    decimal.ROUND_CEILING,
    decimal.ROUND_DOWN,
    decimal.ROUND_FLOOR,
    decimal.ROUND_HALF_DOWN,
    decimal.ROUND_HALF_EVEN,
    decimal.ROUND_HALF_UP,
    decimal.ROUND_UP,
]
SIGNALS = [
    decimal.Clamped,
    decimal.DivisionByZero,
    decimal.FloatOperation,
    decimal.Inexact,
    decimal.InvalidOperation,
    decimal.Overflow,
    decimal.Rounded,
    decimal.Subnormal,
    decimal.Underflow,
]


@st.composite
def caller_contexts(draw: st.DrawFn) -> decimal.Context:
    """Any context a caller may have set: precision 1..999, any rounding, any traps."""
    emax = draw(st.sampled_from([9, 99, 999_999, decimal.MAX_EMAX]))
    return decimal.Context(
        prec=draw(st.integers(1, 999)),
        rounding=draw(st.sampled_from(ROUNDINGS)),
        Emax=emax,
        Emin=-emax,
        capitals=draw(st.sampled_from([0, 1])),
        clamp=draw(st.sampled_from([0, 1])),
        traps=draw(st.lists(st.sampled_from(SIGNALS), unique=True)),
    )


def _rendered(result: Any) -> tuple[Any, ...]:
    """A result with its three renderings, each made under the caller's context."""
    return (repr(result), str(result), result.to_dict(), result._repr_html_())


def _properties(pay: Any) -> tuple[Any, ...]:
    return (pay.subtotal, pay.total, pay.general_interim_set_off, pay.net_by_head.total())


def _negotiation() -> tuple[Any, ...]:
    n = Negotiation().offer(Party.COMPENSATOR, "1000.50", on=date(2023, 5, 2))
    n = n.offer(Party.CLAIMANT, Decimal("1999.99"), on=date(2023, 5, 3))
    n = n.accept(Party.CLAIMANT, on=date(2023, 5, 4))
    return (n.settled_amount, str(n), n.to_dict(), n._repr_html_(), repr(n))


CALLS: dict[str, Callable[[], Any]] = {
    "mixed total": lambda: mixed_injury_award("8888.89", "9999.99").total,
    "mixed rendered": lambda: _rendered(mixed_injury_award("8888.89", "9999.99", "0.01")),
    "tariff uplift": lambda: [
        tariff_amount(relativedelta(months=m), accident_date=date(2024, 3, 1), uplift_percent=u)
        for m in (2, 8, 17, 24)
        for u in ("0.01", "7.77", "13.33", "19.99", 20)
    ],
    "tariff award": lambda: _rendered(
        tariff_award(relativedelta(months=5), accident_date=date(2021, 6, 1), uplift_percent=15)
    ),
    "guide payment": lambda: (
        compute_payment(
            {Head.INJURY: 1000, Head.INJURY_RELATED: 1500, Head.PROPERTY: 1500},
            claimant_liability_percent=25,
            seatbelt_percent=10,
            cru={Head.INJURY_RELATED: 500},
            interim={Head.PROPERTY: 200},
        ).total
    ),
    "payment rendered": lambda: _rendered(
        compute_payment({"injury": "9999999999999999999999.99"}, claimant_liability_percent="33.33")
    ),
    "payment properties": lambda: _properties(
        compute_payment({"injury": "1000.01", "property": "0.03"}, general_interim="500.01")
    ),
    "to_money": lambda: [
        to_money(v)
        for v in (
            "99999999999999999999999999.99",
            "1390.5",
            1390.5,
            Decimal("1.000"),
            10**25,
            "0",
            Decimal("-0"),
        )
    ],
    "to_percent": lambda: [to_percent(v) for v in ("33.33", 12.5, Decimal("99.99"), "-0")],
    "round_penny": lambda: [
        round_penny(Decimal(v)) for v in ("1012.505", "1012.504999", "9" * 60 + ".995")
    ],
    "to_pence": lambda: [to_pence(Decimal("2112.50")), to_pence(10**20)],
    "format_money": lambda: [
        format_money(Decimal(v)) for v in ("2112.5", "0.125", "-5", "123456789012345678.995")
    ],
    "value limits": lambda: _rendered(
        check_value_limits("5000.01", "4999.99", non_protocol_vehicle_costs="0.01")
    ),
    "expert fee": lambda: _rendered(expert_fee("750.01")),
    "report fee": lambda: _rendered(first_medical_report_fee(vat_percent="17.5")),
    "negotiation": _negotiation,
    # the same errors, with the same messages
    "bad money": lambda: to_money("1.005"),
    "huge money": lambda: to_money("1" * 40),
    "bad percent": lambda: to_percent("100.01"),
    "nan penny": lambda: round_penny(Decimal("NaN")),
    "snan penny": lambda: round_penny(Decimal("sNaN")),
    "bad uplift": lambda: tariff_amount(
        relativedelta(months=3), accident_date=date(2024, 3, 1), uplift_percent="20.01"
    ),
    "bad overlap": lambda: mixed_injury_award("100", "50", overlap="50.01"),
    "bad offer": lambda: Negotiation().offer(Party.CLAIMANT, "0.001", on=date(2023, 5, 2)),
}


def _outcome(call: Callable[[], Any]) -> tuple[str, Any]:
    try:
        return ("ok", call())
    except Exception as err:  # the type and message are what we compare
        return (type(err).__name__, str(err))


DEFAULT_OUTCOMES = {name: _outcome(call) for name, call in CALLS.items()}


def test_the_worked_figures_under_the_default_context():
    assert DEFAULT_OUTCOMES["mixed total"] == ("ok", Decimal("18888.88"))
    assert DEFAULT_OUTCOMES["guide payment"] == ("ok", Decimal("2112.50"))
    assert DEFAULT_OUTCOMES["bad money"][0] == "RulesError"
    assert all(
        kind in {"ok", "RulesError", "ProtocolViolation"} for kind, _ in DEFAULT_OUTCOMES.values()
    )


@given(ctx=caller_contexts(), name=st.sampled_from(sorted(CALLS)))
def test_no_result_or_error_depends_on_the_callers_context(ctx: decimal.Context, name: str):
    with localcontext(ctx):
        outcome = _outcome(CALLS[name])
    assert outcome == DEFAULT_OUTCOMES[name]


@pytest.mark.parametrize("name", sorted(CALLS))
def test_the_harshest_context(name: str):
    """Precision 1, rounding down, every signal trapped: still the default answer."""
    harsh = decimal.Context(prec=1, rounding=decimal.ROUND_DOWN, traps=SIGNALS, Emax=9, Emin=-9)
    with localcontext(harsh):
        outcome = _outcome(CALLS[name])
    assert outcome == DEFAULT_OUTCOMES[name]


def test_prec_6_no_longer_changes_the_mixed_award():
    """The issue's first example: prec 6 gave 18888.9 (or raised under an Inexact trap)."""
    with localcontext() as ctx:
        ctx.prec = 6
        assert mixed_injury_award("8888.89", "9999.99").total == Decimal("18888.88")
        assert compute_payment({"injury": "12345.67"}, claimant_liability_percent=1).total == (
            Decimal("12222.21")
        )


def test_a_thread_with_its_own_context_gets_the_same_answers():
    """Contexts are per thread: a worker thread that lowered its precision is unaffected."""
    results: dict[str, tuple[str, Any]] = {}

    def worker() -> None:
        ctx = decimal.getcontext()
        ctx.prec = 2
        ctx.rounding = decimal.ROUND_FLOOR
        ctx.traps[decimal.Inexact] = True
        ctx.traps[decimal.Rounded] = True
        ctx.traps[decimal.FloatOperation] = True
        for name, call in CALLS.items():
            results[name] = _outcome(call)

    thread = threading.Thread(target=worker)
    thread.start()
    thread.join()
    assert results == DEFAULT_OUTCOMES


def test_floats_are_read_through_their_repr_so_float_operation_never_signals():
    with localcontext() as ctx:
        ctx.traps[decimal.FloatOperation] = True
        assert to_money(1390.5) == Decimal("1390.50")
        assert to_percent(12.5) == Decimal("12.5")
        with pytest.raises(decimal.FloatOperation):  # the trap is live in this block
            Decimal(0.5)  # noqa: RUF032 - the float constructor is the point of the test


def test_exact_and_library_context_restore_the_callers_context():
    with localcontext() as ctx:
        ctx.prec = 3

        @exact
        def inside() -> int:
            return decimal.getcontext().prec

        assert inside() == LIBRARY_CONTEXT.prec
        with library_context():
            assert decimal.getcontext().prec == LIBRARY_CONTEXT.prec
        assert decimal.getcontext().prec == 3


_WRAPPER_CODE = exact(lambda: None).__code__
#: exact_unless's wrapper: a context-free fast path, else the same entry as exact.
_FAST_WRAPPER_CODE = exact_unless(lambda: None)(lambda: None).__code__
_DECIMAL_MODULES = [
    "money",
    "tariff",
    "valuation",
    "deductions",
    "fees",
    "limits",
    "jcg",
    "offers",
    "eligibility",
    "_render",
]


def _mutmut_copy(name: str) -> bool:
    """A function mutmut adds beside each one it mutates (``x_f__mutmut_3``, in its copy)."""
    return "__mutmut_" in name


def _public_callables() -> list[tuple[str, Any]]:
    """Every public function, method, property and renderer of the Decimal modules.

    scripts/mutation.sh runs this file in mutmut's copy of the package, where each mutated
    function ``f`` has siblings ``x_f__mutmut_orig``, ``x_f__mutmut_1``...: those are
    mutmut's, reached only through ``f`` (which is checked), and are left out.
    """
    import enum
    import importlib

    found: list[tuple[str, Any]] = []
    for name in _DECIMAL_MODULES:
        module = importlib.import_module(f"rtaprotocol.{name}")
        for attr, obj in vars(module).items():
            if attr.startswith("_") or getattr(obj, "__module__", None) != module.__name__:
                continue
            if _mutmut_copy(attr):
                continue
            if callable(obj) and not isinstance(obj, type):
                found.append((f"{name}.{attr}", obj))
            elif isinstance(obj, type) and not issubclass(obj, enum.Enum):
                for meth, member in vars(obj).items():
                    if meth.startswith("_") and meth not in {"__str__", "__repr__", "_repr_html_"}:
                        continue
                    if _mutmut_copy(meth):
                        continue
                    func = member
                    if isinstance(member, property):
                        func = member.fget
                    elif isinstance(member, classmethod | staticmethod):
                        func = member.__func__
                    code = getattr(func, "__code__", None)
                    if code is not None and code.co_filename.startswith("<attrs generated"):
                        continue  # attrs' own repr: repr(Decimal) reads no context
                    if callable(func):
                        found.append((f"{name}.{attr}.{meth}", func))
    return found


@pytest.mark.parametrize(("name", "func"), _public_callables())
def test_every_public_callable_runs_in_the_library_context(name: str, func: Any):
    """The whole class, not the sample: each public door is wrapped by ``exact``."""
    assert func.__code__ in {_WRAPPER_CODE, _FAST_WRAPPER_CODE}, (
        f"{name} is not decorated with @exact"
    )


_IMPORT_UNDER_A_HOSTILE_CONTEXT = """
import decimal, json
ctx = decimal.getcontext()
ctx.prec, ctx.rounding, ctx.capitals = 1, decimal.ROUND_DOWN, 0
for signal in (decimal.Inexact, decimal.Rounded, decimal.FloatOperation, decimal.Clamped):
    ctx.traps[signal] = True
from datetime import date
import rtaprotocol.batch
from rtaprotocol import jcg_brackets, tariff_table
print(json.dumps([repr(tariff_table(date(2024, 3, 1)).bands), jcg_brackets("neck").to_dict()]))
"""


def test_the_tables_built_at_import_do_not_depend_on_the_importers_context():
    """The tariff and JCG tables are built when first imported, in whatever context."""
    import json
    import subprocess
    import sys

    from rtaprotocol import jcg_brackets, tariff_table

    out = subprocess.run(
        [sys.executable, "-c", _IMPORT_UNDER_A_HOSTILE_CONTEXT],
        capture_output=True,
        text=True,
        check=False,
    )
    assert out.returncode == 0, out.stderr[-2000:]
    expected = [repr(tariff_table(date(2024, 3, 1)).bands), jcg_brackets("neck").to_dict()]
    assert json.loads(out.stdout) == expected


def test_nested_calls_share_the_outer_library_context_and_leave_nothing_behind():
    seen: list[decimal.Context] = []

    @exact
    def inner() -> None:
        seen.append(decimal.getcontext())

    @exact
    def outer() -> None:
        seen.append(decimal.getcontext())
        inner()
        raise ValueError("leaves by an exception")

    with localcontext() as ctx:
        ctx.prec = 2
        with pytest.raises(ValueError, match="exception"):
            outer()
        assert seen[0] is seen[1]  # entered once
        assert decimal.getcontext() is ctx
        inner()  # a fresh top-level call enters a fresh library context
        assert seen[2] is not seen[0]
        assert seen[2].prec == LIBRARY_CONTEXT.prec


# --- exact_unless: a context-free fast path gives the general path's answer ------------

_HOSTILE_CONTEXTS = st.builds(
    lambda prec, rounding, trap_all: decimal.Context(
        prec=prec,
        rounding=rounding,
        traps=list(decimal.Context().flags) if trap_all else [],
    ),
    st.integers(1, 999),
    st.sampled_from(
        [
            decimal.ROUND_DOWN,
            decimal.ROUND_HALF_UP,
            decimal.ROUND_HALF_EVEN,
            decimal.ROUND_CEILING,
            decimal.ROUND_FLOOR,
            decimal.ROUND_UP,
            decimal.ROUND_HALF_DOWN,
            decimal.ROUND_05UP,
        ]
    ),
    st.booleans(),
)


@given(
    months=st.integers(1, 24),
    accident=st.dates(date(2021, 5, 31), date(2030, 12, 31)),
    psych=st.booleans(),
    uplift=st.one_of(
        st.integers(0, 20),
        st.decimals(0, 20, places=2),
        st.decimals(0, 20, places=1),
        st.sampled_from([Decimal("12.5"), Decimal("0.01"), Decimal("19.99"), Decimal("1E+1")]),
    ),
    caller=_HOSTILE_CONTEXTS,
)
def test_tariff_amount_fast_path_is_the_award_under_any_caller_context(
    months, accident, psych, uplift, caller
):
    """tariff_amount's context-free fast path gives tariff_award's amount, to the penny,
    whatever context the caller set (any precision, rounding, every trap)."""
    from rtaprotocol.tariff import _tariff_amount_fast, tariff_amount, tariff_award

    expected = tariff_award(
        months, accident_date=accident, psychological=psych, uplift_percent=uplift
    ).amount
    flags_before = dict(LIBRARY_CONTEXT.flags)
    with decimal.localcontext(caller):
        fast = _tariff_amount_fast(
            months, accident_date=accident, psychological=psych, uplift_percent=uplift
        )
        public = tariff_amount(
            months, accident_date=accident, psychological=psych, uplift_percent=uplift
        )
    assert fast is not None  # plain inputs take the fast path
    assert fast == public == expected
    assert str(fast) == str(expected)  # the same exponent: two places
    assert dict(LIBRARY_CONTEXT.flags) == flags_before  # no shared object written


def test_the_fast_path_declines_what_it_does_not_know():
    """Anything but plain inputs goes to the general path, which decides (and refuses)."""
    from rtaprotocol.tariff import _tariff_amount_fast

    day = date(2024, 3, 1)
    for kwargs in (
        {"uplift_percent": Decimal("NaN")},
        {"uplift_percent": Decimal("sNaN")},
        {"uplift_percent": Decimal("1.005")},
        {"uplift_percent": 21},
        {"uplift_percent": "10"},
        {"tariff_table": "2025"},
        {"psychological": 1},
        {"accident_date": date(2021, 5, 30)},
    ):
        args = {"accident_date": day, **kwargs}
        assert _tariff_amount_fast(3, **args) is None, kwargs
    assert _tariff_amount_fast(25, accident_date=day) is None
    assert _tariff_amount_fast(Decimal(3), accident_date=day) is None


def test_each_thread_has_its_own_fast_path_context():
    import threading

    seen = []
    worker = threading.Thread(target=lambda: seen.append(thread_context()))
    worker.start()
    worker.join()
    assert seen[0] is not thread_context()
    assert seen[0] is not LIBRARY_CONTEXT
    assert seen[0].prec == LIBRARY_CONTEXT.prec
    assert seen[0].rounding == LIBRARY_CONTEXT.rounding


# --- one writer of a Decimal without trailing zeros (issue 25) -----------------------------


def test_the_trailing_zero_writers_are_one_function():
    """deductions._pct (claim.py's name), _render.months_json and the fallback of
    json.canonical_decimal are all _decimal.plain_text: one place for the fact."""
    from rtaprotocol import _decimal, _render, deductions
    from rtaprotocol.json import canonical_decimal

    assert deductions._pct is _decimal.plain_text
    assert _render.months_json is _decimal.plain_text
    assert canonical_decimal(Decimal("0.1250")) == _decimal.plain_text(Decimal("0.1250"))


@given(
    st.decimals(
        allow_nan=False, allow_infinity=False, places=6, min_value=-(10**9), max_value=10**9
    )
)
def test_plain_text_is_the_value_without_trailing_zeros(value):
    """plain_text reads back as the same value, in plain notation with no trailing zero,
    whatever the caller's precision."""
    from rtaprotocol._decimal import plain_text

    with localcontext(decimal.Context(prec=2)):  # (prec= as a keyword: Python 3.11+)
        text = plain_text(value)
    assert Decimal(text) == value
    assert "E" not in text
    assert text != "-0"
    assert "." not in text or not text.endswith("0")
