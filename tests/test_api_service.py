"""Auth, schemas, prompts, health, readiness, metrics, CORS, docs and logging of the API."""

from __future__ import annotations

import hashlib
import json
import logging

import pytest
from pydantic import SecretStr

from summarizer.prompts import PromptLibrary, bundled_prompts_dir
from summarizer.schema_files import bundled_schemas_dir, schema_filename
from summarizer.settings import Settings
from tests.api_support import build_app, client_for
from tests.conftest import SEEDS

pytestmark = pytest.mark.anyio
KEY = "k-" + "s3cret" * 4


@pytest.fixture
def keyed(settings: Settings) -> Settings:
    return settings.model_copy(update={"api_keys": [SecretStr(KEY), SecretStr("other-key")]})


async def test_keys_protect_summaries_and_prompts(keyed: Settings) -> None:
    async with client_for(build_app(keyed)) as client:
        for method, path in [("GET", "/v1/summaries"), ("GET", "/v1/prompts"), ("POST", "/v1/summaries")]:
            missing = await client.request(method, path, json={"text": "x"})
            assert missing.status_code == 401, path
            assert missing.headers["content-type"].startswith("application/problem+json")
            wrong = await client.request(method, path, json={"text": "x"}, headers={"X-API-Key": "nope"})
            assert wrong.status_code == 401
        ok = await client.post("/v1/summaries", json={"text": SEEDS[0].read_text()}, headers={"X-API-Key": KEY})
        assert ok.status_code == 200
        assert (await client.get("/v1/prompts", headers={"X-API-Key": "other-key"})).status_code == 200


async def test_open_routes_need_no_key(keyed: Settings) -> None:
    async with client_for(build_app(keyed)) as client:
        for path in [
            "/health",
            "/ready",
            "/metrics",
            "/v1/schemas",
            "/v1/schemas/article-summary/2",
            "/docs/openapi.json",
        ]:
            assert (await client.get(path)).status_code == 200, path


async def test_without_keys_everything_is_open(settings: Settings) -> None:
    async with client_for(build_app(settings)) as client:
        assert (await client.get("/v1/prompts")).status_code == 200


async def test_keys_and_texts_never_reach_the_logs(
    keyed: Settings, caplog: pytest.LogCaptureFixture, capsys: pytest.CaptureFixture[str]
) -> None:
    text = SEEDS[0].read_text()
    with caplog.at_level(logging.DEBUG):
        async with client_for(build_app(keyed)) as client:
            await client.post(
                "/v1/summaries", json={"text": text}, headers={"X-API-Key": KEY, "X-Request-ID": "req-42"}
            )
            await client.get("/v1/summaries", headers={"X-API-Key": "wrong-key-value"})
    logged = caplog.text + capsys.readouterr().out + capsys.readouterr().err
    assert KEY not in logged and "wrong-key-value" not in logged
    assert text[:60] not in logged
    assert "req-42" in logged  # request ids are logged


async def test_request_id_is_echoed_or_made(settings: Settings) -> None:
    async with client_for(build_app(settings)) as client:
        given = await client.get("/health", headers={"X-Request-ID": "abc-123"})
        made = await client.get("/health")
        unsafe = await client.get("/health", headers={"X-Request-ID": "bad id\r\nx"})
    assert given.headers["x-request-id"] == "abc-123"
    assert len(made.headers["x-request-id"]) == 32
    assert unsafe.headers["x-request-id"] != "bad id\r\nx"


async def test_schema_download_with_etag(settings: Settings) -> None:
    committed = (bundled_schemas_dir() / schema_filename()).read_bytes()
    v1 = (bundled_schemas_dir() / schema_filename(version="1")).read_bytes()
    v2 = (bundled_schemas_dir() / schema_filename(version="2")).read_bytes()
    story_v1 = (bundled_schemas_dir() / schema_filename("story", "1")).read_bytes()
    story = (bundled_schemas_dir() / schema_filename("story", "2")).read_bytes()
    events = (bundled_schemas_dir() / schema_filename("event-table", "1")).read_bytes()
    async with client_for(build_app(settings)) as client:
        listing = (await client.get("/v1/schemas")).json()
        assert listing == [
            {
                "name": name,
                "version": version,
                "media_type": "application/schema+json",
                "sha256": hashlib.sha256(body).hexdigest(),
                "href": f"/v1/schemas/{name}/{version}",
            }
            for name, version, body in (
                ("article-summary", "1", v1),
                ("article-summary", "2", v2),
                ("article-summary", "3", committed),
                ("event-table", "1", events),
                ("story", "1", story_v1),
                ("story", "2", story),
            )
        ]
        response = await client.get("/v1/schemas/article-summary/3")
        assert response.status_code == 200
        assert response.content == committed
        assert response.headers["content-type"].startswith("application/schema+json")
        assert response.headers["content-disposition"] == 'attachment; filename="article-summary.v3.json"'
        etag = response.headers["etag"]
        again = await client.get("/v1/schemas/article-summary/v3", headers={"If-None-Match": etag})
        assert again.status_code == 304
        assert (await client.get("/v1/schemas/article-summary/1")).content == v1  # results made before v2
        assert (await client.get("/v1/schemas/article-summary/2")).content == v2  # results made before v3
        assert (await client.get("/v1/schemas/article-summary/9")).status_code == 404


async def test_prompts_listing(settings: Settings) -> None:
    async with client_for(build_app(settings)) as client:
        prompts = (await client.get("/v1/prompts")).json()
    default = PromptLibrary(bundled_prompts_dir()).default_version("summarize", "embedded")
    assert [p["version"] for p in prompts if p["default"]] == [default]
    assert {p["version"] for p in prompts} >= {"v1", default}


async def test_health_and_readiness(settings: Settings) -> None:
    async with client_for(build_app(settings)) as client:
        assert (await client.get("/health")).json() == {"status": "ok"}
        ready = await client.get("/ready")
        scraped = (await client.get("/metrics")).text
    assert ready.status_code == 200 and ready.json()["ready"] is True
    gate = ready.json()["gate"]  # what a caller would wait for, before any generation
    assert gate["free"] == gate["slots"] >= 1 and gate["waiting"] == {"interactive": 0, "batch": 0}
    assert gate["median_s"] is None and gate["basis"] == "prior"
    assert f"summarizer_gate_free_slots {float(gate['slots'])}" in scraped
    assert 'summarizer_gate_waiting{kind="interactive"} 0.0' in scraped


async def test_not_ready_when_the_backend_is_unreachable(settings: Settings) -> None:
    unreachable = settings.model_copy(update={"backend": "openai", "base_url": "http://127.0.0.1:9/v1"})
    async with client_for(build_app(unreachable)) as client:
        ready = await client.get("/ready")
    assert ready.status_code == 503
    assert ready.json()["ready"] is False and "cannot reach" in ready.json()["detail"]


async def test_metrics_count_requests_cache_and_tokens(settings: Settings) -> None:
    async with client_for(build_app(settings)) as client:
        for _ in range(2):
            await client.post("/v1/summaries", json={"text": SEEDS[3].read_text()})
        text = (await client.get("/metrics")).text
    assert 'summarizer_summaries_total{cache="hit"}' in text
    assert 'summarizer_summaries_total{cache="miss"}' in text
    assert "summarizer_llm_tokens_total" in text and "summarizer_llm_calls_total" in text
    assert "summarizer_http_requests_total" in text


async def test_cors_when_configured(settings: Settings) -> None:
    async with client_for(build_app(settings, api_cors_origins=["https://app.example"])) as client:
        preflight = await client.options(
            "/v1/summaries",
            headers={"Origin": "https://app.example", "Access-Control-Request-Method": "POST"},
        )
    assert preflight.headers["access-control-allow-origin"] == "https://app.example"


async def test_openapi_documents_every_route_with_examples(settings: Settings) -> None:
    async with client_for(build_app(settings)) as client:
        spec = (await client.get("/docs/openapi.json")).json()
        ui = await client.get("/docs")
    assert spec["openapi"].startswith("3.1")
    paths = set(spec["paths"])
    assert {
        "/v1/summaries",
        "/v1/summaries/{summary_id}",
        "/v1/summaries/{summary_id}/download",
        "/v1/summaries/export",
        "/v1/schemas",
        "/v1/schemas/{name}/{version}",
        "/v1/prompts",
        "/health",
        "/ready",
    } <= paths
    post = spec["paths"]["/v1/summaries"]["post"]
    assert "Kirkuk" in json.dumps(post["requestBody"])  # the request example
    for path, operations in spec["paths"].items():
        for operation in operations.values():
            assert operation.get("summary"), path
    assert ui.status_code == 200 and "html" in ui.headers["content-type"]


async def test_openapi_documents_downloads_and_schema_files_as_objects(settings: Settings) -> None:
    async with client_for(build_app(settings)) as client:
        paths = (await client.get("/docs/openapi.json")).json()["paths"]
    download = paths["/v1/summaries/{summary_id}/download"]["get"]["responses"]["200"]["content"]
    assert download["application/json"]["schema"] == {"$ref": "#/components/schemas/ArticleSummary"}
    schema_file = paths["/v1/schemas/{name}/{version}"]["get"]["responses"]["200"]["content"]
    assert schema_file["application/schema+json"]["schema"]["type"] == "object"


async def test_openapi_documents_the_jsonl_upload_body(settings: Settings) -> None:
    async with client_for(build_app(settings)) as client:
        post = (await client.get("/docs/openapi.json")).json()["paths"]["/v1/batches"]["post"]
    body = post["requestBody"]
    assert body["required"] is True
    assert body["content"]["application/x-ndjson"]["schema"]["type"] == "string"


async def test_openapi_lists_the_prompt_versions_it_accepts(settings: Settings) -> None:
    versions = PromptLibrary(bundled_prompts_dir()).versions("summarize")
    async with client_for(build_app(settings)) as client:
        spec = (await client.get("/docs/openapi.json")).json()
    request = spec["components"]["schemas"]["SummaryRequest"]
    upload = {p["name"]: p for p in spec["paths"]["/v1/batches"]["post"]["parameters"]}
    for schema in (request["properties"]["prompt_version"], upload["prompt_version"]["schema"]):
        assert {"type": "string", "enum": versions} in schema["oneOf"]
    assert request["additionalProperties"] is False  # unknown fields are a 422, and the document says so


async def test_openapi_declares_the_key_scheme_only_when_keys_are_required(settings: Settings, keyed: Settings) -> None:
    for app_settings, required in ((settings, False), (keyed, True)):
        async with client_for(build_app(app_settings)) as client:
            spec = (await client.get("/docs/openapi.json")).json()
        schemes = spec.get("components", {}).get("securitySchemes", {})
        secured = {
            f"{method.upper()} {path}"
            for path, operations in spec["paths"].items()
            for method, operation in operations.items()
            if operation.get("security")
        }
        assert ("apiKey" in schemes) is required
        if required:
            assert {"POST /v1/summaries", "GET /v1/prompts", "POST /v1/batches"} <= secured
            assert not {"GET /health", "GET /ready", "GET /v1/schemas"} & secured
        else:
            assert secured == set()


async def test_options_lists_every_method_of_a_path(settings: Settings) -> None:
    async with client_for(build_app(settings)) as client:
        summaries = await client.options("/v1/summaries")  # GET and POST share the path
    assert summaries.headers["allow"] == "GET, OPTIONS, POST"
