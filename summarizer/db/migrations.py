"""Versioned migrations: the numbered SQL files of ``migrations/<backend>/`` (``0001_results.sql``, ...),
each applied once, in order, and recorded in a ``schema_migrations`` table with its sha256.

A migration that was applied and has changed since is refused (edit a database with a new file, never by
rewriting an old one). On PostgreSQL every run holds a transaction-scoped advisory lock from before it
reads ``schema_migrations`` until it commits, so that instances starting together apply each file once;
on SQLite ``BEGIN IMMEDIATE`` does the same for processes sharing the file.
"""

from __future__ import annotations

import hashlib
import re
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Literal

from summarizer.errors import StorageError

if TYPE_CHECKING:
    import psycopg

Backend = Literal["sqlite", "postgres"]

# Any constant shared by every instance of the project: the key of the migrations' advisory lock.
ADVISORY_LOCK_KEY = 7_300_524_001
_FILE = re.compile(r"^(?P<version>\d{4})_(?P<name>[a-z0-9_]+)\.sql$")
# The record of applied migrations: the same SQL on both backends.
_SCHEMA_MIGRATIONS = (
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    " version INTEGER PRIMARY KEY, name TEXT NOT NULL, sha256 TEXT NOT NULL, applied_at TEXT NOT NULL)"
)


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.sql.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class MigrationState:
    """A migration file and when it was applied to this database (None: not yet)."""

    version: int
    name: str
    applied_at: str | None


@cache
def migrations(backend: Backend) -> tuple[Migration, ...]:
    """The backend's migration files in order; numbered 1, 2, 3... with no gap."""
    folder = resources.files("summarizer.db") / "migrations" / backend
    found = []
    for entry in folder.iterdir():
        matched = _FILE.match(entry.name)
        if matched is not None:
            found.append(Migration(int(matched["version"]), matched["name"], entry.read_text(encoding="utf-8")))
    found.sort(key=lambda m: m.version)
    if [m.version for m in found] != list(range(1, len(found) + 1)):
        raise RuntimeError(f"the {backend} migrations are not numbered 1..{len(found)}: {[m.version for m in found]}")
    return tuple(found)


def _pending(backend: Backend, applied: dict[int, str]) -> list[Migration]:
    """The migrations not applied yet; a ``StorageError`` when an applied one has changed since."""
    known = migrations(backend)
    for migration in known:
        if migration.version in applied and applied[migration.version] != migration.sha256:
            raise StorageError(
                f"migration {migration.version:04d}_{migration.name} was changed after this database applied it"
            )
    newer = [version for version in applied if version > len(known)]
    if newer:
        raise StorageError(f"the database has migration {max(newer)}, newer than this version of summarizer knows")
    return [m for m in known if m.version not in applied]


def _now() -> str:
    return datetime.now(UTC).isoformat()


# --- SQLite ---------------------------------------------------------------------------------------


def _statements(script: str) -> list[str]:
    """A script's statements one by one (``executescript`` would commit the transaction that holds the lock)."""
    statements, buffer = [], ""
    for line in script.splitlines(keepends=True):
        if not buffer and (not line.strip() or line.lstrip().startswith("--")):
            continue
        buffer += line
        if sqlite3.complete_statement(buffer):
            statements.append(buffer.strip())
            buffer = ""
    if buffer.strip():
        statements.append(buffer.strip())
    return statements


def migrate_sqlite(conn: sqlite3.Connection) -> list[Migration]:
    """Apply the SQLite migrations this database lacks, in one ``BEGIN IMMEDIATE`` transaction."""
    previous = conn.isolation_level
    conn.isolation_level = None  # statements run as written: BEGIN and COMMIT are ours
    try:
        conn.execute("BEGIN IMMEDIATE")
        try:
            conn.execute(_SCHEMA_MIGRATIONS)
            applied = dict(conn.execute("SELECT version, sha256 FROM schema_migrations").fetchall())
            pending = _pending("sqlite", applied)
            for migration in pending:
                for statement in _statements(migration.sql):
                    conn.execute(statement)
                conn.execute(
                    "INSERT INTO schema_migrations VALUES (?, ?, ?, ?)",
                    (migration.version, migration.name, migration.sha256, _now()),
                )
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
    finally:
        conn.isolation_level = previous
    return pending


def sqlite_status(conn: sqlite3.Connection) -> list[MigrationState]:
    has_table = conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'")
    rows = conn.execute("SELECT version, applied_at FROM schema_migrations").fetchall() if has_table.fetchone() else []
    return _states("sqlite", dict(rows))


# --- PostgreSQL -----------------------------------------------------------------------------------


def migrate_postgres(conn: psycopg.Connection[tuple[object, ...]]) -> list[Migration]:
    """Apply the PostgreSQL migrations this database lacks, in one transaction under the advisory lock."""
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (ADVISORY_LOCK_KEY,))
        conn.execute(_SCHEMA_MIGRATIONS)
        applied = {int(str(v)): str(s) for v, s in conn.execute("SELECT version, sha256 FROM schema_migrations")}
        pending = _pending("postgres", applied)
        for migration in pending:
            conn.execute(migration.sql.encode("utf-8"))  # no parameters: the file's statements as one script
            conn.execute(
                "INSERT INTO schema_migrations VALUES (%s, %s, %s, %s)",
                (migration.version, migration.name, migration.sha256, _now()),
            )
    return pending


def postgres_status(conn: psycopg.Connection[tuple[object, ...]]) -> list[MigrationState]:
    exists = conn.execute("SELECT to_regclass('schema_migrations') IS NOT NULL").fetchone()
    rows = conn.execute("SELECT version, applied_at FROM schema_migrations").fetchall() if exists and exists[0] else []
    return _states("postgres", {int(str(v)): str(at) for v, at in rows})


def _states(backend: Backend, applied: dict[int, str]) -> list[MigrationState]:
    return [MigrationState(m.version, m.name, applied.get(m.version)) for m in migrations(backend)]
