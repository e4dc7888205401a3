"""A SQLite cache of LLM results, keyed by a content hash.

Contract of the key (``cache_key``): sha256 of the canonical JSON (``sort_keys=True``,
``separators=(",", ":")``, UTF-8) of the key material, which names everything that changes the
model's answer: backend, model, prompt name + version + file hash, extraction schema version and
hash, the normalized article text's hash, the title, and the sampling parameters. Change any of
them and the key changes; nothing else does. Model answers are stored under it (table ``results``);
finished summaries are stored under a second key built on the same material (``summary_cache.py``,
table ``summaries``).

The cache never breaks a summary: a corrupt, locked or unwritable database degrades to a miss
with a warning.
"""

from __future__ import annotations

import hashlib
import json
import logging
import sqlite3
import time
from contextlib import closing
from pathlib import Path
from typing import Any, Protocol

log = logging.getLogger(__name__)


def canonical_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def content_hash(value: Any) -> str:
    return hashlib.sha256(canonical_json(value).encode("utf-8")).hexdigest()


def cache_key(material: dict[str, Any]) -> str:
    return content_hash(material)


class CacheTable(Protocol):
    """Get/put JSON values by key; every failure a logged miss (``ResultCache``, ``PostgresResultCache``)."""

    def get(self, key: str) -> dict[str, Any] | None: ...
    def put(self, key: str, value: dict[str, Any], material: dict[str, Any]) -> None: ...


class ResultCache:
    """Get/put JSON values by key in one table of the cache file. Every failure is logged and treated as a miss."""

    def __init__(self, path: Path, *, table: str = "results", timeout_s: float = 2.0):
        if not table.isidentifier():
            raise ValueError(f"not a table name: {table!r}")
        self.path = path
        self.table = table
        self.timeout_s = timeout_s
        self._ready = False

    def _connect(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(self.path, timeout=self.timeout_s)
        if not self._ready:
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute(
                f"CREATE TABLE IF NOT EXISTS {self.table} ("
                " key TEXT PRIMARY KEY, value TEXT NOT NULL, material TEXT NOT NULL, created_at REAL NOT NULL)"
            )
            self._ready = True
        return conn

    def get(self, key: str) -> dict[str, Any] | None:
        try:
            with closing(self._connect()) as conn:
                row = conn.execute(f"SELECT value FROM {self.table} WHERE key = ?", (key,)).fetchone()
            return json.loads(row[0]) if row else None
        except (sqlite3.Error, OSError, ValueError) as exc:
            log.warning("cache unavailable (%s: %s); treating as a miss", self.path, exc)
            return None

    def put(self, key: str, value: dict[str, Any], material: dict[str, Any]) -> None:
        try:
            with closing(self._connect()) as conn, conn:
                conn.execute(
                    f"INSERT OR REPLACE INTO {self.table} (key, value, material, created_at) VALUES (?, ?, ?, ?)",
                    (key, canonical_json(value), canonical_json(material), time.time()),
                )
        except (sqlite3.Error, OSError) as exc:
            log.warning("could not write the cache (%s: %s); result not cached", self.path, exc)
