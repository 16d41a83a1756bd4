"""Dask: the same code on one machine or a cluster (rtaprotocol.batch).

Dask is imported only when one of these helpers runs. The functions sent to the workers
(``_run_file`` and ``_run_partition`` here, ``_partial_sums`` in
:mod:`rtaprotocol.batch.summary`, :func:`~rtaprotocol.batch.value_claims` by
``map_partitions``) are module-level, so a worker unpickles each by its module's path.
"""

from __future__ import annotations

import importlib
import warnings
from collections.abc import Hashable, Iterable, Mapping
from typing import Any, Final

import attrs
import pandas as pd

from rtaprotocol.batch.bad_rows import ERROR_POLICIES, _plain
from rtaprotocol.batch.columns import _SHOWN, CONTRACT_REFERENCE
from rtaprotocol.batch.frame import _check_choice, value_claims, value_claims_meta
from rtaprotocol.batch.summary import _combine_sums, _is_dask, _summary_keys, _summary_sums
from rtaprotocol.errors import (
    ErrorCode,
    RulesError,
    RulesTypeError,
)

#: The environment every Dask worker process gets from :func:`local_cluster` (through the
#: nanny's ``distributed.nanny.pre-spawn-environ``, so glibc reads it as the process
#: starts). Dask's nanny sets ``MALLOC_TRIM_THRESHOLD_``, which turns off glibc's dynamic
#: mmap threshold: every numpy temporary over 128 KiB is then mapped and faulted in
#: afresh, which cost a worker 1.5 to 2 times the CPU per claim of the main process. A
#: fixed mmap threshold of 32 MiB (glibc's largest on 64-bit) keeps temporaries of a
#: partition up to about 4 million rows on the heap; the nanny's trim setting is kept,
#: so a worker still gives memory back. Set the same on any cluster (docs/batch.md).
DASK_WORKER_ENV: Final[Mapping[str, str]] = {"MALLOC_MMAP_THRESHOLD_": str(32 * 2**20)}
RUN_REFERENCE: Final = (
    "every partition of the portfolio was valued and checked (rtaprotocol batch rows); "
    "each row's message cites its rule"
)


def dask_worker_config() -> dict[str, str]:
    """Return the Dask config that gives every worker :data:`DASK_WORKER_ENV` at start.

    For ``dask.config.set(...)`` around a cluster you build yourself, or (as
    ``DASK_DISTRIBUTED__NANNY__PRE_SPAWN_ENVIRON__...`` variables or a YAML file) for
    the machines that run ``dask worker``.

    >>> dask_worker_config()
    {'distributed.nanny.pre-spawn-environ.MALLOC_MMAP_THRESHOLD_': '33554432'}
    """
    return {f"distributed.nanny.pre-spawn-environ.{k}": v for k, v in DASK_WORKER_ENV.items()}


def local_cluster(n_workers: int | None = None, **kwargs: Any) -> Any:
    """Start a ``dask.distributed.LocalCluster`` of worker processes set up for the batch path.

    One thread per worker (the kernels are numpy, one core each), worker processes (not
    threads), no dashboard unless asked (the scheduler's HTTP routes on a free port), and
    :data:`DASK_WORKER_ENV` in every worker's environment. ``n_workers``: default one per
    core. Other keyword arguments go to ``LocalCluster``. Use it as a context manager with
    a ``Client``; for a cluster of several machines, see docs/batch.md. (The valuation is
    guide 6.5.2's, as :func:`value_claims`; this only decides where it runs.)

    >>> import os
    >>> from dask.distributed import Client
    >>> with local_cluster(1, silence_logs=40) as cluster, Client(cluster) as client:
    ...     list(client.run(lambda: os.environ["MALLOC_MMAP_THRESHOLD_"]).values())
    ['33554432']
    """
    dask = importlib.import_module("dask")
    distributed = importlib.import_module("distributed")
    options: dict[str, Any] = {
        "threads_per_worker": 1,
        "processes": True,
        "dashboard_address": None,
        **kwargs,
    }
    if "dashboard_address" not in kwargs and "scheduler_kwargs" not in kwargs:
        # With no dashboard the scheduler still serves its health routes over HTTP, on
        # port 8787 by default: on a free port instead, so that a second cluster (or a
        # dashboard already on 8787) does not collide with it.
        options["scheduler_kwargs"] = {"dashboard": False, "dashboard_address": ":0"}
    with dask.config.set(dask_worker_config()):
        return distributed.LocalCluster(n_workers=n_workers, **options)


def value_claims_dask(claims: Any, **options: Any) -> Any:
    """Return :func:`value_claims` of every partition, lazily, as a Dask DataFrame.

    ``claims``: a Dask DataFrame, or a parquet dataset (a file, a directory of
    ``*.parquet`` files, an fsspec URL, or a list of them: one partition per file, read
    by pandas on the worker that values it): no data travels in the task graph.
    ``options`` go to :func:`value_claims`; the ``meta`` is given
    (:func:`value_claims_meta`, with the ``passthrough`` columns' own dtypes), so
    nothing is computed to learn the shape. Write the result with ``.to_parquet(...)``
    or summarise it with :func:`summarise` (guide 6.5.2, as :func:`value_claims`).
    With ``errors="raise"`` a bad row stops the job at the first partition that has
    one; ``errors="flag"`` (or :func:`run_portfolio`) reports the bad rows of every
    partition.

    >>> import pandas as pd
    >>> import dask, dask.dataframe as dd
    >>> claims = pd.DataFrame({"accident_date": pd.to_datetime(["2025-05-30", "2025-05-31"]),
    ...                        "duration_months": [3, 3]})  # Table 1, then Table 2
    >>> lazy = value_claims_dask(dd.from_pandas(claims, npartitions=2))
    >>> with dask.config.set(scheduler="synchronous"):
    ...     lazy["tariff_pence"].compute().tolist()
    [24000, 27500]
    """
    claims = _dataset(claims)
    meta = value_claims_meta(errors=options.get("errors", "raise"))
    for label in options.get("passthrough", ()):
        if label in claims.columns:
            meta[label] = claims._meta[label]
    return claims.map_partitions(value_claims, meta=meta, **options)


def _dataset(source: Any) -> Any:
    """Return a Dask DataFrame as it is, or a parquet dataset as one, a partition per file.

    ``source``: a file, a directory of ``*.parquet`` files (sorted by name), an fsspec
    URL of either (``s3://...``, needs fsspec), or a list of them. Each file is read by
    ``pandas.read_parquet`` on the worker that values it; the client reads only the
    first file's schema (for the ``meta``), never the data.
    """
    if _is_dask(source):
        return source
    dd = importlib.import_module("dask.dataframe")
    pq = importlib.import_module("pyarrow.parquet")
    files = _parquet_files(source)
    if "://" in files[0]:
        with importlib.import_module("fsspec").open(files[0], "rb") as handle:
            schema = pq.read_schema(handle)
    else:
        schema = pq.read_schema(files[0])
    meta = schema.empty_table().to_pandas()
    return dd.from_map(pd.read_parquet, files, meta=meta, enforce_metadata=False)


def _parquet_files(source: Any) -> list[str]:
    """List the parquet files of a path, a directory, a URL, or a list of them."""
    os = importlib.import_module("os")
    sources = [source] if isinstance(source, str | os.PathLike) else source
    if not isinstance(sources, Iterable):
        raise RulesTypeError(
            "expected a Dask DataFrame, or the path of a parquet file or directory (or a list)",
            value=source,
            field="claims",
            reference=CONTRACT_REFERENCE,
        )
    files: list[str] = []
    for item in sources:
        where = os.fspath(item)
        if "://" in where:
            fs, root = importlib.import_module("fsspec").core.url_to_fs(where)
            found = sorted(fs.glob(root.rstrip("/") + "/*.parquet")) if fs.isdir(root) else [root]
            files.extend(fs.unstrip_protocol(f) for f in found)
        elif os.path.isdir(where):
            files.extend(
                sorted(os.path.join(where, f) for f in os.listdir(where) if f.endswith(".parquet"))
            )
        else:
            files.append(where)
    if not files:
        raise RulesError(
            "no parquet files found",
            value=source,
            field="claims",
            reference=CONTRACT_REFERENCE,
            code=ErrorCode.VALUE_INVALID,
        )
    return files


@attrs.frozen
class PortfolioRun:
    """What :func:`run_portfolio` found: the summary, every refused row, and the counts."""

    #: :func:`summarise` of the whole portfolio by ``by`` (refused rows counted, not totalled).
    summary: pd.DataFrame = attrs.field(eq=False)
    #: Every refused row of every partition, with its :data:`STATUS_COLUMNS`.
    refused: pd.DataFrame = attrs.field(eq=False)
    #: How many claims were read, and in how many partitions.
    claims: int
    partitions: int
    #: Where the valued partitions were written (one parquet file each), or ``None``.
    output: str | None


def run_portfolio(
    claims: Any,
    *,
    output: str | None = None,
    by: Iterable[Hashable] | str = (),
    errors: str = "raise",
    progress: bool | None = None,
    **options: Any,
) -> PortfolioRun:
    """Value a partitioned portfolio on the workers: read, value, write and summarise, once.

    The cluster job. ``claims`` is a Dask DataFrame or a parquet dataset (path, URL or
    list). Each partition is read, valued (:func:`value_claims` with ``options``, bad
    rows flagged), written to ``output`` (a directory or URL, one
    ``part.NNNNN.parquet`` per partition, in :func:`value_claims_meta`'s flagged
    shape; skipped if ``None``) and summarised (``by``, as :func:`summarise`) on the
    worker that read it; only the partial sums and the refused rows travel back, and
    are combined. It runs on the current ``dask.distributed`` client if there is one
    (see :func:`local_cluster`), else on Dask's default scheduler.

    ``errors="raise"`` (the default): after the job, one
    :class:`~rtaprotocol.errors.RulesError` names every refused row of **every**
    partition (``err.value`` maps each to its problems; any ``output`` written holds
    them as refused rows). ``errors="flag"`` returns them in ``refused``.
    ``progress``: show a progress bar (``None``: when there are 8 partitions or more).

    The edge case: a bad row in each of two partitions, both named (CLA 2018 s.3).

    >>> import pandas as pd
    >>> import dask, dask.dataframe as dd
    >>> claims = pd.DataFrame({"accident_date": pd.to_datetime(["2024-06-03"] * 4),
    ...                        "duration_months": [3, 30, 6, 0]})
    >>> with dask.config.set(scheduler="synchronous"):
    ...     run = run_portfolio(dd.from_pandas(claims, npartitions=2), errors="flag")
    >>> run.partitions, run.refused.index.tolist(), run.summary["total_pence"].tolist()
    (2, [1, 3], [73500])
    """
    dask = importlib.import_module("dask")
    flag = _check_choice(errors, ERROR_POLICIES, "errors")
    for name in ("errors", "meta"):
        if name in options:
            raise RulesTypeError(
                f"{name}= is run_portfolio's own argument, not value_claims'",
                value=name,
                field=name,
                reference=CONTRACT_REFERENCE,
            )
    if isinstance(by, str) or not isinstance(by, Iterable):
        by = [by]
    keys = list(by)
    if output is not None and "://" not in str(output):
        importlib.import_module("os").makedirs(output, exist_ok=True)
    target = None if output is None else str(output).rstrip("/")
    # A parquet dataset is read inside each partition's one task (read, value, write,
    # summarise), so no frame waits in a worker's memory between two tasks.
    parts = claims.to_delayed() if _is_dask(claims) else _parquet_files(claims)
    task = _run_partition if _is_dask(claims) else _run_file
    tasks = [
        dask.delayed(task)(part, number, target, keys, options) for number, part in enumerate(parts)
    ]
    results = _compute(tasks, progress)
    refused = pd.concat([r[1] for r in results]) if results else value_claims_meta(errors="flag")
    run = PortfolioRun(
        summary=_combine_sums([r[0] for r in results], keys),
        refused=refused,
        claims=sum(r[2] for r in results),
        partitions=len(tasks),
        output=target,
    )
    if len(refused) and not flag:
        raise _refusal_error(refused)
    return run


def _run_file(
    path: str,
    number: int,
    output: str | None,
    by: list[Hashable],
    options: Mapping[str, Any],
) -> tuple[pd.DataFrame, pd.DataFrame, int]:
    """One file of :func:`run_portfolio`, on a worker: read it, then as :func:`_run_partition`."""
    return _run_partition(pd.read_parquet(path), number, output, by, options)


def _run_partition(
    claims: pd.DataFrame,
    number: int,
    output: str | None,
    by: list[Hashable],
    options: Mapping[str, Any],
) -> tuple[pd.DataFrame, pd.DataFrame, int]:
    """One partition of :func:`run_portfolio`, on a worker: value, write, summarise."""
    valued = value_claims(claims, errors="flag", **options)
    if output is not None:
        # Dictionary encoding for the labels only: trying it on every money column
        # doubled the time to write a partition.
        labels = [
            str(name)
            for name, dtype in valued.dtypes.items()
            if isinstance(dtype, pd.CategoricalDtype | pd.StringDtype) or dtype.kind == "O"
        ]
        valued.to_parquet(f"{output}/part.{number:05d}.parquet", use_dictionary=labels)
    names, keys = _summary_keys(valued, by)
    sums = _summary_sums(valued, names, keys)
    return sums, valued[(valued["status"] == "refused").to_numpy()], len(valued)


def _compute(tasks: list[Any], progress: bool | None) -> list[Any]:
    """Compute ``tasks`` where ``dask.compute`` would, and show progress.

    A ``scheduler`` set in ``dask.config`` first, then the current distributed client,
    else Dask's default scheduler.
    """
    dask = importlib.import_module("dask")
    show = len(tasks) >= 8 if progress is None else progress
    client = _distributed_client(dask.config.get("scheduler", None))
    if client is not None:
        futures = client.compute(tasks)
        if show:
            importlib.import_module("distributed").progress(futures)
        return list(client.gather(futures))
    with warnings.catch_warnings():
        # the caller chose this scheduler in dask.config while a client is open: older
        # Dask (2024.1) warns about exactly that choice; it is honoured, not a mistake
        warnings.filterwarnings(
            "ignore", message="Running on a single-machine scheduler when a distributed client"
        )
        if show:
            with importlib.import_module("dask.diagnostics").ProgressBar():
                return list(dask.compute(*tasks))
        return list(dask.compute(*tasks))


def _distributed_client(scheduler: Any) -> Any:
    """Return the ``dask.distributed`` client to run on, or ``None`` for ``dask.compute``.

    Dask's own order: a ``scheduler`` set in ``dask.config`` (``"synchronous"``,
    ``"threads"``, ``"processes"``...) wins over a default client, so that
    ``dask.config.set(scheduler="synchronous")`` runs in this process even while a
    ``Client`` is open. Before, the client always won, and a job meant for this process
    ran on the cluster's workers.
    """
    if scheduler is not None:
        if "Client" in type(scheduler).__name__:
            return scheduler
        if scheduler not in ("dask.distributed", "distributed"):
            return None
    try:
        return importlib.import_module("distributed").default_client()
    except (ImportError, ValueError):
        return None


def _refusal_error(refused: pd.DataFrame) -> RulesError:
    """One error naming every refused row of a whole portfolio (all its partitions)."""
    by_label: dict[Hashable, list[str]] = {}
    for label, message in zip(refused.index, refused["error_message"].tolist(), strict=True):
        by_label.setdefault(_plain(label), []).append(message)
    labels = list(by_label)
    named = ", ".join(repr(r) for r in labels[:_SHOWN])
    if len(labels) > _SHOWN:
        named += f" and {len(labels) - _SHOWN} more (all in err.value)"
    columns = ",".join(refused["error_column"].tolist()).split(",")
    codes = ",".join(refused["error_code"].tolist()).split(",")
    noun = "row" if len(refused) == 1 else "rows"
    counted = _counted(codes)
    return RulesError(
        f"{len(refused)} bad {noun} in the portfolio (by index: {named}); the problems: "
        + ", ".join(f"{c} ({n})" for c, n in counted.items()),
        value={k: v[0] if len(v) == 1 else v for k, v in by_label.items()},
        field=", ".join(dict.fromkeys(columns)),
        reference=RUN_REFERENCE,
        code=next(iter(counted)) if len(counted) == 1 else ErrorCode.INPUT_INVALID,
    )


def _counted(values: list[str]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for v in values:
        counts[v] = counts.get(v, 0) + 1
    return counts
