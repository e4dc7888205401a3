"""The requests of a batch: their ``custom_id`` and the OpenAI Batch input lines, split at the provider's limits.

``custom_id`` = the first 24 hex digits of the article's cache key, ``-``, the first 24 of the sha256 of the
canonical request body (``cache.py``'s contract): stable across runs, so a rerun asks for the same ids and
finds the answers it already has; the article's requests share a prefix.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from summarizer.cache import content_hash

ENDPOINT = "/v1/chat/completions"
# OpenAI's documented limits for one batch input file (https://platform.openai.com/docs/api-reference/batch).
MAX_FILE_REQUESTS = 50_000
MAX_FILE_BYTES = 200 * 1000 * 1000


def custom_id(cache_key: str, body: dict[str, Any]) -> str:
    return f"{cache_key[:24]}-{content_hash(body)[:24]}"


@dataclass(frozen=True)
class PendingRequest:
    """One call a strategy made that has no answer yet: the body a live call would POST."""

    custom_id: str
    body: dict[str, Any]

    def line(self) -> bytes:
        record = {"custom_id": self.custom_id, "method": "POST", "url": ENDPOINT, "body": self.body}
        return (json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")


class RequestTooLarge(ValueError):
    """One request is larger than a whole input file may be."""

    def __init__(self, request: PendingRequest, size: int, limit: int):
        super().__init__(f"request {request.custom_id} is {size:,} bytes, over the {limit:,}-byte file limit")
        self.request = request


def split(
    requests: Iterable[PendingRequest], *, max_requests: int = MAX_FILE_REQUESTS, max_bytes: int = MAX_FILE_BYTES
) -> Iterator[list[tuple[PendingRequest, bytes]]]:
    """Groups of (request, line) that each fit one input file; raises ``RequestTooLarge`` for a request
    that fits none (callers check with ``line_fits`` first)."""
    group: list[tuple[PendingRequest, bytes]] = []
    size = 0
    for request in requests:
        line = request.line()
        if len(line) > max_bytes:
            raise RequestTooLarge(request, len(line), max_bytes)
        if group and (len(group) >= max_requests or size + len(line) > max_bytes):
            yield group
            group, size = [], 0
        group.append((request, line))
        size += len(line)
    if group:
        yield group


def write_file(path: Path, lines: Iterable[bytes]) -> None:
    """Write an input file atomically (a temporary name, fsync, rename)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    with tmp.open("wb") as handle:
        for line in lines:
            handle.write(line)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)


def read_custom_ids(path: Path) -> list[str]:
    """The ``custom_id`` of every line of an input file we wrote."""
    with path.open("rb") as handle:
        return [json.loads(raw)["custom_id"] for raw in handle if raw.strip()]
