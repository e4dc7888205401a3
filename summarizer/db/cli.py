"""``summarizer db migrate``, ``db status`` and ``db prune``: the schema of the API's database, at
``SUMMARIZER_DATABASE_URL`` (PostgreSQL) or in the SQLite file of its results. Servers migrate by themselves
at first use; these commands do it ahead of a deployment and show where a database stands."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Annotated

import typer

from summarizer.console import fail, note, settings_or_fail

if TYPE_CHECKING:
    import psycopg

    from summarizer.db.migrations import Migration, MigrationState
    from summarizer.settings import Settings

db_app = typer.Typer(help="The API's database: apply its migrations, or show which are applied.", no_args_is_help=True)


@db_app.command("migrate")
def migrate_command() -> None:
    """Apply the migrations the database lacks (each once; safe while servers run)."""
    from summarizer.errors import SummarizerError

    settings = settings_or_fail()
    try:
        with _database(settings) as (where, migrate, _):
            applied = migrate()
    except SummarizerError as exc:
        fail(str(exc))
    if applied:
        note(f"{where}: applied {', '.join(f'{m.version:04d}_{m.name}' for m in applied)}")
    else:
        note(f"{where}: up to date")


@db_app.command("status")
def status_command() -> None:
    """List every migration and when this database applied it; exit 1 when some are pending."""
    from summarizer.errors import SummarizerError

    settings = settings_or_fail()
    try:
        with _database(settings) as (where, _, status):
            states = status()
    except SummarizerError as exc:
        fail(str(exc))
    typer.echo(where)
    for state in states:
        typer.echo(f"{state.version:04d}_{state.name}\t{state.applied_at or 'pending'}")
    if any(state.applied_at is None for state in states):
        raise typer.Exit(1)


@db_app.command("prune")
def prune_command(
    older_than: Annotated[
        str, typer.Option("--older-than", help="Age past which rows go: a number and d, h or m (30d, 12h, 90m)")
    ],
) -> None:
    """Delete stored summaries, story sets, idempotency keys, cache entries and ended batch jobs older than
    the given age."""
    from summarizer.api.batches import jobs_dir
    from summarizer.db.prune import parse_age, prune_postgres, prune_sqlite
    from summarizer.errors import SummarizerError

    settings = settings_or_fail()
    try:
        cutoff = datetime.now(UTC) - parse_age(older_than)
        if settings.database_url is not None:
            with _postgres(settings) as (where, conn):
                pruned = prune_postgres(conn, cutoff)
        else:
            where = str(settings.resolved_store_path())
            pruned = prune_sqlite(
                settings.resolved_store_path(), settings.resolved_cache_path(), jobs_dir(settings), cutoff
            )
    except SummarizerError as exc:
        fail(str(exc))
    counts = ", ".join(f"{table} {rows}" for table, rows in pruned.rows.items()) or "nothing stored yet"
    note(f"{where}: removed {pruned.total()} row(s) stored before {cutoff.isoformat(timespec='seconds')}: {counts}")


@contextmanager
def _postgres(settings: Settings) -> Iterator[tuple[str, psycopg.Connection[tuple[object, ...]]]]:
    """A connection to the database at ``database_url`` and where it is (redacted); its failures are a
    ``StorageError`` without the password."""
    import psycopg

    from summarizer.db.postgres import CONNECT_TIMEOUT_S, connect
    from summarizer.db.url import postgres_url, redact, scrub
    from summarizer.errors import StorageError

    url = settings.resolved_database_url()
    assert url is not None
    url = postgres_url(url)
    try:
        with connect(url, timeout_s=CONNECT_TIMEOUT_S) as conn:
            yield redact(url), conn
    except psycopg.Error as exc:
        raise StorageError(f"{redact(url)}: {scrub(str(exc).strip(), url)}") from exc


@contextmanager
def _database(settings: Settings) -> Iterator[tuple[str, _Migrate, _Status]]:
    """Where the database is (the URL redacted), and its migrate and status functions."""
    if settings.database_url is not None:
        from summarizer.db.migrations import migrate_postgres, postgres_status

        with _postgres(settings) as (where, conn):
            yield where, lambda: migrate_postgres(conn), lambda: postgres_status(conn)
        return
    from summarizer.db.migrations import migrate_sqlite, sqlite_status
    from summarizer.errors import StorageError

    path = settings.resolved_store_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with closing(sqlite3.connect(path, timeout=10)) as conn:
            yield str(path), lambda: migrate_sqlite(conn), lambda: sqlite_status(conn)
    except (sqlite3.Error, OSError) as exc:
        raise StorageError(f"{path}: {exc}") from exc


if TYPE_CHECKING:
    from collections.abc import Callable

    _Migrate = Callable[[], list[Migration]]
    _Status = Callable[[], list[MigrationState]]
