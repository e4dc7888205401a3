from __future__ import annotations

import json

import jsonschema
import pytest

from summarizer.schema_files import bundled_schemas_dir, load
from summarizer.settings import Settings
from tests.api_support import build_app, client_for
from tests.conftest import SEEDS

pytestmark = pytest.mark.anyio
VALIDATOR = jsonschema.Draft202012Validator(load(bundled_schemas_dir()))


async def test_post_returns_a_valid_summary_then_a_cache_hit(settings: Settings) -> None:
    text = SEEDS[0].read_text()
    body = {
        "text": text,
        "title": None,
        "url": "https://example.org/a",
        "source": "Example",
        "published_at": "2020-01-06",
    }
    async with client_for(build_app(settings)) as client:
        first = await client.post("/v1/summaries", json=body)
        assert first.status_code == 200, first.text
        data = first.json()
        VALIDATOR.validate(data)
        assert data["id"].startswith("sum_")
        assert data["article"]["url"] == "https://example.org/a"
        assert not data["provenance"]["cache_hit"]
        assert first.headers["x-request-id"]
        second = await client.post("/v1/summaries", json=body)
        assert second.json()["provenance"]["cache_hit"]
        assert second.json()["id"] == data["id"]
        assert second.json()["provenance"]["latency_ms"] < 50


async def test_stored_result_survives_a_restart(settings: Settings) -> None:
    async with client_for(build_app(settings)) as client:
        created = (await client.post("/v1/summaries", json={"text": SEEDS[1].read_text()})).json()
    async with client_for(build_app(settings)) as client:  # a new app over the same data directory
        fetched = await client.get(f"/v1/summaries/{created['id']}")
    assert fetched.status_code == 200
    assert fetched.json()["summary"] == created["summary"]


async def test_get_unknown_id_is_404_problem(settings: Settings) -> None:
    async with client_for(build_app(settings)) as client:
        response = await client.get("/v1/summaries/sum_missing")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["status"] == 404


async def test_list_filters_and_paginates(settings: Settings) -> None:
    async with client_for(build_app(settings)) as client:
        for i, seed in enumerate(SEEDS[:3]):
            source = "Alpha" if i < 2 else "Beta"
            assert (
                await client.post("/v1/summaries", json={"text": seed.read_text(), "source": source})
            ).status_code == 200
        page = (await client.get("/v1/summaries", params={"limit": 2})).json()
        assert page["total"] == 3 and len(page["items"]) == 2 and page["next_offset"] == 2
        rest = (await client.get("/v1/summaries", params={"limit": 2, "offset": 2})).json()
        assert len(rest["items"]) == 1 and rest["next_offset"] is None
        ids = {item["id"] for item in page["items"] + rest["items"]}
        assert len(ids) == 3
        beta = (await client.get("/v1/summaries", params={"source": "Beta"})).json()
        assert beta["total"] == 1 and beta["items"][0]["article"]["source"] == "Beta"
        assert (await client.get("/v1/summaries", params={"prompt_version": "v404"})).json()["total"] == 0
        assert (await client.get("/v1/summaries", params={"limit": 0})).status_code == 400  # a bad parameter


async def test_download_and_export_validate_against_the_committed_schema(settings: Settings) -> None:
    async with client_for(build_app(settings)) as client:
        ids = []
        for seed in SEEDS[:2]:
            ids.append((await client.post("/v1/summaries", json={"text": seed.read_text()})).json()["id"])
        download = await client.get(f"/v1/summaries/{ids[0]}/download")
        assert download.status_code == 200
        assert download.headers["content-disposition"] == f'attachment; filename="{ids[0]}.json"'
        VALIDATOR.validate(download.json())
        export = await client.get("/v1/summaries/export")
        assert export.status_code == 200
        assert export.headers["content-type"].startswith("application/x-ndjson")
        assert export.headers["content-disposition"] == 'attachment; filename="summaries.jsonl"'
        lines = export.text.splitlines()
        assert len(lines) == 2 and export.headers["x-record-count"] == "2"
        for line in lines:
            VALIDATOR.validate(json.loads(line))
        assert {json.loads(line)["id"] for line in lines} == set(ids)


async def test_a_record_that_fails_the_schema_is_never_sent(settings: Settings) -> None:
    app = build_app(settings)
    async with client_for(app) as client:
        sid = (await client.post("/v1/summaries", json={"text": SEEDS[0].read_text()})).json()["id"]
        app.state.schema_validator = jsonschema.Draft202012Validator({"type": "object", "required": ["no-such-field"]})
        download = await client.get(f"/v1/summaries/{sid}/download")
        export = await client.get("/v1/summaries/export")
    for response in (download, export):
        assert response.status_code == 500
        assert response.json()["type"].endswith("stored-result-invalid")
        assert "no-such-field" in response.json()["detail"]
