"""/v1/batches: JSONL upload → 202, status, validated results, failures, and resume after a restart."""

from __future__ import annotations

import json
import threading
import time

import httpx2
import jsonschema
import pytest

from summarizer.schema_files import bundled_schemas_dir, load
from summarizer.settings import Settings
from tests.api_support import build_app, live_server
from tests.conftest import SEEDS
from tests.fakes import Script, ok

VALIDATOR = jsonschema.Draft202012Validator(load(bundled_schemas_dir()))
JSONL = {"content-type": "application/x-ndjson"}


def jsonl(*records: object) -> bytes:
    return b"".join(json.dumps(r).encode() + b"\n" for r in records)


def wait_for(client: httpx2.Client, href: str, statuses: set[str], timeout_s: float = 30) -> dict[str, object]:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        state: dict[str, object] = client.get(href).json()
        if state["status"] in statuses:
            return state
        time.sleep(0.05)
    raise AssertionError(f"job did not reach {statuses}: {state}")


def test_upload_runs_and_downloads_validated_results(db_settings: Settings) -> None:
    upload = (
        jsonl(
            {"id": "a", "text": SEEDS[0].read_text(), "source": "Outlet A"},
            {"id": "b", "text": SEEDS[1].read_text()},
            {"id": "c", "text": "   "},
        )
        + b"this line is not json\n"
    )
    with (
        live_server(build_app(db_settings, api_rate_limit_per_minute=100_000)) as url,
        httpx2.Client(base_url=url, timeout=30) as client,
    ):
        created = client.post("/v1/batches", content=upload, headers=JSONL)
        assert created.status_code == 202, created.text
        job = created.json()
        assert created.headers["location"] == f"/v1/batches/{job['id']}"
        assert job["total"] == 4
        final = wait_for(client, created.headers["location"], {"completed"})
        assert (final["done"], final["failed"]) == (2, 2)
        results = client.get(str(final["results"]))
        assert results.status_code == 200
        assert results.headers["content-disposition"].endswith('.results.jsonl"')
        lines = [json.loads(line) for line in results.text.splitlines()]
        for line in lines:
            VALIDATOR.validate(line)
        assert sorted(line["article"]["id"] for line in lines) == ["a", "b"]
        failures = [json.loads(line) for line in client.get(str(final["failures"])).text.splitlines()]
        assert len(failures) == 2
        assert any("line 4" in f["origin"] or ":4" in f["origin"] for f in failures)


def test_a_line_nested_too_deeply_fails_alone_and_the_job_completes(db_settings: Settings) -> None:
    upload = jsonl({"id": "a", "text": SEEDS[0].read_text()}) + b"[" * 100_000 + b"]" * 100_000 + b"\n"
    upload += jsonl({"id": "c", "text": SEEDS[1].read_text()})
    with (
        live_server(build_app(db_settings, api_rate_limit_per_minute=100_000)) as url,
        httpx2.Client(base_url=url, timeout=30) as client,
    ):
        job = client.post("/v1/batches", content=upload, headers=JSONL).json()
        final = wait_for(client, f"/v1/batches/{job['id']}", {"completed", "failed"})
        failures = [json.loads(line) for line in client.get(str(final["failures"])).text.splitlines()]
    assert (final["status"], final["done"], final["failed"]) == ("completed", 2, 1)
    [failure] = failures
    assert failure["origin"] == "line 2" and "nests JSON" in failure["reason"]


def test_failure_origins_name_the_upload_line_never_a_server_path(db_settings: Settings) -> None:
    upload = jsonl({"id": "a", "text": SEEDS[0].read_text()}, {"id": "blank", "text": "  "}) + b"not json\n"
    with (
        live_server(build_app(db_settings, api_rate_limit_per_minute=100_000)) as url,
        httpx2.Client(base_url=url, timeout=30) as client,
    ):
        job = client.post("/v1/batches", content=upload, headers=JSONL).json()
        final = wait_for(client, f"/v1/batches/{job['id']}", {"completed", "failed"})
        download = client.get(str(final["failures"])).text
    assert sorted(json.loads(line)["origin"] for line in download.splitlines()) == ["line 2", "line 3"]
    assert str(db_settings.data_dir) not in download and "input.jsonl" not in download
    assert str(db_settings.data_dir) not in json.dumps(final)


@pytest.mark.parametrize(
    ("content", "headers", "status_code"),
    [
        (b'{"text": "x"}\n', {"content-type": "text/plain"}, 415),
        (b"", JSONL, 422),
        (b"\xff\xfe\x00", JSONL, 400),
        (b'{"text": "x"}\n', {**JSONL, "x-test": "v"}, 202),
    ],
)
def test_bad_uploads(settings: Settings, content: bytes, headers: dict[str, str], status_code: int) -> None:
    with (
        live_server(build_app(settings, api_rate_limit_per_minute=100_000)) as url,
        httpx2.Client(base_url=url, timeout=30) as client,
    ):
        response = client.post("/v1/batches", content=content, headers=headers)
        assert response.status_code == status_code, response.text
        if status_code >= 400:
            assert response.headers["content-type"].startswith("application/problem+json")
        unknown = client.post("/v1/batches?prompt_version=v404", content=b'{"text": "x"}\n', headers=JSONL)
        assert unknown.status_code == 422
        assert client.get("/v1/batches/bat_nope").status_code == 404
        assert client.get("/v1/batches/bat_nope/results").status_code == 404


@pytest.mark.parametrize("suffix", ["", "/results", "/failures"])
def test_an_overlong_batch_id_is_404_not_a_file_system_error(settings: Settings, suffix: str) -> None:
    with live_server(build_app(settings)) as url, httpx2.Client(base_url=url, timeout=30) as client:
        response = client.get(f"/v1/batches/bat_{'a' * 300}{suffix}")  # ENAMETOOLONG once, then a 500
    assert response.status_code == 404, response.text
    assert response.headers["content-type"].startswith("application/problem+json")


def test_upload_above_the_limit_is_413(settings: Settings) -> None:
    with live_server(build_app(settings, api_max_batch_bytes=100)) as url, httpx2.Client(base_url=url) as client:
        response = client.post("/v1/batches", content=jsonl({"text": "x" * 200}), headers=JSONL)
    assert response.status_code == 413


def test_a_job_survives_a_restart_and_resumes(settings: Settings) -> None:
    release = threading.Event()
    calls = []

    def slow(request: httpx2.Request) -> httpx2.Response:
        calls.append(1)
        if len(calls) > 1:  # the first article is answered; the second hangs until the server stops
            release.wait(5)
        return ok()(request)

    texts = [f"Militants attacked checkpoint number {n} in the north, officials said." for n in range(4)]
    upload = jsonl(*({"id": f"art-{n}", "text": t} for n, t in enumerate(texts)))
    with (
        live_server(build_app(settings, transport=Script([slow]), api_rate_limit_per_minute=100_000)) as url,
        httpx2.Client(base_url=url) as client,
    ):
        job = client.post("/v1/batches", content=upload, headers=JSONL).json()
        deadline = time.monotonic() + 10
        while client.get(f"/v1/batches/{job['id']}").json()["done"] < 1 and time.monotonic() < deadline:
            time.sleep(0.05)
    release.set()  # the first server has stopped mid-job
    with (
        live_server(build_app(settings, transport=Script([ok()]), api_rate_limit_per_minute=100_000)) as url,
        httpx2.Client(base_url=url) as client,
    ):
        final = wait_for(client, f"/v1/batches/{job['id']}", {"completed"})
        ids = [json.loads(line)["article"]["id"] for line in client.get(str(final["results"])).text.splitlines()]
    assert sorted(ids) == [f"art-{n}" for n in range(4)]  # each exactly once, across both runs
    assert final["done"] == 4 and final["failed"] == 0


def test_a_jobs_event_table_downloads_in_each_format(db_settings: Settings) -> None:
    import csv
    import io

    upload = jsonl(*({"id": p.name, "text": p.read_text(), "source": "Outlet"} for p in SEEDS[:3]))
    with (
        live_server(build_app(db_settings, api_rate_limit_per_minute=100_000)) as url,
        httpx2.Client(base_url=url, timeout=30) as client,
    ):
        job = client.post("/v1/batches", content=upload, headers=JSONL).json()
        wait_for(client, f"/v1/batches/{job['id']}", {"completed"})
        tables = {fmt: client.get(f"/v1/batches/{job['id']}/events", params={"format": fmt}) for fmt in
                  ("csv", "jsonl", "geojson", "parquet")}  # fmt: skip
        unknown = client.get(f"/v1/batches/{job['id']}/events", params={"format": "xlsx"})
        missing = client.get("/v1/batches/bat_00000000000000000000/events")
    assert all(r.status_code == 200 for r in tables.values())
    assert tables["csv"].headers["content-type"].startswith("text/csv")
    assert tables["geojson"].headers["content-type"] == "application/geo+json"
    rows = list(csv.DictReader(io.StringIO(tables["csv"].text)))
    assert rows and {r["article_id"] for r in rows} <= {p.name for p in SEEDS[:3]} and rows[0]["source"] == "Outlet"
    assert len(tables["jsonl"].text.splitlines()) == len(rows) == len(tables["geojson"].json()["features"])
    assert tables["parquet"].content.startswith(b"PAR1")
    assert unknown.status_code == 400 and missing.status_code == 404
