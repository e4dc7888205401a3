"""The result cache in PostgreSQL: ``cache.ResultCache``'s contract (get/put JSON by key; every failure a
logged miss, never a failed summary) in the database every instance shares."""

from __future__ import annotations

import json
import logging
import time
from typing import Any

from summarizer.cache import canonical_json
from summarizer.db import postgres
from summarizer.db.url import postgres_url, redact
from summarizer.errors import StorageError

log = logging.getLogger(__name__)

TABLES = {"results": "cache_answers", "summaries": "cache_summaries"}


class PostgresResultCache:
    """One cache table (``results``: model answers, ``summaries``: finished summaries) in PostgreSQL."""

    def __init__(self, url: str, *, table: str = "results"):
        self.url = postgres_url(url)
        self.table = TABLES[table]

    def get(self, key: str) -> dict[str, Any] | None:
        try:
            with postgres.connection(self.url) as conn:
                row = conn.execute(f"SELECT value FROM {self.table} WHERE key = %s", (key,)).fetchone()
            return json.loads(str(row[0])) if row else None
        except (StorageError, ValueError) as exc:
            log.warning("cache unavailable (%s: %s); treating as a miss", redact(self.url), exc)
            return None

    def put(self, key: str, value: dict[str, Any], material: dict[str, Any]) -> None:
        try:
            with postgres.connection(self.url) as conn:
                conn.execute(
                    f"INSERT INTO {self.table} VALUES (%s, %s, %s, %s) ON CONFLICT (key) DO UPDATE SET"
                    " value = excluded.value, material = excluded.material, created_at = excluded.created_at",
                    (key, canonical_json(value), canonical_json(material), time.time()),
                )
        except StorageError as exc:
            log.warning("could not write the cache (%s: %s); result not cached", redact(self.url), exc)
