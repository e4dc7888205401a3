"""Can the server keep what it makes, and where? One answer for ``summarizer serve`` (refuses to start), /ready
(503) and the routes: a SQLite file by default, PostgreSQL when ``SUMMARIZER_DATABASE_URL`` is set."""

from __future__ import annotations

from summarizer.api.batches import check_jobs_dir, jobs_dir
from summarizer.api.store import ResultStore, SummaryStore
from summarizer.errors import StorageError
from summarizer.settings import Settings


def open_result_store(settings: Settings) -> SummaryStore:
    """The store of the API's results: PostgreSQL at ``database_url``, else the SQLite file (nothing is
    opened here: a server starts while its database is down, and /ready says so)."""
    url = settings.resolved_database_url()
    if url is not None:
        from summarizer.api.store_postgres import PostgresResultStore

        return PostgresResultStore(url)
    return ResultStore(settings.resolved_store_path())


def check_storage(settings: Settings) -> None:
    """Raise ``StorageError`` unless the stored results and the batch jobs can be read and written now."""
    open_result_store(settings).check()
    check_jobs_dir(jobs_dir(settings))


def storage_problem(settings: Settings) -> str | None:
    """Why storage is unusable, in words without server paths (/ready is open to all); None when it is fine."""
    try:
        check_storage(settings)
    except StorageError as exc:
        return exc.reason
    return None
