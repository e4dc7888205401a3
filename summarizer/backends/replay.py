"""Record and replay LLM exchanges at the HTTP layer, so tests need neither a network nor a model.

Replay is an ``httpx2`` transport under the real ``openai`` client and ``instructor``: the whole
code path (request building, schema mode, parsing, validation re-asks) runs as in production, only
the bytes come from disk. Recordings are reviewable JSON files, one per cache key
(``<replay_dir>/<cache_key>.json``), holding every request body and the response it got. A response is
found by the sha256 of the canonical request body, in any recording of the directory: the cache key
changes with every change of the finders' rules or code, but a question asked in the same words gets
the same answer, so a rule change that asks no new question needs no new recording. The pipeline names
the cache key in the ``X-Summarizer-Cache-Key`` header of each request (where a new recording goes).
"""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any

import httpx2

from summarizer.cache import canonical_json, content_hash
from summarizer.errors import RecordingMissing

CACHE_KEY_HEADER = "X-Summarizer-Cache-Key"
RECORD_HINT = (
    "record it by running the same summary against a real backend with SUMMARIZER_RECORD_DIR={dir} "
    "(for example: SUMMARIZER_RECORD_DIR={dir} summarizer summarize ARTICLE --refresh)"
)


def request_hash(body: dict[str, Any]) -> str:
    return content_hash(body)


def recording_path(directory: Path, key: str) -> Path:
    return directory / f"{key}.json"


class ReplayTransport(httpx2.BaseTransport):
    """Answers each request with its recorded response; a missing one raises ``RecordingMissing``."""

    def __init__(self, directory: Path):
        self.directory = directory
        self._lock = threading.Lock()
        self._index: dict[str, dict[str, Any]] = {}  # request sha256 -> exchange
        self._seen: dict[Path, float] = {}  # recording -> its mtime when indexed

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        key = request.headers.get(CACHE_KEY_HEADER, "")
        body = json.loads(request.read() or b"{}")
        wanted = request_hash(body)
        exchange = self._exchange(wanted)
        if exchange is not None:
            return httpx2.Response(exchange.get("status", 200), json=exchange["response"], request=request)
        path = recording_path(self.directory, key or "no-cache-key")
        hint = RECORD_HINT.format(dir=self.directory)
        if not path.is_file():
            raise RecordingMissing(
                f"no recording for cache key {key} (expected {path}), and no recording in {self.directory} "
                f"answers request {wanted}; {hint}",
                key=key,
                path=path,
            )
        raise RecordingMissing(
            f"{path} has no response for request {wanted} (the prompt or parameters changed since it was recorded); "
            f"{hint}",
            key=key,
            path=path,
        )

    def _exchange(self, wanted: str) -> dict[str, Any] | None:
        """The recorded exchange of a request, from any recording of the directory (re-read when one changed)."""
        with self._lock:
            if wanted not in self._index:
                self._refresh()
            return self._index.get(wanted)

    def _refresh(self) -> None:
        for path in sorted(self.directory.glob("*.json")) if self.directory.is_dir() else []:
            mtime = path.stat().st_mtime
            if self._seen.get(path) == mtime:
                continue
            self._seen[path] = mtime
            for exchange in json.loads(path.read_text(encoding="utf-8")).get("exchanges", []):
                self._index.setdefault(exchange["request_sha256"], exchange)


class RecordingTransport(httpx2.BaseTransport):
    """Passes requests to ``inner`` and appends each successful exchange to the key's recording."""

    _lock = threading.Lock()

    def __init__(self, inner: httpx2.BaseTransport, directory: Path):
        self.inner = inner
        self.directory = directory

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        response = self.inner.handle_request(request)
        key = request.headers.get(CACHE_KEY_HEADER)
        if key is None or response.status_code != 200:
            return response
        response.read()
        body = json.loads(request.read() or b"{}")
        self._append(key, body, json.loads(response.content))
        return response

    def close(self) -> None:
        self.inner.close()

    def _append(self, key: str, body: dict[str, Any], answer: dict[str, Any]) -> None:
        path = recording_path(self.directory, key)
        with self._lock:
            self.directory.mkdir(parents=True, exist_ok=True)
            exchanges: list[dict[str, Any]] = []
            if path.exists():
                exchanges = json.loads(path.read_text(encoding="utf-8"))["exchanges"]
            wanted = request_hash(body)
            exchanges = [e for e in exchanges if e["request_sha256"] != wanted]
            exchanges.append({"request_sha256": wanted, "request": body, "response": answer})
            record = {"cache_key": key, "exchanges": exchanges}
            tmp = path.with_suffix(".tmp")
            tmp.write_text(json.dumps(json.loads(canonical_json(record)), indent=1, ensure_ascii=False) + "\n")
            tmp.replace(path)
