"""Can the server keep what it makes? One answer for ``summarizer serve`` (refuses to start) and /ready (503)."""

from __future__ import annotations

from summarizer.api.batches import check_jobs_dir, jobs_dir
from summarizer.api.store import ResultStore
from summarizer.errors import StorageError
from summarizer.settings import Settings


def check_storage(settings: Settings) -> None:
    """Raise ``StorageError`` unless the stored results and the batch jobs can be read and written now."""
    ResultStore(settings.resolved_store_path()).check()
    check_jobs_dir(jobs_dir(settings))


def storage_problem(settings: Settings) -> str | None:
    """Why storage is unusable, in words without server paths (/ready is open to all); None when it is fine."""
    try:
        check_storage(settings)
    except StorageError as exc:
        return exc.reason
    return None
