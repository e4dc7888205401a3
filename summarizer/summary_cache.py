"""Finished summaries by the key of the request that made them, so a cache hit is a lookup, not a re-run.

The pipeline caches at two levels, both in the cache file (``cache.py``) or both in PostgreSQL
(``db/cache_postgres.py``) when ``SUMMARIZER_DATABASE_URL`` is set:

- model answers (``CacheRecord``) under the answer key: what changes the model's answer (``cache.py``);
- finished summaries (grounded, assembled, provenance filled in) under the summary key, computed once per
  request from the text as it arrived, before any normalizing. Its material is the answer key's, except
  that the original text's hash stands for the normalized text's, plus what changes the rest of the
  pipeline: the article fields the result echoes, the backend and model named in the provenance, the
  package version and a fingerprint of this package's source (``code_fingerprint``). The schema
  version, prompt, extraction and finders versions are in it through the answer key's material.

So a code or schema change makes finished summaries miss, and they are assembled again from the stored
answers without a model call: a hit never returns an outdated shape. A hit copies the stored summary
with what differs per serving (``provenance.cache_hit``, ``served_at``, ``latency_ms``) replaced.

Recent summaries are also kept in memory (a bounded LRU of their JSON data, shared read-only), so a
repeated request costs a dictionary lookup; entries never change under a key, so every process may keep
its own copy.
"""

from __future__ import annotations

import json
import logging
import threading
from collections import OrderedDict
from collections.abc import Callable
from datetime import UTC, datetime
from functools import cache
from typing import Any

from summarizer.cache import CacheTable
from summarizer.fingerprint import files_sha256, sources

log = logging.getLogger(__name__)

SUMMARY_KEY_FORMAT = 1
MEMORY_ENTRIES = 256  # a summary is ~25 KB of JSON, ~75 KB as Python objects: ~20 MB in all


@cache
def code_fingerprint() -> str:
    """sha256 over the path and bytes of every Python file of this package (read once per process)."""
    return files_sha256(sources("."))


def summary_material(
    answers: dict[str, Any], *, text_sha256: str, article: dict[str, Any], served_by: dict[str, Any]
) -> dict[str, Any]:
    """What the key of a finished summary names; hash it with ``cache.cache_key``.

    ``answers`` is the answer key's material without the article (its normalized text's hash and title):
    the prompt, model, backend, schema, extraction and finders versions and sampling parameters.
    """
    return {
        "summary_key_format": SUMMARY_KEY_FORMAT,
        "answers": answers,
        "text_sha256": text_sha256,
        "article": article,
        "served_by": served_by,
        "code": code_fingerprint(),
    }


def as_hit(data: dict[str, Any], *, latency_ms: float) -> dict[str, Any]:
    """A copy of stored summary data, served now as a cache hit (the stored data is left as it is)."""
    served_at = datetime.now(UTC).isoformat().replace("+00:00", "Z")  # as pydantic writes a UTC datetime
    provenance = {**data["provenance"], "cache_hit": True, "served_at": served_at, "latency_ms": latency_ms}
    return {**data, "provenance": provenance}


class SummaryCache:
    """Finished summaries' JSON data by summary key: memory first, then the ``summaries`` table."""

    def __init__(
        self,
        table: CacheTable,
        *,
        read: Callable[[dict[str, Any]], dict[str, Any]],
        memory_entries: int = MEMORY_ENTRIES,
    ):
        """``table`` keeps the data (the cache file's ``summaries`` table, or PostgreSQL's); ``read`` turns its
        data into what is served (validated, in field order) and raises ``ValueError`` when it is unusable."""
        self.table = table
        self.read = read
        self.memory_entries = memory_entries
        self._memory: OrderedDict[str, dict[str, Any]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str, *, memory_only: bool = False) -> dict[str, Any] | None:
        """The stored data (shared: copy before changing it), or None. ``memory_only`` never touches the disk."""
        with self._lock:
            data = self._memory.get(key)
            if data is not None:
                self._memory.move_to_end(key)
                return data
        if memory_only:
            return None
        stored = self.table.get(key)
        if stored is None:
            return None
        try:
            data = self.read(stored)
        except ValueError as exc:  # pydantic's ValidationError is a ValueError
            log.warning("ignoring an unreadable cached summary: %s", str(exc).splitlines()[0])
            return None
        self._remember(key, data)
        return data

    def put(self, key: str, data: dict[str, Any], material: dict[str, Any]) -> None:
        # Kept in memory as the disk gives it back (a JSON round trip), so both layers serve the same data.
        data = json.loads(json.dumps(data, ensure_ascii=False))
        self.table.put(key, data, material)
        self._remember(key, data)

    def _remember(self, key: str, data: dict[str, Any]) -> None:
        with self._lock:
            self._memory[key] = data
            self._memory.move_to_end(key)
            while len(self._memory) > self.memory_entries:
                self._memory.popitem(last=False)
