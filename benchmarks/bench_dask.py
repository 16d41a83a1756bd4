"""Dask benchmark (issue 26): 10,000,000 claims as a parquet dataset, one process vs a cluster.

Two jobs, each run by ``rtaprotocol.batch.run_portfolio`` on the same dataset (20 files of
500,000 claims, written once to ``--data``):

- **value and write**: read every file, value it, write the valued rows back to parquet
  (one file per partition);
- **value and summarise**: read every file, value it, summarise it by tariff table and
  policy where it is, combine the partial sums.

Each job runs in **one process** (Dask's synchronous scheduler: every partition in this
process, one after another, pinned to one core) and on a **LocalCluster of 2 worker
processes** x 1 thread built by ``rtaprotocol.batch.local_cluster`` (so with
``DASK_WORKER_ENV``), in the same run, alternately, ``--repeat`` times; the best time of
each is shown, and the median of the runs' ratios (each run's pair measured back to back)
is held to the target (the cluster >= 1.5x faster on 2 cores), with
the peak memory (max RSS) of each worker and of this process. Both results are checked
against each other first (the summaries must be equal, and the written files hold every
claim).

Run: ``.venv/bin/python benchmarks/bench_dask.py`` (``--rows N`` for a smaller dataset,
``--workers N``, ``--baseline-env`` to start the workers without ``DASK_WORKER_ENV``, for
comparison).
"""

from __future__ import annotations

import argparse
import logging
import os
import resource
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd
from _onecore import show
from bench_batch import portfolio

from rtaprotocol import batch

PARTITION = 500_000
BY = ["tariff_table", "policy"]


def dataset(rows: int, where: Path) -> list[str]:
    """Write (once) ``rows`` synthetic claims as parquet files of PARTITION claims each."""
    files = [where / f"part.{i:05d}.parquet" for i in range(-(-rows // PARTITION))]
    marker = where / f"_complete_{rows}"
    if marker.exists():
        return [str(f) for f in files]
    shutil.rmtree(where, ignore_errors=True)
    where.mkdir(parents=True)
    started = time.perf_counter()
    for number, path in enumerate(files):
        start = number * PARTITION
        stop = min(start + PARTITION, rows)
        frame = portfolio(stop - start, seed=start)
        frame["policy"] = pd.Categorical.from_codes(
            (frame.index.to_numpy() % 7), categories=[f"P{i}" for i in range(7)]
        )
        frame.index = pd.RangeIndex(start, stop, name="claim")
        frame.to_parquet(path, index=True)
    marker.touch()
    print(f"(wrote {rows:,} claims in {len(files)} files in {time.perf_counter() - started:.0f} s)")
    return [str(f) for f in files]


def _spin(loops: int) -> float:
    """Busy CPU work in pure Python; return its wall time."""
    started = time.perf_counter()
    total = 0
    for i in range(loops):
        total += i * i % 7
    return time.perf_counter() - started


def ceiling(workers: int, loops: int = 3_000_000) -> float:
    """How much faster ``workers`` processes do ``workers`` times the work than one does.

    The machine's own ceiling for the cluster's ratio right now: 2.0 on two free cores,
    lower when other work holds part of them. Measured with a busy loop in fresh
    processes, one alone and then ``workers`` side by side.
    """
    import multiprocessing

    context = multiprocessing.get_context("spawn")
    with context.Pool(workers) as pool:
        pool.map(_spin, [loops // 10] * workers)  # start-up and warm-up
        started = time.perf_counter()
        pool.map(_spin, [loops])
        alone = time.perf_counter() - started
        started = time.perf_counter()
        pool.map(_spin, [loops] * workers)
        together = time.perf_counter() - started
    return workers * alone / together


def _warm_up(path: str) -> None:
    """Import and build everything a partition needs, by valuing one file once."""
    batch.summarise(batch.value_claims(pd.read_parquet(path), passthrough=["policy"]))


def cpu_seconds() -> float:
    """This process's CPU time so far (user + system, every thread: pyarrow's too)."""
    used = resource.getrusage(resource.RUSAGE_SELF)
    return used.ru_utime + used.ru_stime


def peak_rss_mib() -> float:
    """This process's peak resident memory (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def job(source: str, output: Path | None) -> batch.PortfolioRun:
    if output is not None:
        shutil.rmtree(output, ignore_errors=True)
    return batch.run_portfolio(
        source,
        output=None if output is None else str(output),
        by=BY,
        errors="flag",
        passthrough=["policy"],
        progress=False,
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--data", type=Path, default=Path(tempfile.gettempdir()) / "rta-bench")
    parser.add_argument("--baseline-env", action="store_true")
    args = parser.parse_args()
    import dask
    from dask.distributed import Client, get_task_stream

    source = args.data / f"claims-{args.rows}"
    files = dataset(args.rows, source)
    out_one, out_cluster = args.data / "valued-one", args.data / "valued-cluster"
    cpus = os.sched_getaffinity(0) if hasattr(os, "sched_getaffinity") else set()
    one_core = {min(cpus)} if cpus else set()
    print(
        f"{args.rows:,} claims, {len(files)} files; {os.cpu_count()} cores; "
        f"load average {os.getloadavg()[0]:.1f}"
    )

    def one_process(output: Path | None) -> tuple[float, batch.PortfolioRun]:
        if one_core:
            os.sched_setaffinity(0, one_core)
        try:
            with dask.config.set(scheduler="synchronous"):
                started = time.perf_counter()
                run = job(str(source), output)
                return time.perf_counter() - started, run
        finally:
            if cpus:
                os.sched_setaffinity(0, cpus)

    kwargs = {"silence_logs": logging.ERROR}
    if args.baseline_env:
        cluster = __import__("distributed").LocalCluster(
            n_workers=args.workers, threads_per_worker=1, dashboard_address=None, **kwargs
        )
    else:
        cluster = batch.local_cluster(args.workers, **kwargs)
    results: dict[str, list[float]] = {"write-one": [], "write-cluster": []}
    results.update({"summary-one": [], "summary-cluster": []})
    # CPU seconds per partition: this process in the one-process runs, the workers (all
    # of them together) in the cluster runs. Independent of other load on the machine.
    cpu: dict[str, list[float]] = {key: [] for key in results}
    busy: dict[str, list[float]] = {"write": [], "summary": []}
    with cluster, Client(cluster) as client:
        env = client.run(lambda: os.environ.get("MALLOC_MMAP_THRESHOLD_"))
        print(
            f"workers: {len(env)} x 1 thread; MALLOC_MMAP_THRESHOLD_ in each: {set(env.values())}"
        )
        # Warm up both sides (imports, the tariff and calendar tables) on one file, so that
        # no timed run pays them.
        client.run(_warm_up, files[0])
        _warm_up(files[0])
        for attempt in range(args.repeat):
            for name, output in (("write", out_one), ("summary", None)):
                mine_before = cpu_seconds()
                with get_task_stream(client) as stream:
                    t_one, one = one_process(output)
                workers_after, mine_after = client.run(cpu_seconds), cpu_seconds()
                if stream.data:
                    # Dask's order: a scheduler set in dask.config wins over an open
                    # Client. Before run_portfolio followed it, this "one process" ran on
                    # the workers, and the benchmark compared the cluster with itself.
                    sys.exit(f"the one-process run sent {len(stream.data)} tasks to the workers")
                target = None if output is None else out_cluster
                started = time.perf_counter()
                clustered = job(str(source), target)
                t_cluster = time.perf_counter() - started
                workers_done, mine_done = client.run(cpu_seconds), cpu_seconds()
                on_workers = sum(workers_done.values()) - sum(workers_after.values())
                cpu[f"{name}-one"].append((mine_after - mine_before) / len(files))
                cpu[f"{name}-cluster"].append(on_workers / len(files))
                busy[name].append(on_workers / (len(workers_done) * t_cluster))
                if attempt == 0:
                    pd.testing.assert_frame_equal(one.summary, clustered.summary)
                    if one.claims != args.rows or clustered.claims != args.rows:
                        sys.exit("a job lost claims")
                    if output is not None and len(list(out_cluster.glob("*.parquet"))) != len(
                        files
                    ):
                        sys.exit("the cluster did not write every partition")
                results[f"{name}-one"].append(t_one)
                results[f"{name}-cluster"].append(t_cluster)
                print(
                    f"  run {attempt + 1}, value and {name}: one process {t_one:.2f} s, "
                    f"cluster {t_cluster:.2f} s, {t_one / t_cluster:.2f}x "
                    f"(load {os.getloadavg()[0]:.1f}; the machine's ceiling now "
                    f"{ceiling(args.workers):.2f}x); CPU per partition: this process "
                    f"{cpu[f'{name}-one'][-1] * 1000:.0f} ms, a worker "
                    f"{cpu[f'{name}-cluster'][-1] * 1000:.0f} ms; workers busy "
                    f"{busy[name][-1]:.0%} of the cluster's time; the client and scheduler "
                    f"{mine_done - mine_after:.2f} s of CPU"
                )
        peaks = client.run(peak_rss_mib)
    print(
        "the machine's ceiling: how much faster "
        f"{args.workers} busy processes side by side do {args.workers}x the work of one "
        "alone, measured after each run (2.0 on two free cores)"
    )
    rows = []
    for name, what in (("write", "value and write parquet"), ("summary", "value and summarise")):
        ones, clusters = results[f"{name}-one"], results[f"{name}-cluster"]
        t_one, t_cluster = min(ones), min(clusters)
        ratios = sorted(o / c for o, c in zip(ones, clusters, strict=True))
        ratio = statistics.median(ratios)  # each run's pair was measured back to back
        print(
            f"{what}: one process best {t_one:.2f} s, {args.workers}-worker cluster best "
            f"{t_cluster:.2f} s ({t_one / t_cluster:.2f}x best to best); per-run ratios "
            f"{', '.join(f'{r:.2f}' for r in ratios)}: median {ratio:.2f}x"
        )
        one_cpu = statistics.median(cpu[f"{name}-one"])
        worker_cpu = statistics.median(cpu[f"{name}-cluster"])
        print(
            f"  CPU per partition (median): this process {one_cpu * 1000:.0f} ms, the "
            f"workers {worker_cpu * 1000:.0f} ms; workers busy "
            f"{statistics.median(busy[name]):.0%} of the cluster's time: on {args.workers} "
            f"free cores, {args.workers * one_cpu / worker_cpu:.2f}x from the CPU alone"
        )
        rows.append(
            (
                f"{args.rows:,} claims, {what}: cluster vs one process (median)",
                f"{ratio:.2f}x",
                ">= 1.5x",
                "ok" if ratio >= 1.5 else "MISSED",
            )
        )
    print(
        "peak memory (max RSS): "
        + ", ".join(f"worker {i + 1} {m:.0f} MiB" for i, m in enumerate(peaks.values()))
        + f"; this process (one-process runs, client and scheduler) {peak_rss_mib():.0f} MiB"
    )
    show(rows)
    for path in (out_one, out_cluster):
        shutil.rmtree(path, ignore_errors=True)
    return 0 if all(r[3] == "ok" for r in rows) else 1


if __name__ == "__main__":
    raise SystemExit(main())
