"""Stored results of the REST API in a SQLite file (standard library), one row per summary id; its tables are
the SQLite migrations' (``summarizer.db.migrations``). ``store_postgres`` keeps the same in PostgreSQL."""

from __future__ import annotations

import sqlite3
import threading
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol

from summarizer.api.idempotency_keys import Claim, KeyTimes, claim_from
from summarizer.article import text_sha256
from summarizer.db.migrations import migrate_sqlite
from summarizer.errors import StorageError
from summarizer.schema import ArticleSummary
from summarizer.schema_upgrade import read_summary
from summarizer.stories.model import upgrade_story_set

# The idempotency keys' statements, one text for both backends (psycopg's "%s"; SQLite's "?" replaces it):
# forget the key when it is past its retention, or a claim whose request never finished.
FORGET_KEY_SQL = (
    "DELETE FROM idempotency_keys WHERE scope = %s AND key = %s"
    " AND (created_at < %s OR (status IS NULL AND created_at < %s))"
)
KEY_ROW_SQL = "SELECT fingerprint, status, body, location FROM idempotency_keys WHERE scope = %s AND key = %s"
COMPLETE_KEY_SQL = "UPDATE idempotency_keys SET status = %s, body = %s, location = %s WHERE scope = %s AND key = %s"
RELEASE_KEY_SQL = "DELETE FROM idempotency_keys WHERE scope = %s AND key = %s AND status IS NULL"


@dataclass(frozen=True)
class SummaryFilter:
    """Filters of the list and export routes; every field is optional and they combine with AND."""

    prompt_version: str | None = None
    model: str | None = None
    source: str | None = None
    q: str | None = None  # case-insensitive substring of the title or URL
    stored_after: datetime | None = None
    stored_before: datetime | None = None

    def where(self, *, mark: str = "?", find: str = "instr") -> tuple[str, list[str]]:
        """The WHERE clause and its values; ``mark`` is the driver's placeholder (SQLite "?", psycopg "%s") and
        ``find`` the function that gives a substring's position (SQLite ``instr``, PostgreSQL ``strpos``)."""
        clauses: list[str] = []
        values: list[str] = []
        for column, value in (("prompt_version", self.prompt_version), ("model", self.model), ("source", self.source)):
            if value is not None:
                clauses.append(f"{column} = {mark}")
                values.append(value)
        if self.q:
            title, url = (f"{find}(lower(coalesce({column}, '')), {mark}) > 0" for column in ("title", "url"))
            clauses.append(f"({title} OR {url})")
            values += [self.q.lower(), self.q.lower()]
        if self.stored_after is not None:
            clauses.append(f"stored_at >= {mark}")
            values.append(self.stored_after.isoformat())
        if self.stored_before is not None:
            clauses.append(f"stored_at < {mark}")
            values.append(self.stored_before.isoformat())
        return (" WHERE " + " AND ".join(clauses) if clauses else ""), values


class KnownIds:
    """Ids this process stored, the latest ``limit`` of them (a few MB): a cache hit need not be stored again.
    Its lock is never held during a database call (the event loop reads it)."""

    def __init__(self, limit: int = 65_536):
        self.limit = limit
        self._ids: OrderedDict[str, None] = OrderedDict()
        self._lock = threading.Lock()

    def add(self, summary_id: str) -> None:
        with self._lock:
            self._ids[summary_id] = None
            self._ids.move_to_end(summary_id)
            if len(self._ids) > self.limit:
                self._ids.popitem(last=False)

    def __contains__(self, summary_id: object) -> bool:
        with self._lock:
            return summary_id in self._ids


class SummaryStore(Protocol):
    """What the API keeps its results in: ``ResultStore`` (a SQLite file) or ``store_postgres.PostgresResultStore``."""

    def check(self) -> None: ...
    def put(self, summary: ArticleSummary, *, text: str | None = None) -> None: ...
    def stored_here(self, summary_id: str) -> bool: ...
    def get(self, summary_id: str) -> ArticleSummary | None: ...
    def put_story_set(self, story_set_id: str, data: str) -> None: ...
    def story_set(self, story_set_id: str) -> str | None: ...
    def article_text(self, summary: ArticleSummary) -> str | None: ...
    def count(self, where: SummaryFilter) -> int: ...
    def list(self, where: SummaryFilter, *, limit: int, offset: int) -> list[ArticleSummary]: ...
    def iter(self, where: SummaryFilter, *, limit: int, offset: int = 0) -> Iterator[ArticleSummary]: ...
    def claim_idempotency_key(self, scope: str, key: str, fingerprint: str, times: KeyTimes) -> Claim: ...
    def complete_idempotency_key(self, scope: str, key: str, status: int, body: str, location: str | None) -> None: ...
    def release_idempotency_key(self, scope: str, key: str) -> None: ...


class ResultStore:
    """Summaries by id; survives restarts. Connections are per call, so threads can share it.

    Nothing touches the disk until first use, so a server starts even when its storage is broken: every
    failure to open, read or write the database (read-only, corrupt, disk full) is a ``StorageError``,
    which the API answers 503 and ``/ready`` reports.
    """

    def __init__(self, path: Path):
        self.path = path
        self._lock = threading.Lock()
        self._ready = False
        self._known = KnownIds()

    @contextmanager
    def _connection(self) -> Iterator[sqlite3.Connection]:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with closing(sqlite3.connect(self.path, timeout=10)) as conn:
                conn.execute("PRAGMA journal_mode=WAL")
                conn.execute("PRAGMA synchronous=NORMAL")  # with WAL: safe against crashes, no fsync per write
                if not self._ready:
                    migrate_sqlite(conn)
                    self._ready = True
                yield conn
        except (sqlite3.Error, OSError) as exc:
            raise StorageError(f"the stored results cannot be used ({_cause(exc)})", path=self.path) from exc

    def check(self) -> None:
        """Raise ``StorageError`` unless the database can be read and written now (writes nothing)."""
        with self._connection() as conn:
            conn.execute("SELECT id FROM summaries LIMIT 1").fetchall()
            conn.execute("BEGIN IMMEDIATE")
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            conn.execute(f"PRAGMA user_version = {int(version)}")  # a write, rolled back: fails when read-only
            conn.rollback()

    def put(self, summary: ArticleSummary, *, text: str | None = None) -> None:
        """Store ``summary``; with ``text``, its original article too (the text its evidence offsets count in).

        The text is kept once per content (by sha256), and only when it is the text the summary was made of.
        """
        prov = summary.provenance
        with self._lock, self._connection() as conn, conn:
            conn.execute("INSERT OR REPLACE INTO summaries VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", summary_row(summary))
            if text is not None and text_sha256(text) == prov.article_sha256:
                conn.execute("INSERT OR IGNORE INTO articles VALUES (?, ?)", (prov.article_sha256, text))
        self._known.add(summary.id)  # once committed

    def stored_here(self, summary_id: str) -> bool:
        """Whether this process stored ``summary_id`` (memory only: a cache hit need not be stored again)."""
        return summary_id in self._known

    def get(self, summary_id: str) -> ArticleSummary | None:
        with self._connection() as conn:
            row = conn.execute("SELECT data FROM summaries WHERE id = ?", (summary_id,)).fetchone()
        return read_summary(row[0]) if row else None  # stored by an earlier version: read as the current

    def put_story_set(self, story_set_id: str, data: str) -> None:
        """Store a story set's JSON (``summarizer.stories.StorySet``) under its id."""
        with self._lock, self._connection() as conn, conn:
            conn.execute(
                "INSERT OR REPLACE INTO story_sets VALUES (?, ?, ?)",
                (story_set_id, datetime.now(UTC).isoformat(), data),
            )

    def story_set(self, story_set_id: str) -> str | None:
        """A stored story set's JSON, or None."""
        with self._connection() as conn:
            row = conn.execute("SELECT data FROM story_sets WHERE id = ?", (story_set_id,)).fetchone()
        return upgrade_story_set(str(row[0])) if row else None  # stored by an earlier version: read as the current

    def article_text(self, summary: ArticleSummary) -> str | None:
        """The original text of the article ``summary`` was made of, when it was stored with it."""
        with self._connection() as conn:
            row = conn.execute(
                "SELECT text FROM articles WHERE sha256 = ?", (summary.provenance.article_sha256,)
            ).fetchone()
        return str(row[0]) if row else None

    def count(self, where: SummaryFilter) -> int:
        clause, values = where.where()
        with self._connection() as conn:
            total: int = conn.execute(f"SELECT count(*) FROM summaries{clause}", values).fetchone()[0]
        return total

    def list(self, where: SummaryFilter, *, limit: int, offset: int) -> list[ArticleSummary]:
        return list(self.iter(where, limit=limit, offset=offset))

    def iter(self, where: SummaryFilter, *, limit: int, offset: int = 0) -> Iterator[ArticleSummary]:
        """Newest first (ties broken by id, so pages are stable)."""
        clause, values = where.where()
        sql = f"SELECT data FROM summaries{clause} ORDER BY stored_at DESC, id LIMIT ? OFFSET ?"
        with self._connection() as conn:
            for (data,) in conn.execute(sql, [*values, limit, offset]):
                yield read_summary(data)

    def claim_idempotency_key(self, scope: str, key: str, fingerprint: str, times: KeyTimes) -> Claim:
        """Claim ``key`` for this request, or say where it stands (``idempotency_keys.claim_from``)."""
        with self._lock, self._connection() as conn:
            conn.execute("BEGIN IMMEDIATE")
            try:
                conn.execute(FORGET_KEY_SQL.replace("%s", "?"), (scope, key, times.kept_after, times.live_after))
                inserted = conn.execute(
                    "INSERT OR IGNORE INTO idempotency_keys (scope, key, fingerprint, created_at) VALUES (?, ?, ?, ?)",
                    (scope, key, fingerprint, times.now),
                ).rowcount
                row = None if inserted else conn.execute(KEY_ROW_SQL.replace("%s", "?"), (scope, key)).fetchone()
                conn.commit()
            except BaseException:
                conn.rollback()
                raise
        return claim_from(row, fingerprint)

    def complete_idempotency_key(self, scope: str, key: str, status: int, body: str, location: str | None) -> None:
        with self._lock, self._connection() as conn, conn:
            conn.execute(COMPLETE_KEY_SQL.replace("%s", "?"), (status, body, location, scope, key))

    def release_idempotency_key(self, scope: str, key: str) -> None:
        with self._lock, self._connection() as conn, conn:
            conn.execute(RELEASE_KEY_SQL.replace("%s", "?"), (scope, key))


def summary_row(summary: ArticleSummary) -> tuple[str | None, ...]:
    """The ``summaries`` row of a summary, in the table's column order (both backends)."""
    prov, article = summary.provenance, summary.article
    return (
        summary.id,
        prov.served_at.isoformat(),
        prov.prompt_version,
        prov.model,
        prov.backend,
        article.title,
        article.url,
        article.source,
        article.published_at,
        summary.model_dump_json(),
    )


def _cause(exc: BaseException) -> str:
    """SQLite's or the OS's words for a failure, without the path (clients may read them)."""
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return str(exc)
