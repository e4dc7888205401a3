"""The provider's files and batches endpoints (``/v1/files``, ``/v1/batches``) through the official ``openai`` client.

These control calls are few (an upload, a create, a poll every few seconds, a download), so the client's
own retries cover network blips here; the LLM calls' retry rules (``llm.py``) do not apply to them.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import httpx2
import openai

from summarizer.errors import ConfigError
from summarizer.llm import DEFAULT_OPENAI_BASE_URL
from summarizer.settings import Settings

TERMINAL = frozenset({"completed", "failed", "expired", "cancelled"})
FIND_LIMIT = 1000  # batches listed when looking for one created by a run killed before it journaled the id


@dataclass(frozen=True)
class BatchView:
    """What a poll says about one batch."""

    id: str
    status: str
    total: int = 0
    completed: int = 0
    failed: int = 0
    output_file_id: str | None = None
    error_file_id: str | None = None
    errors: list[str] = field(default_factory=list)

    @property
    def terminal(self) -> bool:
        return self.status in TERMINAL


def _view(batch: openai.types.Batch) -> BatchView:
    counts = batch.request_counts
    errors = (
        [f"{e.code or 'error'}: {e.message or ''}".strip() for e in (batch.errors.data or [])] if batch.errors else []
    )
    return BatchView(
        id=batch.id,
        status=batch.status,
        total=counts.total if counts else 0,
        completed=counts.completed if counts else 0,
        failed=counts.failed if counts else 0,
        output_file_id=batch.output_file_id,
        error_file_id=batch.error_file_id,
        errors=errors,
    )


class Provider:
    def __init__(self, settings: Settings):
        if settings.resolved_backend() == "openai" and not (settings.base_url or settings.api_key):
            raise ConfigError("the batch-api engine needs SUMMARIZER_BASE_URL or SUMMARIZER_API_KEY")
        if settings.resolved_backend() == "embedded":
            raise ConfigError("the batch-api engine needs a provider (SUMMARIZER_BASE_URL), not the embedded model")
        self.base_url = settings.base_url or DEFAULT_OPENAI_BASE_URL
        timeout = httpx2.Timeout(300.0, connect=10.0)
        self.client = openai.OpenAI(
            base_url=self.base_url,
            api_key=settings.api_key.get_secret_value() if settings.api_key else "none",
            max_retries=5,
            timeout=timeout,
            http_client=httpx2.Client(timeout=timeout),
        )

    def close(self) -> None:
        self.client.close()

    def upload(self, path: Path) -> str:
        with path.open("rb") as handle:
            return self.client.files.create(file=(path.name, handle, "application/jsonl"), purpose="batch").id

    def create(self, file_id: str, name: str) -> BatchView:
        batch = self.client.batches.create(
            input_file_id=file_id,
            endpoint="/v1/chat/completions",  # requests.ENDPOINT, spelled as the client's type wants
            completion_window="24h",
            metadata={"summarizer_input": name},
        )
        return _view(batch)

    def find(self, file_id: str) -> BatchView | None:
        """A batch already created from ``file_id`` (by a run killed before it journaled the id), if any."""
        for seen, batch in enumerate(self.client.batches.list(limit=100)):
            if batch.input_file_id == file_id:
                return _view(batch)
            if seen >= FIND_LIMIT:
                break
        return None

    def retrieve(self, batch_id: str) -> BatchView:
        return _view(self.client.batches.retrieve(batch_id))

    def download(self, file_id: str, path: Path) -> None:
        """The file's content into ``path``, atomically."""
        tmp = path.with_name(path.name + ".tmp")
        self.client.files.content(file_id).write_to_file(tmp)
        with tmp.open("rb") as handle:
            os.fsync(handle.fileno())
        os.replace(tmp, path)
