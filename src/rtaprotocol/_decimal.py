"""The library's own decimal context: no result depends on the caller's.

Python's :mod:`decimal` arithmetic (``+``, ``*``, ``quantize``, comparisons with NaN,
``Decimal.__format__``) reads the *thread's current context*, which any caller may have
changed: ``getcontext().prec = 6``, ``rounding = ROUND_FLOOR``, ``traps[Inexact] = True``
or a ``localcontext()`` block. Every Decimal operation in rtaprotocol therefore runs
inside :data:`LIBRARY_CONTEXT`, entered with :func:`library_context` or the
:func:`exact` decorator on each public function that does arithmetic.

The context is exact for every amount the library accepts: amounts have at most 26
digits of pounds and two of pence, percentages at most five significant digits, so no
product or sum the rules form needs more than :data:`PRECISION` digits. Rounding is
half-up, the protocol's only rounding rule (it is applied explicitly where a rule
rounds; the context's own rounding never acts on an accepted amount). Inexact results,
overflow and invalid operations trap, so an accidental loss of digits raises instead of
giving a silently wrong figure.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from contextlib import AbstractContextManager
from decimal import (
    ROUND_HALF_UP,
    Context,
    Decimal,
    DivisionByZero,
    InvalidOperation,
    Overflow,
    getcontext,
    localcontext,
    setcontext,
)
from typing import Final, ParamSpec, TypeVar

__all__ = [
    "LIBRARY_CONTEXT",
    "PRECISION",
    "exact",
    "exact_unless",
    "library_context",
    "plain_text",
    "thread_context",
]

#: Significant digits: far more than any accepted amount times any accepted percentage.
PRECISION: Final = 100

#: The one context every Decimal operation in the library runs in.
LIBRARY_CONTEXT: Final = Context(
    prec=PRECISION,
    rounding=ROUND_HALF_UP,
    Emin=-999_999,
    Emax=999_999,
    capitals=1,
    clamp=0,
    flags=[],
    traps=[InvalidOperation, DivisionByZero, Overflow],
)

_P = ParamSpec("_P")
_R = TypeVar("_R")


def library_context() -> AbstractContextManager[Context]:
    """Enter a fresh copy of :data:`LIBRARY_CONTEXT` for the current thread.

    >>> from decimal import Decimal, getcontext, localcontext
    >>> with localcontext() as caller:
    ...     caller.prec = 3
    ...     with library_context():
    ...         Decimal("8888.89") + Decimal("9999.99")
    Decimal('18888.88')
    """
    return localcontext(LIBRARY_CONTEXT)


class _Entered(threading.local):
    """Per thread: the context the outermost :func:`exact` call entered, and a private copy.

    ``context`` is None outside any call. ``own`` is the thread's copy of
    :data:`LIBRARY_CONTEXT` for explicit-context fast paths: its sticky flags are this
    thread's alone, so no shared object is ever written.
    """

    context: Context | None = None

    def __init__(self) -> None:
        self.own = LIBRARY_CONTEXT.copy()


#: The marker nested calls compare the current context with, by identity.
_ENTERED: Final = _Entered()
_fresh_context: Final = LIBRARY_CONTEXT.copy


def exact(func: Callable[_P, _R]) -> Callable[_P, _R]:
    """Run ``func`` inside :func:`library_context` (a decorator for public functions).

    A call made from inside another decorated call (``compute_payment`` calling
    ``to_money``) is already in the library's context and does not enter it again: the
    current context *is* (by identity) the one the outermost call entered in this
    thread. The outermost call enters a fresh copy of :data:`LIBRARY_CONTEXT` and puts
    the caller's context back on the way out, by a return or an exception. Library code
    never awaits or yields inside a decorated call, so one marker per thread suffices.
    """

    @functools.wraps(func)
    def wrapper(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        # IPython and pytest leave this frame out of a traceback: a refusal shows the
        # caller's line and the rule's, not the library's plumbing (docs/views.md).
        __tracebackhide__ = True
        saved = getcontext()
        outer = _ENTERED.context
        if saved is outer:  # nested: the library's own context already
            return func(*args, **kwargs)
        ctx = _fresh_context()
        setcontext(ctx)
        _ENTERED.context = ctx
        try:
            return func(*args, **kwargs)
        finally:
            _ENTERED.context = outer
            setcontext(saved)

    return wrapper


def thread_context() -> Context:
    """Return this thread's own copy of :data:`LIBRARY_CONTEXT`, for explicit arithmetic.

    A fast path that must not pay for entering the context calls this context's methods
    (``ctx.multiply(a, b)``, ``ctx.quantize(x, PENNY)``) instead of operators, so nothing
    it computes reads the caller's context.
    """
    return _ENTERED.own


def exact_unless(
    fast: Callable[_P, _R | None],
) -> Callable[[Callable[_P, _R]], Callable[_P, _R]]:
    """Like :func:`exact`, but first try ``fast``, a context-free fast path.

    ``fast`` takes the same arguments and returns the answer, or ``None`` when it does not
    apply (then ``func`` runs inside the library's context as with :func:`exact`). ``fast``
    must read no decimal context: only exact type checks, comparisons of finite values
    and the methods of :func:`thread_context`. The test suite runs every such function
    under hostile caller contexts and checks the answers against the general path.
    """

    def decorate(func: Callable[_P, _R]) -> Callable[_P, _R]:
        entered = exact(func)

        @functools.wraps(func)
        def fast_wrapper(*args: _P.args, **kwargs: _P.kwargs) -> _R:
            result = fast(*args, **kwargs)
            return entered(*args, **kwargs) if result is None else result

        return fast_wrapper

    return decorate


def plain_text(value: Decimal) -> str:
    """Return ``value`` in plain notation without trailing zeros: the one such writer.

    No exponent and no trailing zeros (``3.50`` gives ``"3.5"``, ``2.4E1`` gives ``"24"``),
    and ``-0`` is ``"0"``. No context's precision rounds it, the caller's or the
    library's: every significant digit is kept. Percentages in descriptions (``25% liability
    deduction``), months in JSON and the canonical JSON of a figure that is not a whole
    number of pence all use it.

    >>> plain_text(Decimal("3.50")), plain_text(Decimal("2.4E1")), plain_text(Decimal("-0.00"))
    ('3.5', '24', '0')
    >>> from decimal import Context, localcontext
    >>> with localcontext(Context(prec=3)):
    ...     plain_text(Decimal("33.3333"))
    '33.3333'
    >>> len(plain_text(Decimal("1" * 120 + ".500")))  # 121 digits and the point: none lost
    122
    """
    if not value.is_finite():
        return f"{value:f}"
    if not value:
        return "0"
    sign, digits, exponent = value.as_tuple()
    assert isinstance(exponent, int)  # a finite Decimal's exponent
    kept = len(digits)
    while digits[kept - 1] == 0:  # a non-zero value has a non-zero digit
        kept -= 1
    # the trailing zeros are dropped by hand, not by normalize(), which rounds to the
    # context's precision: a figure of more significant digits than any context keeps
    # every one (the formatting below never rounds)
    return f"{Decimal((sign, digits[:kept], exponent + len(digits) - kept)):f}"
