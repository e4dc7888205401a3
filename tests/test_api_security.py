"""Keys never travel or get logged in URLs, guessing keys is throttled per client, and X-Forwarded-For is
believed only from the proxies the server is told to trust."""

from __future__ import annotations

import json
import logging
from typing import Any

import httpx2
import pytest
from pydantic import SecretStr
from typer.testing import CliRunner

from summarizer.settings import Settings
from tests.api_support import build_app, client_for, live_server
from tests.fakes import GOOD_EXTRACTION, Script, completion
from tests.test_api_errors import ARTICLE, assert_problem

pytestmark = pytest.mark.anyio
KEY = "k-" + "s3cret" * 4


@pytest.fixture
def keyed(settings: Settings) -> Settings:
    return settings.model_copy(update={"api_keys": [SecretStr(KEY)]})


def server_logs(caplog: pytest.LogCaptureFixture, capsys: pytest.CaptureFixture[str]) -> str:
    """What the server logged (the test client's own request lines left out: they are not the server's)."""
    records = [r.getMessage() for r in caplog.records if not r.name.startswith("httpx")]
    lines = [line for line in capsys.readouterr().out.splitlines() if "HTTP Request: " not in line]
    return "\n".join(records + lines)


def serve_options(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """The uvicorn options ``summarizer serve`` runs with (uvicorn.run is caught, nothing is served)."""
    import uvicorn

    from summarizer.cli import app

    caught: dict[str, Any] = {}
    monkeypatch.setattr(uvicorn, "run", lambda target, **options: caught.update(options))
    assert CliRunner().invoke(app, ["serve"]).exit_code == 0
    return {k: v for k, v in caught.items() if k not in {"host", "port", "workers", "factory"}}


@pytest.mark.parametrize("name", ["api_key", "API_KEY", "apikey", "token"])
async def test_a_key_in_the_query_string_is_refused_and_never_logged(
    keyed: Settings, name: str, caplog: pytest.LogCaptureFixture, capsys: pytest.CaptureFixture[str]
) -> None:
    with caplog.at_level(logging.DEBUG):
        async with client_for(build_app(keyed)) as client:
            refused = await client.get(f"/v1/summaries?limit=5&{name}={KEY}", headers={"X-API-Key": KEY})
            open_route = await client.get(f"/health?{name}={KEY}")
            allowed = await client.get("/v1/summaries?limit=7", headers={"X-API-Key": KEY})
    problem = assert_problem(refused, 400)
    assert str(problem["type"]).endswith("key-in-query") and "X-API-Key header" in str(problem["detail"])
    assert_problem(open_route, 400)
    assert allowed.status_code == 200
    logged = server_logs(caplog, capsys)
    assert '"query":{"limit":["7"]}' in logged  # requests and their queries are logged...
    assert KEY not in logged  # ...never a key


def test_the_access_log_redacts_keys_in_query_strings() -> None:
    from summarizer.api.logs import RedactQueryKeys

    record = logging.LogRecord(  # as uvicorn's access log makes it
        "uvicorn.access",
        logging.INFO,
        __file__,
        1,
        '%s - "%s %s HTTP/%s" %d',
        ("10.0.0.1:5000", "GET", f"/v1/nothing?limit=5&api_key={KEY}&q=x", "1.1", 404),
        None,
    )
    assert RedactQueryKeys().filter(record)
    assert record.getMessage() == '10.0.0.1:5000 - "GET /v1/nothing?limit=5&api_key=%5Bredacted%5D&q=x HTTP/1.1" 404'


async def test_failed_authentication_is_rate_limited_per_client(keyed: Settings) -> None:
    async with client_for(build_app(keyed)) as client:  # 10 failures a minute per client by default
        codes = [
            (await client.get("/v1/summaries", headers={"X-API-Key": f"guess-{n}"})).status_code for n in range(40)
        ]
        throttled = await client.get("/v1/prompts", headers={"X-API-Key": "one-more-guess"})
        valid = await client.get("/v1/prompts", headers={"X-API-Key": KEY})
    assert codes[:10] == [401] * 10 and codes[10:] == [429] * 30
    assert_problem(throttled, 429)
    assert int(throttled.headers["retry-after"]) >= 1
    assert valid.status_code == 200  # the client with the key is not locked out by guesses


async def test_made_up_keys_share_one_rate_limit_budget(settings: Settings) -> None:
    async with client_for(build_app(settings, api_rate_limit_per_minute=3)) as client:  # no keys configured
        codes = [(await client.get("/v1/prompts", headers={"X-API-Key": f"k{n}"})).status_code for n in range(5)]
    assert codes == [200, 200, 200, 429, 429]


def test_forwarded_for_is_ignored_unless_the_peer_is_a_trusted_proxy(
    settings: Settings, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    options = serve_options(monkeypatch)

    def codes(app_settings: Settings) -> list[int]:
        app = build_app(app_settings, api_rate_limit_per_minute=3)
        with live_server(app, **options) as url, httpx2.Client(base_url=url) as client:
            return [
                client.get("/v1/prompts", headers={"X-Forwarded-For": f"203.0.113.{n}"}).status_code for n in range(5)
            ]

    assert codes(settings) == [200, 200, 200, 429, 429]  # one client, whatever it claims to forward for
    capsys.readouterr()
    trusted = settings.model_copy(update={"api_trusted_proxies": ["127.0.0.1"]})
    assert codes(trusted) == [200] * 5  # five clients behind the proxy
    logged = [json.loads(line) for line in capsys.readouterr().out.splitlines() if line.startswith("{")]
    clients = {entry["client"][0] for entry in logged if entry.get("event") == "HTTP Request"}
    assert clients == {f"203.0.113.{n}" for n in range(5)}


class Recorder:
    """Stands in for a module's structlog logger (a cached one writes to the stdout of the test that made it)."""

    def __init__(self) -> None:
        self.lines: list[str] = []

    def __getattr__(self, level: str) -> Any:
        return lambda event, **fields: self.lines.append(json.dumps({"event": event, **fields}, default=str))


async def test_invalid_model_output_logs_no_article_text(
    settings: Settings,
    caplog: pytest.LogCaptureFixture,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from summarizer.api import problems

    recorder = Recorder()
    monkeypatch.setattr(problems, "log", recorder)
    text = ARTICLE["text"]
    copying = Script([lambda request: _echo_as_bad_kind(request, text)])
    with caplog.at_level(logging.DEBUG):
        async with client_for(build_app(settings, transport=copying, max_validation_retries=0)) as client:
            response = await client.post("/v1/summaries", json=ARTICLE)
    assert_problem(response, 502)
    logged = server_logs(caplog, capsys) + "\n".join(recorder.lines)
    assert "ExtractionError" in logged  # the failure is logged, by type
    assert text[:20] not in logged and text[-20:] not in logged  # pydantic quotes 24 + 24 characters


def _echo_as_bad_kind(request: httpx2.Request, text: str) -> httpx2.Response:
    """The model copies the article into a field that does not take it: the validation error quotes it."""
    actor = {**GOOD_EXTRACTION["actors"][0], "kind": text}
    return httpx2.Response(200, json=completion(json.dumps({**GOOD_EXTRACTION, "actors": [actor]})))
