"""The event store: an append-only events table, a due-date index and a snapshot hook.

SQLite (the embedded default, WAL and ``synchronous=FULL``) or PostgreSQL (psycopg 3),
chosen by the database URL. Every question about a claim is answered by the library from
its events; this module only keeps them safe and finds them again.
"""

from __future__ import annotations

import asyncio
import gc
import os
import sqlite3
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import datetime, timezone
from typing import Any

try:
    import fcntl
except ImportError:  # Windows: SQLite's own busy handler queues the writers
    fcntl = None  # type: ignore[assignment]

from rtaprotocol import __version__ as library_version
from rtaprotocol import json as rjson
from rtaprotocol.claim import Claim, ClaimEvent
from rtaprotocol.errors import RulesError
from rtaprotocol.report import Injuries

#: Write a snapshot every this many events (when the library offers Claim.snapshot()).
SNAPSHOT_EVERY = 50
#: Claims kept replayed in each worker's memory; a cached claim is brought up to date with
#: the events appended since (by any worker), never trusted blindly.
CACHE_SIZE = 20_000
#: Every this many claims cached, the survivors of the young collections are frozen.
FREEZE_EVERY = 256


def _freeze_survivors() -> None:
    """Keep the claim cache out of Python's full garbage collections (``gc.freeze``).

    The cache (up to CACHE_SIZE replayed claims, about 80 tracked objects each) is
    long-lived; a full collection over 10,000 cached claims took 224 ms, and stalled every
    request in flight: it was the appends' p99 (113 ms, against 23 ms frozen; the service's
    README). Young garbage is collected first (about 0.5 ms), so only survivors freeze. A
    claim dropped from the cache is still freed at once by its reference count: no claim
    object is part of a reference cycle (checked: dropping 200 replayed claims of each
    benchmark mix leaves no cyclic garbage).
    """
    gc.collect(1)
    gc.freeze()


SCHEMA = (
    (
        "CREATE TABLE IF NOT EXISTS claims (claim_id TEXT PRIMARY KEY, created_at TEXT NOT NULL,"
        " idempotency_key TEXT UNIQUE)"
    ),
    (
        "CREATE TABLE IF NOT EXISTS events (claim_id TEXT NOT NULL, version INTEGER NOT NULL,"
        " event TEXT NOT NULL, recorded_at TEXT NOT NULL, PRIMARY KEY (claim_id, version))"
    ),
    (
        "CREATE TABLE IF NOT EXISTS due (claim_id TEXT NOT NULL, name TEXT NOT NULL,"
        " due TEXT NOT NULL, deadline TEXT NOT NULL)"
    ),
    "CREATE INDEX IF NOT EXISTS due_by_date ON due (due, claim_id)",
    "CREATE INDEX IF NOT EXISTS due_by_claim ON due (claim_id)",
    (
        "CREATE TABLE IF NOT EXISTS snapshots (claim_id TEXT PRIMARY KEY,"
        " version INTEGER NOT NULL, snapshot TEXT NOT NULL)"
    ),
    ("CREATE TABLE IF NOT EXISTS injuries (claim_id TEXT PRIMARY KEY, injuries TEXT NOT NULL)"),
    (
        "CREATE TABLE IF NOT EXISTS reports (claim_id TEXT PRIMARY KEY,"
        " version INTEGER NOT NULL, library TEXT NOT NULL, body TEXT NOT NULL)"
    ),
    (
        "CREATE TABLE IF NOT EXISTS idempotency (claim_id TEXT NOT NULL, key TEXT NOT NULL,"
        " version INTEGER NOT NULL, PRIMARY KEY (claim_id, key))"
    ),
)


#: A unique key refused a row (the driver's own class is added when PostgreSQL is used).
INTEGRITY_ERRORS: tuple[type[Exception], ...] = (sqlite3.IntegrityError,)


#: SQL statements with their arguments, built before a write transaction.
Rows = list[tuple[str, tuple[Any, ...]]]
#: An append waiting for its commit: claim id, before, after, idempotency key, rows, answer.
Pending = tuple[str, Claim, Claim, str | None, Rows, "asyncio.Future[None]"]


class Conflict(Exception):
    """Another writer stored the same (claim, version) first."""


def report_body(claim_id: str, claim: Claim, injuries: Injuries | None = None) -> str:
    """Return the body of ``GET /claims/{id}``: the report on the last event's date.

    A function of the claim's version alone (no clock), so it is written with the event
    that makes the version (the read model) and a report is then one indexed read.
    """
    report = claim.report(claim.history[-1].on, injuries=injuries).to_dict()
    return rjson.dumps({"claim_id": claim_id, "version": claim.version, **report})


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="microseconds")


class Store:
    """One database connection per thread; the claim cache is shared by the worker."""

    def __init__(self, url: str) -> None:
        self.url = url
        self._local = threading.local()
        self._cache: OrderedDict[str, Claim] = OrderedDict()
        self._lock = threading.Lock()
        self._pending: list[Pending] = []
        self._flushing = False
        self._writer = ThreadPoolExecutor(1, thread_name_prefix="portal-writer")
        self._reports: Rows = []
        self._injuries: dict[str, Injuries | None] = {}
        self._scheduled = False
        self._remembered = 0
        if url.startswith("sqlite:///"):
            self._path = url.removeprefix("sqlite:///")
            self._param = "?"
        elif url.startswith(("postgresql://", "postgres://")):
            self._path = url
            self._param = "%s"
        else:
            raise ValueError(f"unsupported database URL {url!r}: sqlite:///... or postgresql://...")
        with self.transaction() as db:
            for statement in SCHEMA:
                db(statement)

    def _connect(self) -> Any:
        if self._param == "?":
            db = sqlite3.connect(self._path, timeout=30, isolation_level=None)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=FULL")
            return db
        # The PostgreSQL driver, imported only when a postgresql:// URL is given.
        import psycopg  # type: ignore[import-not-found,unused-ignore]

        global INTEGRITY_ERRORS  # noqa: PLW0603
        INTEGRITY_ERRORS = (sqlite3.IntegrityError, psycopg.IntegrityError)
        return psycopg.connect(self._path, autocommit=True)

    @contextmanager
    def transaction(self, *, durable: bool = True) -> Iterator[Callable[..., Any]]:
        """Run statements in one write transaction (SQLite: BEGIN IMMEDIATE).

        ``durable=False`` (only the read model's rows): on SQLite the commit is not
        fsynced on its own (``synchronous=NORMAL`` in WAL mode); the next durable commit
        syncs the log with it.
        """
        db = getattr(self._local, "db", None)
        if db is None:
            db = self._local.db = self._connect()
        lock = self._writer_lock()
        sqlite = self._param == "?"
        if sqlite and not durable:
            db.execute("PRAGMA synchronous=NORMAL")
        try:
            db.execute("BEGIN IMMEDIATE" if self._param == "?" else "BEGIN")
            try:
                yield lambda sql, args=(): db.execute(sql.replace("?", self._param), args)
            except BaseException:
                db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")
        finally:
            if sqlite and not durable:
                db.execute("PRAGMA synchronous=FULL")
            if lock is not None:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def _writer_lock(self) -> int | None:
        """Queue SQLite writers of every worker on a file lock (Unix), woken in turn.

        Without it a writer that finds the database locked sleeps in SQLite's busy handler
        (up to 100 ms at a time) however soon the lock is free: p99 latency, not safety
        (BEGIN IMMEDIATE and the unique key keep the writes correct either way).
        """
        if self._param != "?" or fcntl is None:
            return None
        fd = getattr(self._local, "lock", None)
        if fd is None:
            fd = self._local.lock = os.open(f"{self._path}.writer-lock", os.O_CREAT | os.O_RDWR)
        fcntl.flock(fd, fcntl.LOCK_EX)
        return int(fd)

    def query(self, sql: str, args: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        """Return the rows of one read (outside any write transaction)."""
        db = getattr(self._local, "db", None)
        if db is None:
            db = self._local.db = self._connect()
        return list(db.execute(sql.replace("?", self._param), args).fetchall())

    # --- claims -----------------------------------------------------------------------------

    def create(
        self, claim_id: str, claim: Claim, key: str | None, injuries: Injuries | None = None
    ) -> str:
        """Store a new claim's first event (and its injuries, with its first report).

        A repeated idempotency key gives the first claim's id. The report is built here,
        so that injuries the tariff cannot value for this accident are refused now, not
        at every later read.
        """
        if key is not None:
            found = self.query("SELECT claim_id FROM claims WHERE idempotency_key = ?", (key,))
            if found:
                return str(found[0][0])
        rows = self.rows(claim_id, claim)
        rows.append(self.report_row(claim_id, 1, report_body(claim_id, claim, injuries)))
        if injuries is not None:
            text = rjson.dumps(injuries.to_dict())
            rows.append(("INSERT INTO injuries VALUES (?, ?)", (claim_id, text)))
        try:
            with self.transaction() as db:
                db("INSERT INTO claims VALUES (?, ?, ?)", (claim_id, _now(), key))
                for sql, args in rows:
                    db(sql, args)
        except INTEGRITY_ERRORS:
            if key is None:
                raise
            found = self.query("SELECT claim_id FROM claims WHERE idempotency_key = ?", (key,))
            return str(found[0][0])
        self._remember(claim_id, claim)
        return claim_id

    def load(self, claim_id: str) -> Claim | None:
        """Return the claim as stored now: cache + events since, else snapshot + replay."""
        with self._lock:
            claim = self._cache.get(claim_id)
        since = 0 if claim is None else claim.version
        rows = self.query(
            "SELECT event FROM events WHERE claim_id = ? AND version > ? ORDER BY version",
            (claim_id, since),
        )
        if claim is None:
            if not rows:
                return None
            claim = self._from_snapshot(claim_id)
            if claim is not None:
                rows = rows[claim.version :]
            else:
                claim = Claim()
        for (text,) in rows:
            claim = claim.apply(rjson.loads(text))
        self._remember(claim_id, claim)
        return claim

    async def append(self, claim_id: str, before: Claim, after: Claim, key: str | None) -> None:
        """Store the events ``after`` holds beyond ``before``; Conflict if another was first.

        Group commit: the appends that arrive while the worker is busy are written in one
        transaction, each in its own savepoint (a conflict undoes only its own), and
        acknowledged together after the one commit: one fsync for many appends. Nothing
        is acknowledged before the commit is on disk.
        """
        loop = asyncio.get_running_loop()
        done: asyncio.Future[None] = loop.create_future()
        rows = self.rows(claim_id, after, before.version)
        self._pending.append((claim_id, before, after, key, rows, done))
        self._schedule(loop)
        await done

    def _schedule(self, loop: asyncio.AbstractEventLoop) -> None:
        if not self._scheduled and not self._flushing:
            self._scheduled = True
            loop.call_soon(self._flush, loop)  # after the requests already read queue theirs

    @staticmethod
    def report_row(claim_id: str, version: int, body: str) -> tuple[str, tuple[Any, ...]]:
        """Return the statement that stores a report, only if the claim is still at ``version``."""
        return (
            (
                "INSERT INTO reports SELECT ?, ?, ?, ?"
                " WHERE (SELECT count(*) FROM events WHERE claim_id = ?) = ?"
                " ON CONFLICT (claim_id) DO UPDATE SET version = excluded.version,"
                " library = excluded.library, body = excluded.body"
            ),
            (claim_id, version, library_version, body, claim_id, version),
        )

    def keep_report(self, claim_id: str, version: int, body: str) -> None:
        """Store a report just built by a read (the read model), with the next group commit.

        The read is answered at once; the row follows in the worker's next write
        transaction (with appends if any, else one of its own, without an fsync of its own
        on SQLite: losing it in a crash loses nothing, the next read builds it again). It
        is stored only if the claim is still at ``version`` (an append removes the row in
        its own transaction), so a stored report is always the current version's.
        """
        self._reports.append(self.report_row(claim_id, version, body))
        self._schedule(asyncio.get_running_loop())

    def _flush(self, loop: asyncio.AbstractEventLoop) -> None:
        """Write what is pending in the writer thread; the event loop goes on serving.

        The commit's fsync no longer stalls the worker: requests read meanwhile queue their
        appends for the next commit (bigger batches under load), and each is acknowledged
        when its own commit is on disk.
        """
        self._scheduled = False
        batch, self._pending = self._pending, []
        reports, self._reports = self._reports, []
        if not batch and not reports:
            return
        self._flushing = True
        written = loop.run_in_executor(self._writer, self._write_batch, batch, reports)
        written.add_done_callback(lambda done: self._written(loop, batch, done))

    def _write_batch(self, batch: list[Pending], reports: Rows) -> list[BaseException | None]:
        """Write a batch in one transaction (the writer thread): each append's result."""
        results: list[BaseException | None] = []
        try:
            with self.transaction(durable=bool(batch)) as db:
                for claim_id, before, after, key, rows, _ in batch:
                    db("SAVEPOINT one")
                    try:
                        stored = self._write_one(db, claim_id, before, after, key, rows)
                    except INTEGRITY_ERRORS:
                        stored = False
                    if not stored:
                        db("ROLLBACK TO one")
                    db("RELEASE one")
                    results.append(None if stored else Conflict())
                for sql, args in reports:
                    db(sql, args)
        except Exception as err:  # the commit failed: nothing of the batch is stored
            results = [err] * len(batch)
        return results

    def _written(
        self,
        loop: asyncio.AbstractEventLoop,
        batch: list[Pending],
        done: asyncio.Future[list[BaseException | None]],
    ) -> None:
        """Acknowledge a committed batch (the event loop), then write what queued meanwhile."""
        self._flushing = False
        error = done.exception()
        results = [error] * len(batch) if error is not None else done.result()
        for (claim_id, _, after, _, _, answer), result in zip(batch, results, strict=True):
            if result is None:
                self._remember(claim_id, after)
            if answer.done():  # the client went away; what was committed stays committed
                continue
            if result is None:
                answer.set_result(None)
            else:
                answer.set_exception(result)
        if self._pending or self._reports:
            self._schedule(loop)

    def _write_one(  # noqa: PLR0917 - one pending append, unpacked
        self,
        db: Callable[..., Any],
        claim_id: str,
        before: Claim,
        after: Claim,
        key: str | None,
        rows: Rows,
    ) -> bool:
        current = db("SELECT count(*) FROM events WHERE claim_id = ?", (claim_id,))
        if current.fetchone()[0] != before.version:
            return False
        for sql, args in rows:
            db(sql, args)
        if key is not None:
            db("INSERT INTO idempotency VALUES (?, ?, ?)", (claim_id, key, after.version))
        return True

    def idempotent(self, claim_id: str, key: str) -> int | None:
        """Return the version an earlier request with this key produced, if any."""
        rows = self.query(
            "SELECT version FROM idempotency WHERE claim_id = ? AND key = ?", (claim_id, key)
        )
        return None if not rows else int(rows[0][0])

    def _append(self, db: Callable[..., Any], claim_id: str, claim: Claim, start: int = 0) -> None:
        for sql, args in self.rows(claim_id, claim, start):
            db(sql, args)

    def rows(self, claim_id: str, claim: Claim, start: int = 0) -> Rows:
        """Return the statements that store ``claim``'s events after version ``start``.

        The events, the claim's rows of the due-date index (rebuilt), its stored report
        (removed: the read model is rebuilt by the next read, see :meth:`keep_report`)
        and, every SNAPSHOT_EVERY events, its snapshot: built before the write
        transaction, so that the library's work is done outside the writer lock.
        """
        now = _now()
        out: Rows = [
            (
                "INSERT INTO events VALUES (?, ?, ?, ?)",
                (claim_id, version, rjson.dumps(event.to_dict()), now),
            )
            for version, event in enumerate(claim.history[start:], start + 1)
        ]
        # The due-date index: the claim's open deadlines, rebuilt with each event.
        out.append(("DELETE FROM due WHERE claim_id = ?", (claim_id,)))
        out.extend(
            (
                "INSERT INTO due VALUES (?, ?, ?, ?)",
                (claim_id, d.name, d.due.isoformat(), rjson.dumps(d.to_dict())),
            )
            for d in claim.open_deadlines()
        )
        # The read model: the claim's stored report is no longer its report.
        out.append(("DELETE FROM reports WHERE claim_id = ?", (claim_id,)))
        if claim.version // SNAPSHOT_EVERY > start // SNAPSHOT_EVERY:
            out.append(
                (
                    (
                        "INSERT INTO snapshots VALUES (?, ?, ?) ON CONFLICT (claim_id) DO UPDATE"
                        " SET version = excluded.version, snapshot = excluded.snapshot"
                    ),
                    (claim_id, claim.version, rjson.dumps(claim.snapshot())),
                )
            )
        return out

    def injuries(self, claim_id: str) -> Injuries | None:
        """Return the injuries submitted with the claim (``None``: none), read once per worker."""
        if claim_id not in self._injuries:
            rows = self.query("SELECT injuries FROM injuries WHERE claim_id = ?", (claim_id,))
            found = Injuries.from_dict(rjson.loads(rows[0][0])) if rows else None
            with self._lock:
                self._injuries[claim_id] = found
                while len(self._injuries) > CACHE_SIZE:
                    self._injuries.pop(next(iter(self._injuries)))
        return self._injuries[claim_id]

    def report(self, claim_id: str) -> tuple[int, str] | None:
        """Return the stored report (version, JSON body) of the claim's current version.

        ``None`` when there is none written by this release of the library (a store
        written before an upgrade): the caller builds the report from the events instead.
        """
        rows = self.query(
            "SELECT version, library, body FROM reports WHERE claim_id = ?", (claim_id,)
        )
        if not rows or rows[0][1] != library_version:
            return None
        return int(rows[0][0]), str(rows[0][2])

    def _from_snapshot(self, claim_id: str) -> Claim | None:
        restore = getattr(Claim, "from_snapshot", None)
        if restore is None:
            return None
        rows = self.query("SELECT snapshot FROM snapshots WHERE claim_id = ?", (claim_id,))
        if not rows:
            return None
        try:
            claim: Claim = restore(rows[0][0])
        except RulesError:  # another snapshot format (a library upgrade): replay instead
            return None
        return claim

    def _remember(self, claim_id: str, claim: Claim) -> None:
        with self._lock:
            kept = self._cache.get(claim_id)
            if kept is None or kept.version <= claim.version:
                self._cache[claim_id] = claim
            self._cache.move_to_end(claim_id)
            while len(self._cache) > CACHE_SIZE:
                self._cache.popitem(last=False)
            self._remembered += 1
            if self._remembered % FREEZE_EVERY == 0:
                _freeze_survivors()

    def overdue(self, on: str, limit: int, offset: int) -> list[tuple[str, str]]:
        """Open deadlines due before ``on``, across claims: one indexed query."""
        return [
            (str(c), str(d))
            for c, d in self.query(
                "SELECT claim_id, deadline FROM due WHERE due < ? ORDER BY due, claim_id, name"
                " LIMIT ? OFFSET ?",
                (on, limit, offset),
            )
        ]


__all__ = ["ClaimEvent", "Conflict", "Store"]
