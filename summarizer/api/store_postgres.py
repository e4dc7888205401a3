"""Stored results of the REST API in PostgreSQL: what ``store.ResultStore`` keeps in a SQLite file, in the
database every instance shares (tables of ``summarizer/db/migrations/postgres``)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

from summarizer.api.idempotency_keys import Claim, KeyTimes, claim_from
from summarizer.api.store import (
    COMPLETE_KEY_SQL,
    FORGET_KEY_SQL,
    KEY_ROW_SQL,
    RELEASE_KEY_SQL,
    KnownIds,
    SummaryFilter,
    summary_row,
)
from summarizer.article import text_sha256
from summarizer.db import postgres
from summarizer.db.url import postgres_url
from summarizer.errors import StorageError
from summarizer.schema import ArticleSummary
from summarizer.schema_upgrade import read_summary
from summarizer.stories.model import upgrade_story_set

_MARK = {"mark": "%s", "find": "strpos"}


class PostgresResultStore:
    """Summaries by id in PostgreSQL; the interface of ``store.ResultStore``. Nothing connects until first
    use, so a server starts while its database is down; every failure then is a ``StorageError`` (503)."""

    def __init__(self, url: str):
        self.url = postgres_url(url)
        self._known = KnownIds()

    def check(self) -> None:
        """Raise ``StorageError`` unless the database answers, holds the tables and takes writes."""
        with postgres.connection(self.url) as conn:
            conn.execute("SELECT id FROM summaries LIMIT 1").fetchall()
            read_only = conn.execute("SHOW transaction_read_only").fetchone()
        if read_only is not None and read_only[0] == "on":
            raise StorageError("the database takes no writes (read only)")

    def put(self, summary: ArticleSummary, *, text: str | None = None) -> None:
        prov = summary.provenance
        with postgres.connection(self.url) as conn:
            conn.execute(
                "INSERT INTO summaries VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s) ON CONFLICT (id) DO UPDATE SET"
                " stored_at = excluded.stored_at, prompt_version = excluded.prompt_version, model = excluded.model,"
                " backend = excluded.backend, title = excluded.title, url = excluded.url, source = excluded.source,"
                " published_at = excluded.published_at, data = excluded.data",
                summary_row(summary),
            )
            if text is not None and text_sha256(text) == prov.article_sha256:
                conn.execute(
                    "INSERT INTO articles VALUES (%s, %s) ON CONFLICT (sha256) DO NOTHING", (prov.article_sha256, text)
                )
        self._known.add(summary.id)  # once committed

    def stored_here(self, summary_id: str) -> bool:
        return summary_id in self._known

    def get(self, summary_id: str) -> ArticleSummary | None:
        with postgres.connection(self.url) as conn:
            row = conn.execute("SELECT data FROM summaries WHERE id = %s", (summary_id,)).fetchone()
        return read_summary(str(row[0])) if row else None

    def put_story_set(self, story_set_id: str, data: str) -> None:
        with postgres.connection(self.url) as conn:
            conn.execute(
                "INSERT INTO story_sets VALUES (%s, %s, %s)"
                " ON CONFLICT (id) DO UPDATE SET stored_at = excluded.stored_at, data = excluded.data",
                (story_set_id, datetime.now(UTC).isoformat(), data),
            )

    def story_set(self, story_set_id: str) -> str | None:
        with postgres.connection(self.url) as conn:
            row = conn.execute("SELECT data FROM story_sets WHERE id = %s", (story_set_id,)).fetchone()
        return upgrade_story_set(str(row[0])) if row else None

    def article_text(self, summary: ArticleSummary) -> str | None:
        with postgres.connection(self.url) as conn:
            row = conn.execute(
                "SELECT text FROM articles WHERE sha256 = %s", (summary.provenance.article_sha256,)
            ).fetchone()
        return str(row[0]) if row else None

    def count(self, where: SummaryFilter) -> int:
        clause, values = where.where(**_MARK)
        with postgres.connection(self.url) as conn:
            row = conn.execute(f"SELECT count(*) FROM summaries{clause}", values).fetchone()
        return int(str(row[0])) if row else 0

    def list(self, where: SummaryFilter, *, limit: int, offset: int) -> list[ArticleSummary]:
        return list(self.iter(where, limit=limit, offset=offset))

    def iter(self, where: SummaryFilter, *, limit: int, offset: int = 0) -> Iterator[ArticleSummary]:
        """Newest first (ties broken by id, so pages are stable)."""
        clause, values = where.where(**_MARK)
        sql = f"SELECT data FROM summaries{clause} ORDER BY stored_at DESC, id LIMIT %s OFFSET %s"
        with postgres.connection(self.url) as conn:
            rows = conn.execute(sql, [*values, limit, offset]).fetchall()
        for (data,) in rows:
            yield read_summary(str(data))

    def claim_idempotency_key(self, scope: str, key: str, fingerprint: str, times: KeyTimes) -> Claim:
        """Claim ``key`` for this request, or say where it stands; the insert decides between instances."""
        with postgres.connection(self.url) as conn:
            conn.execute(FORGET_KEY_SQL, (scope, key, times.kept_after, times.live_after))
            inserted = conn.execute(
                "INSERT INTO idempotency_keys (scope, key, fingerprint, created_at) VALUES (%s, %s, %s, %s)"
                " ON CONFLICT (scope, key) DO NOTHING",
                (scope, key, fingerprint, times.now),
            ).rowcount
            row = None if inserted else conn.execute(KEY_ROW_SQL, (scope, key)).fetchone()
        return claim_from(row, fingerprint)

    def complete_idempotency_key(self, scope: str, key: str, status: int, body: str, location: str | None) -> None:
        with postgres.connection(self.url) as conn:
            conn.execute(COMPLETE_KEY_SQL, (status, body, location, scope, key))

    def release_idempotency_key(self, scope: str, key: str) -> None:
        with postgres.connection(self.url) as conn:
            conn.execute(RELEASE_KEY_SQL, (scope, key))
