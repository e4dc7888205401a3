"""Broken storage (a read-only data directory, a corrupt results database) while serving: 503 problem
details and a 503 /ready that says why, never a 500, and never a model call paid for and then lost."""

from __future__ import annotations

from pathlib import Path

import pytest

from summarizer.api.store import ResultStore
from summarizer.settings import Settings
from tests.api_support import build_app, client_for, read_only
from tests.fakes import Script, ok
from tests.test_api_errors import ARTICLE, assert_problem

pytestmark = pytest.mark.anyio


def corrupt(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"this is not a SQLite database\n" * 200)


@pytest.mark.sqlite_only
async def test_ready_reports_a_read_only_data_dir(settings: Settings) -> None:
    settings.data_dir.mkdir(parents=True)
    with read_only(settings.data_dir):
        async with client_for(build_app(settings)) as client:  # starts: nothing is written at start
            ready = await client.get("/ready")
            listing = await client.get("/v1/summaries")
    assert ready.status_code == 503
    body = ready.json()
    assert (body["ready"], body["storage"]) == (False, "unavailable")
    assert "stored results cannot be used" in body["detail"] and str(settings.data_dir) not in body["detail"]
    assert str(assert_problem(listing, 503)["type"]).endswith("storage-unavailable")


@pytest.mark.sqlite_only
async def test_a_corrupt_results_database_is_503_everywhere_it_is_used(settings: Settings) -> None:
    corrupt(settings.resolved_store_path())
    async with client_for(build_app(settings)) as client:
        ready = await client.get("/ready")
        responses = [
            await client.get("/v1/summaries"),
            await client.get("/v1/summaries/export"),
            await client.get("/v1/summaries/sum_0123456789abcdef"),
        ]
    assert ready.status_code == 503 and "not a database" in ready.json()["detail"]
    for response in responses:
        problem = assert_problem(response, 503)
        assert str(problem["type"]).endswith("storage-unavailable")
        assert str(settings.data_dir) not in str(problem["detail"])


@pytest.mark.sqlite_only
async def test_no_generation_is_paid_for_when_the_result_cannot_be_stored(settings: Settings) -> None:
    store = settings.resolved_store_path()
    ResultStore(store).check()  # a valid database, then made read-only
    transport = Script([ok()])
    with read_only(store):
        async with client_for(build_app(settings, transport=transport)) as client:
            response = await client.post("/v1/summaries", json=ARTICLE)
            listing = await client.get("/v1/summaries")
            ready = await client.get("/ready")
    assert str(assert_problem(response, 503)["type"]).endswith("storage-unavailable")
    assert transport.requests == []  # refused before the model was asked
    assert listing.status_code == 200  # reading still works
    assert ready.status_code == 503 and "readonly" in ready.json()["detail"]


async def test_a_summary_made_is_answered_even_if_storing_it_fails(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    from summarizer.errors import StorageError

    def broken_put(self: ResultStore, summary: object, *, text: str | None = None) -> None:
        raise StorageError("the disk filled up between the check and the write", path=self.path)

    monkeypatch.setattr(ResultStore, "put", broken_put)
    async with client_for(build_app(settings, transport=Script([ok()]))) as client:
        response = await client.post("/v1/summaries", json=ARTICLE)
    assert response.status_code == 200, response.text  # paid for: the caller gets it
    assert response.json()["id"].startswith("sum_")


async def test_a_batch_upload_is_503_when_jobs_cannot_be_stored(settings: Settings) -> None:
    jobs = settings.data_dir / "batches"
    jobs.mkdir(parents=True)
    with read_only(jobs):
        async with client_for(build_app(settings)) as client:
            response = await client.post(
                "/v1/batches", content=b'{"text": "x"}\n', headers={"content-type": "application/x-ndjson"}
            )
            ready = await client.get("/ready")
    problem = assert_problem(response, 503)
    assert str(problem["type"]).endswith("storage-unavailable") and str(jobs) not in str(problem["detail"])
    assert ready.status_code == 503 and "batch jobs cannot be stored" in ready.json()["detail"]


async def test_ready_says_storage_is_ok(settings: Settings) -> None:
    async with client_for(build_app(settings)) as client:
        ready = await client.get("/ready")
    assert ready.status_code == 200 and ready.json()["storage"] == "ok"


def test_a_batch_job_whose_files_cannot_be_written_stops_resumable(settings: Settings) -> None:
    from summarizer import Summarizer
    from summarizer.api.batches import BatchManager
    from summarizer.llm import LLMClient

    fake = settings.model_copy(update={"backend": "openai", "base_url": "http://fake.invalid/v1", "model": "fake"})
    summarizer = Summarizer(fake, llm=LLMClient(fake, transport=Script([ok()])))
    root = settings.data_dir / "batches"
    job = BatchManager(root, fake, summarizer).create(
        b'{"id": "a", "text": "Rebels shelled Kidal."}\n', prompt_version=None
    )
    broken = BatchManager(root, fake, summarizer)
    with read_only(root / job.id):
        broken._queue.put(job.id)
        broken._queue.put(None)
        broken._work()  # runs the job, in this thread, on files it cannot write: no exception escapes
    state = broken.state(job.id)
    assert state is not None and state.status == "queued"  # not "failed": the next start resumes it
    healed = BatchManager(root, fake, summarizer)
    healed._queue.put(job.id)
    healed._queue.put(None)
    healed._work()
    final = healed.state(job.id)
    assert final is not None and (final.status, final.done) == ("completed", 1)
