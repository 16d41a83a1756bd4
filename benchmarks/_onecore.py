"""Shared set-up for the benchmarks: one core, one thread, best-of timing."""

from __future__ import annotations

import os
import time
from collections.abc import Callable

# One thread for any numeric library that reads these when it is first imported; the
# affinity set by pin_one_core is what guarantees one core either way.
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMEXPR_NUM_THREADS"):
    os.environ.setdefault(_var, "1")


def pin_one_core() -> str:
    """Pin this process to one CPU where the OS allows it; say what was done."""
    if hasattr(os, "sched_setaffinity"):
        cpu = min(os.sched_getaffinity(0))
        os.sched_setaffinity(0, {cpu})
        return f"pinned to CPU {cpu}"
    return "not pinned (no sched_setaffinity on this OS)"


def best_of(fn: Callable[[], object], repeat: int = 5) -> float:
    """Return the best wall time of ``repeat`` calls of ``fn``, in seconds."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def show(rows: list[tuple[str, str, str, str]]) -> None:
    """Print a small table: what, measured, target, verdict."""
    headers = ("benchmark", "measured", "target", "result")
    widths = [max(len(r[i]) for r in [headers, *rows]) for i in range(4)]
    for row in [headers, tuple("-" * w for w in widths), *rows]:
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())
