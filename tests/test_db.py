"""The storage seam: the database URL never shows its password, migrations apply once per database (also
when instances start together), and the API's result store behaves the same on SQLite and PostgreSQL."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import closing
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from pydantic import SecretStr
from typer.testing import CliRunner

from summarizer.api.store import ResultStore, SummaryFilter, SummaryStore
from summarizer.api.store_postgres import PostgresResultStore
from summarizer.cli import app
from summarizer.db import postgres
from summarizer.db.migrations import migrate_postgres, migrate_sqlite, migrations, postgres_status, sqlite_status
from summarizer.db.url import postgres_url, redact, scrub
from summarizer.errors import ConfigError, StorageError
from summarizer.schema import ArticleSummary
from summarizer.settings import Settings
from tests.db_support import fresh_database

runner = CliRunner()


# -- the URL ---------------------------------------------------------------------------------------


def test_the_password_never_shows() -> None:
    url = "postgresql://app:s3cr%40t@db.internal:5432/summaries?sslmode=require"
    assert redact(url) == "postgresql://app:***@db.internal:5432/summaries?sslmode=require"
    assert redact("postgresql://app@db/x") == "postgresql://app@db/x"
    assert scrub("password authentication failed: s3cr%40t", url) == "password authentication failed: ***"
    with pytest.raises(ConfigError) as error:
        postgres_url("mysql://app:hunter2@db/x")
    assert "hunter2" not in str(error.value) and "mysql://app:***@db/x" in str(error.value)
    assert postgres_url(url) == url


# -- migrations --------------------------------------------------------------------------------------


def test_migration_files_are_numbered_without_gaps_for_both_backends() -> None:
    for backend in ("sqlite", "postgres"):
        found = migrations(backend)
        assert [m.version for m in found] == list(range(1, len(found) + 1))
    assert [m.name for m in migrations("sqlite")] == [m.name for m in migrations("postgres")]


def test_sqlite_migrations_apply_once_and_adopt_a_file_made_before_them(tmp_path: Path) -> None:
    path = tmp_path / "results.sqlite3"
    with closing(sqlite3.connect(path)) as conn, conn:  # a results file of an earlier version: tables, no record
        conn.execute(
            "CREATE TABLE summaries (id TEXT PRIMARY KEY, stored_at TEXT NOT NULL, prompt_version TEXT"
            " NOT NULL, model TEXT NOT NULL, backend TEXT NOT NULL, title TEXT, url TEXT, source TEXT,"
            " published_at TEXT, data TEXT NOT NULL)"
        )
        conn.execute("INSERT INTO summaries VALUES ('sum_1', 'x', 'v5', 'm', 'b', NULL, NULL, NULL, NULL, '{}')")
    with closing(sqlite3.connect(path)) as conn:
        assert [m.version for m in migrate_sqlite(conn)] == [m.version for m in migrations("sqlite")]
        assert migrate_sqlite(conn) == []
        assert all(state.applied_at for state in sqlite_status(conn))
        assert conn.execute("SELECT count(*) FROM summaries").fetchone() == (1,)


def test_a_migration_changed_after_it_was_applied_is_refused(tmp_path: Path) -> None:
    with closing(sqlite3.connect(tmp_path / "r.sqlite3")) as conn:
        migrate_sqlite(conn)
        conn.execute("UPDATE schema_migrations SET sha256 = 'edited' WHERE version = 1")
        conn.commit()
        with pytest.raises(StorageError, match="0001_results was changed after this database applied it"):
            migrate_sqlite(conn)


def test_postgres_instances_starting_together_apply_each_migration_once() -> None:
    import psycopg

    with fresh_database() as url:
        applied: list[int] = []
        errors: list[BaseException] = []
        start = threading.Barrier(6)

        def instance() -> None:
            try:
                with psycopg.connect(url) as conn:
                    start.wait()
                    applied.extend(m.version for m in migrate_postgres(conn))
            except BaseException as exc:
                errors.append(exc)

        threads = [threading.Thread(target=instance) for _ in range(6)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
        assert errors == []
        assert applied == [m.version for m in migrations("postgres")]  # by one instance, once
        with psycopg.connect(url) as conn:
            assert [s.version for s in postgres_status(conn) if s.applied_at] == applied
            assert conn.execute("SELECT count(*) FROM schema_migrations").fetchone() == (len(applied),)


# -- the result store on both backends ---------------------------------------------------------------


@pytest.fixture(params=["sqlite", "postgres"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[SummaryStore]:
    if request.param == "sqlite":
        yield ResultStore(tmp_path / "results.sqlite3")
    else:
        with fresh_database() as url:
            yield PostgresResultStore(url)


def summary_like(base: ArticleSummary, n: int, *, title: str, served_at: datetime) -> ArticleSummary:
    provenance = base.provenance.model_copy(update={"served_at": served_at})
    article = base.article.model_copy(update={"title": title, "url": f"https://example.org/{n}"})
    return base.model_copy(update={"id": f"sum_{n:016x}", "provenance": provenance, "article": article})


def test_the_result_store_keeps_and_finds_the_same_on_both_backends(
    store: SummaryStore, seed_summary: ArticleSummary, seed_text: str
) -> None:
    store.check()
    t0 = datetime(2026, 1, 1, tzinfo=UTC)
    made = [summary_like(seed_summary, n, title=f"Report {n}", served_at=t0 + timedelta(hours=n)) for n in range(5)]
    for summary in made:
        store.put(summary)
    store.put(made[2])  # stored again: one row
    assert store.get(made[3].id) == made[3] and store.get("sum_ffffffffffffffff") is None
    assert store.stored_here(made[0].id) and not store.stored_here("sum_ffffffffffffffff")
    assert store.count(SummaryFilter()) == 5
    assert [s.id for s in store.list(SummaryFilter(), limit=2, offset=1)] == [made[3].id, made[2].id]
    assert store.count(SummaryFilter(q="REPORT 4")) == 1
    assert store.count(SummaryFilter(q="example.org/1", stored_after=t0 + timedelta(minutes=30))) == 1
    assert store.count(SummaryFilter(model="no-such-model")) == 0
    assert store.article_text(made[0]) is None
    store.put_story_set("st_1", '{"id": "st_1"}')
    assert store.story_set("st_missing") is None


@pytest.fixture
def seed_summary(seed_text: str) -> ArticleSummary:
    from summarizer.rules.explain import code_only_summary

    return code_only_summary(seed_text)


def test_an_unreachable_database_is_a_storage_error_without_its_password() -> None:
    store = PostgresResultStore("postgresql://app:hunter2@127.0.0.1:9/none")
    try:
        with pytest.raises(StorageError) as error:
            store.count(SummaryFilter())
    finally:
        postgres.close_all()
    assert error.value.reason == "the database is unavailable" and "hunter2" not in str(error.value)


# -- the db commands ---------------------------------------------------------------------------------


def test_db_commands_migrate_and_report_the_sqlite_file(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SUMMARIZER_DATA_DIR", str(settings.data_dir))
    before = runner.invoke(app, ["db", "status"])
    migrated = runner.invoke(app, ["db", "migrate"])
    again = runner.invoke(app, ["db", "migrate"])
    after = runner.invoke(app, ["db", "status"])
    assert before.exit_code == 1 and "0001_results\tpending" in before.stdout
    assert migrated.exit_code == 0 and "applied 0001_results" in migrated.stderr
    assert again.exit_code == 0 and "up to date" in again.stderr
    assert after.exit_code == 0 and "pending" not in after.stdout


def test_db_commands_on_postgres_never_print_the_password(monkeypatch: pytest.MonkeyPatch) -> None:
    with fresh_database() as url:
        with_password = url.replace("postgres@", "postgres:not-shown@", 1)
        monkeypatch.setenv("SUMMARIZER_DATABASE_URL", with_password)
        migrated = runner.invoke(app, ["db", "migrate"])
        status = runner.invoke(app, ["db", "status"])
    monkeypatch.setenv("SUMMARIZER_DATABASE_URL", "postgresql://app:not-shown@127.0.0.1:9/none")
    down = runner.invoke(app, ["db", "status"])
    assert migrated.exit_code == 0 and "applied 0001_results" in migrated.stderr
    assert status.exit_code == 0 and "0001_results\t20" in status.stdout
    assert down.exit_code == 2 and "connection" in down.stderr
    assert all("not-shown" not in r.output + r.stderr for r in (migrated, status, down))


# -- the API on PostgreSQL -----------------------------------------------------------------------------


@pytest.mark.anyio
async def test_the_api_keeps_its_results_in_postgres_and_answers_503_when_it_is_down(settings: Settings) -> None:
    from tests.api_support import build_app, client_for
    from tests.fakes import Script, ok
    from tests.test_api_errors import ARTICLE, assert_problem

    with fresh_database() as url:
        instance = build_app(settings, transport=Script([ok()]), database_url=SecretStr(url))
        async with client_for(instance) as client:
            ready = await client.get("/ready")
            posted = await client.post("/v1/summaries", json=ARTICLE)
            listing = await client.get("/v1/summaries")
        async with client_for(
            build_app(settings, database_url=SecretStr(url))
        ) as other:  # another instance, same database
            fetched = await other.get(f"/v1/summaries/{posted.json()['id']}")
    assert ready.status_code == 200, ready.text
    assert posted.status_code in (200, 201), posted.text
    assert [s["id"] for s in listing.json()["items"]] == [posted.json()["id"]]
    assert fetched.status_code == 200 and fetched.json()["id"] == posted.json()["id"]
    assert not settings.resolved_store_path().exists()  # nothing went to the SQLite file

    down = "postgresql://app:not-shown@127.0.0.1:9/none"
    try:
        async with client_for(build_app(settings, database_url=SecretStr(down))) as client:
            ready = await client.get("/ready")
            listing = await client.get("/v1/summaries")
    finally:
        postgres.close_all()
    assert ready.status_code == 503 and ready.json()["detail"] == "the database is unavailable"
    problem = assert_problem(listing, 503)
    assert str(problem["type"]).endswith("storage-unavailable") and "not-shown" not in listing.text + ready.text


# -- pruning -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("backend", ["sqlite", "postgres"])
def test_db_prune_removes_what_is_older_than_the_cutoff_and_keeps_the_rest(
    backend: str, settings: Settings, seed_summary: ArticleSummary, seed_text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from summarizer.api.idempotency_keys import KeyTimes
    from summarizer.api.storage import open_result_store

    def fill(store: SummaryStore) -> None:
        now = datetime.now(UTC)
        old, new = (
            summary_like(seed_summary, n, title="t", served_at=now - timedelta(days=d)) for n, d in ((1, 40), (2, 1))
        )
        store.put(old, text=seed_text)
        other_article = new.provenance.model_copy(update={"article_sha256": "0" * 64})
        store.put(new.model_copy(update={"provenance": other_article}))  # made of another article
        for n, age in ((1, 40), (2, 0)):
            times = KeyTimes.at(now - timedelta(days=age), keep=timedelta(hours=24), in_flight=timedelta(minutes=5))
            store.claim_idempotency_key("scope", f"key-{n}", "fp", times)

    monkeypatch.setenv("SUMMARIZER_DATA_DIR", str(settings.data_dir))
    bad = runner.invoke(app, ["db", "prune", "--older-than", "30 days"])
    if backend == "sqlite":
        fill(open_result_store(settings))
        pruned = runner.invoke(app, ["db", "prune", "--older-than", "30d"])
        store = open_result_store(settings)
    else:
        with fresh_database() as url:
            with_url = settings.model_copy(update={"database_url": SecretStr(url)})
            fill(open_result_store(with_url))
            monkeypatch.setenv("SUMMARIZER_DATABASE_URL", url)
            pruned = runner.invoke(app, ["db", "prune", "--older-than", "30d"])
            store = open_result_store(with_url)
            remaining = store.count(SummaryFilter())
            kept = store.get(f"sum_{2:016x}")
            text = store.article_text(seed_summary)
    if backend == "sqlite":
        remaining, kept, text = (
            store.count(SummaryFilter()),
            store.get(f"sum_{2:016x}"),
            store.article_text(seed_summary),
        )
    assert bad.exit_code == 2 and "30d, 12h or 90m" in bad.stderr
    assert pruned.exit_code == 0, pruned.stderr
    assert "summaries 1" in pruned.stderr and "idempotency_keys 1" in pruned.stderr and "articles 1" in pruned.stderr
    assert remaining == 1 and kept is not None and text is None
