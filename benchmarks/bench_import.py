"""Import-time benchmark: ``import rtaprotocol`` in a fresh process.

Target (issue 7): no slower than 1.5x ``import attrs, dateutil.relativedelta`` alone.
Each statement runs in a new interpreter (``python -c``) that times only the import
itself with ``time.perf_counter`` (interpreter start-up is the same for both and would
only dilute the ratio); the best of several runs is kept. Whole-process times are shown
too. The script also checks that ``import rtaprotocol`` loads neither the batch extra
(numpy, pandas) nor ``holidays``.

``import rtaprotocol`` loads its submodules lazily (PEP 562), so the target row measures
little more than the package's ``__init__``. A second row, shown but not a target, loads
every public name (every rule module, still without ``holidays``): that is what a script
pays on its first call, and the honest measure of the library's own import cost.

Run: ``.venv/bin/python benchmarks/bench_import.py``
"""

from __future__ import annotations

import subprocess
import sys
import time

from _onecore import pin_one_core, show

RUNS = 25
OURS = "import rtaprotocol"
EVERYTHING = "import rtaprotocol; [getattr(rtaprotocol, n) for n in rtaprotocol.__all__]"
BASE = "import attrs, dateutil.relativedelta"
PROBE = "import sys, time\nt = time.perf_counter()\n{stmt}\nprint(time.perf_counter() - t)\n"


def best(stmt: str) -> tuple[float, float]:
    """Best import-only time and best whole-process time of ``stmt``, in seconds."""
    inside, outside = float("inf"), float("inf")
    for _ in range(RUNS):
        start = time.perf_counter()
        out = subprocess.run(
            [sys.executable, "-c", PROBE.format(stmt=stmt)],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        outside = min(outside, time.perf_counter() - start)
        inside = min(inside, float(out))
    return inside, outside


def main() -> int:
    where = pin_one_core()
    check = (
        "import sys, rtaprotocol\n"
        "print(sorted(m for m in ('numpy', 'pandas', 'holidays', 'rtaprotocol.batch')"
        " if m in sys.modules))"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", check], check=True, capture_output=True, text=True
    ).stdout.strip()
    ours_in, ours_out = best(OURS)
    base_in, base_out = best(BASE)
    all_in, all_out = best(EVERYTHING)
    ratio = ours_in / base_in
    print(f"fresh-process import, best of {RUNS} runs, one core ({where})")
    print(f"  {OURS:<40} {ours_in * 1e3:7.1f} ms import, {ours_out * 1e3:6.1f} ms process")
    print(f"  {BASE:<40} {base_in * 1e3:7.1f} ms import, {base_out * 1e3:6.1f} ms process")
    print(
        f"  {'... and load every public name':<40} {all_in * 1e3:7.1f} ms import, "
        f"{all_out * 1e3:6.1f} ms process"
    )
    print(f"  modules from the heavy list loaded by `{OURS}`: {loaded}")
    show(
        [
            (
                "import ratio (import only)",
                f"{ratio:.2f}x",
                "<= 1.5x",
                "ok" if ratio <= 1.5 else "MISSED",
            ),
            ("whole process ratio", f"{ours_out / base_out:.2f}x", "(shown)", ""),
            ("every public name loaded", f"{all_in / base_in:.2f}x", "(shown)", ""),
        ]
    )
    return 0 if loaded == "[]" and ratio <= 1.5 else 1


if __name__ == "__main__":
    raise SystemExit(main())
