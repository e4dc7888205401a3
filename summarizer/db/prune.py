"""``summarizer db prune --older-than 30d``: delete what the API keeps past its retention.

What goes: stored summaries and story sets stored before the cutoff, the article texts no remaining
summary was made of, idempotency keys made before the cutoff (they are ignored after
``SUMMARIZER_API_IDEMPOTENCY_HOURS`` anyway), and result-cache entries written before it (the cache
file's, or PostgreSQL's tables). Nothing is pruned by itself: run it from cron or a scheduled job.
Batch jobs that ended (completed or failed) before the cutoff go with their lines and results: rows in
PostgreSQL, directories under ``<data_dir>/batches/`` otherwise; a job still queued or running stays.
"""

from __future__ import annotations

import re
import sqlite3
from contextlib import closing
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from summarizer.db.migrations import migrate_postgres, migrate_sqlite
from summarizer.errors import InputError

if TYPE_CHECKING:
    import psycopg

_AGE = re.compile(r"^(?P<count>\d+)(?P<unit>[dhm])$")
_UNITS = {"d": "days", "h": "hours", "m": "minutes"}

# (table, the statement that deletes its old rows): ISO text times compare as text; cache times are epochs.
_RESULTS = (
    ("summaries", "DELETE FROM summaries WHERE stored_at < {mark}"),
    ("story_sets", "DELETE FROM story_sets WHERE stored_at < {mark}"),
    ("idempotency_keys", "DELETE FROM idempotency_keys WHERE created_at < {mark}"),
)
_ORPHAN_ARTICLES = {
    "sqlite": "DELETE FROM articles WHERE sha256 NOT IN"
    " (SELECT json_extract(data, '$.provenance.article_sha256') FROM summaries)",
    "postgres": "DELETE FROM articles WHERE sha256 NOT IN"
    " (SELECT (data::jsonb) -> 'provenance' ->> 'article_sha256' FROM summaries)",
}


@dataclass(frozen=True)
class Pruned:
    """How many rows each table lost."""

    rows: dict[str, int]

    def total(self) -> int:
        return sum(self.rows.values())


def parse_age(text: str) -> timedelta:
    """ "30d", "12h", "90m" as a duration; an ``InputError`` that shows the form otherwise."""
    matched = _AGE.match(text.strip())
    if matched is None or int(matched["count"]) == 0:
        raise InputError(f"--older-than takes a number and a unit, such as 30d, 12h or 90m, not {text!r}")
    return timedelta(**{_UNITS[matched["unit"]]: int(matched["count"])})


def prune_sqlite(results: Path, cache: Path, jobs: Path, cutoff: datetime) -> Pruned:
    """Prune the SQLite results file, the cache file (either may not exist yet) and the job directories."""
    from summarizer.api.batches import prune_job_directories

    rows: dict[str, int] = {"batch jobs": prune_job_directories(jobs, cutoff)}
    if results.exists():
        with closing(sqlite3.connect(results, timeout=10)) as conn:
            migrate_sqlite(conn)
            with conn:
                for table, statement in _RESULTS:
                    rows[table] = conn.execute(statement.format(mark="?"), (cutoff.isoformat(),)).rowcount
                rows["articles"] = conn.execute(_ORPHAN_ARTICLES["sqlite"]).rowcount
    if cache.exists():
        with closing(sqlite3.connect(cache, timeout=10)) as conn, conn:
            tables = {name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            for table, name in (("results", "cache answers"), ("summaries", "cache summaries")):
                if table in tables:
                    deleted = conn.execute(f"DELETE FROM {table} WHERE created_at < ?", (cutoff.timestamp(),))
                    rows[name] = deleted.rowcount
    return Pruned(rows)


def prune_postgres(conn: psycopg.Connection[tuple[object, ...]], cutoff: datetime) -> Pruned:
    """Prune the PostgreSQL database (migrated first), in one transaction."""
    migrate_postgres(conn)
    rows: dict[str, int] = {}
    with conn.transaction():
        for table, statement in _RESULTS:
            rows[table] = conn.execute(statement.format(mark="%s"), (cutoff.isoformat(),)).rowcount
        rows["articles"] = conn.execute(_ORPHAN_ARTICLES["postgres"]).rowcount
        for table, name in (("cache_answers", "cache answers"), ("cache_summaries", "cache summaries")):
            rows[name] = conn.execute(f"DELETE FROM {table} WHERE created_at < %s", (cutoff.timestamp(),)).rowcount
        rows["batch jobs"] = conn.execute(
            "DELETE FROM batch_jobs WHERE status IN ('completed', 'failed') AND updated_at < %s", (cutoff,)
        ).rowcount
    return Pruned(rows)
