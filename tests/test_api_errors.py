"""Every error status of the API is a problem-details body (RFC 9457), never a traceback."""

from __future__ import annotations

import re
import threading
from concurrent.futures import ThreadPoolExecutor

import httpx2
import pytest
from pydantic import ValidationError

from summarizer.settings import Settings
from tests.api_support import build_app, client_for, live_server
from tests.conftest import SEEDS
from tests.fakes import Script, connection_error, invalid_json, ok, status

pytestmark = pytest.mark.anyio
ARTICLE = {"text": "Rebels shelled the town of Kidal on Monday, killing three soldiers, the army said."}


def assert_problem(response: httpx2.Response | object, status_code: int) -> dict[str, object]:
    assert response.status_code == status_code, response.text  # type: ignore[attr-defined]
    assert response.headers["content-type"].startswith("application/problem+json")  # type: ignore[attr-defined]
    body = response.json()  # type: ignore[attr-defined]
    assert body["status"] == status_code and body["title"] and "Traceback" not in response.text  # type: ignore[attr-defined]
    return body  # type: ignore[no-any-return]


@pytest.mark.parametrize(
    ("content", "content_type", "status_code", "slug"),
    [
        (b"{not json", "application/json", 400, "malformed-body"),
        (b'{"text": "caf\xe9 bombing"}', "application/json", 400, "malformed-body"),
        (b"\x00\x01\x02\xff\xfe", "application/json", 400, "malformed-body"),
        (b"Rebels shelled the town.", "text/plain", 415, "unsupported-media-type"),
        (b"\x89PNG\r\n", "image/png", 415, "unsupported-media-type"),
        (b'{"text": 5}', "application/json", 422, "invalid-body"),
        (b'{"title": "no text"}', "application/json", 422, "invalid-body"),
        (b'{"text": "x", "surprise": 1}', "application/json", 422, "invalid-body"),
        (b'{"text": ""}', "application/json", 422, "invalid-body"),
        (b'{"text": "   \\n  "}', "application/json", 422, "invalid-body"),  # the schema asks for non-space text
        (b'{"text": "Rebels\\u0007 shelled"}', "application/json", 422, "invalid-body"),  # a binary control
        (b'{"text": "\\u00a0\\u3000\\u2028"}', "application/json", 422, "invalid-body"),  # Unicode spaces only
        (b'{"text": "Leave a comment"}', "application/json", 422, "bad-article"),  # nothing left after cleanup
        (b'{"text": "Rebels shelled the town.", "prompt_version": "v404"}', "application/json", 422, "unknown-prompt"),
    ],
)
async def test_bad_bodies(settings: Settings, content: bytes, content_type: str, status_code: int, slug: str) -> None:
    async with client_for(build_app(settings)) as client:
        response = await client.post("/v1/summaries", content=content, headers={"content-type": content_type})
    body = assert_problem(response, status_code)
    assert str(body["type"]).endswith(slug)


@pytest.mark.parametrize("flags", [0, re.ASCII])
def test_the_article_text_pattern_means_the_same_to_every_reader(flags: int) -> None:
    """Documented and enforced alike: Python's reading (Unicode or ASCII, as schemathesis reads it) and
    pydantic's (Rust) accept exactly the texts with a character that is neither space nor control."""
    from summarizer.api.models import ARTICLE_TEXT, SummaryRequest

    controls = {*range(0, 9), 11, *range(14, 32)}
    for code in [*range(0, 0x250), 0x1680, *range(0x2000, 0x2030), 0x205F, 0x3000, 0xFEFF]:
        char = chr(code)
        expected = code not in controls and not char.isspace()
        assert bool(re.search(ARTICLE_TEXT, char, flags)) is expected, hex(code)
        try:
            SummaryRequest(text=char)
            accepted = True
        except ValidationError:
            accepted = False
        assert accepted is expected, hex(code)


@pytest.mark.parametrize("offset", ["9223372036854775808", "1000000001", "-1"])
async def test_an_offset_out_of_range_is_400(settings: Settings, offset: str) -> None:
    async with client_for(build_app(settings)) as client:
        response = await client.get(f"/v1/summaries?offset={offset}")  # past SQLite's integers: once a 500
    assert str(assert_problem(response, 400)["type"]).endswith("invalid-parameter")


@pytest.mark.parametrize("depth", [1_000, 100_000])
async def test_a_body_nested_too_deeply_is_400(settings: Settings, depth: int) -> None:
    body = b'{"text": "Rebels shelled the town.", "title": ' + b"[" * depth + b"]" * depth + b"}"
    async with client_for(build_app(settings)) as client:
        response = await client.post("/v1/summaries", content=body, headers={"content-type": "application/json"})
    problem = assert_problem(response, 400)  # the decoder's RecursionError: once a 500
    assert str(problem["type"]).endswith("malformed-body") and "too deeply" in str(problem["detail"])


async def test_text_above_the_limit_is_413(settings: Settings) -> None:
    async with client_for(build_app(settings, api_max_text_bytes=1000)) as client:
        too_long = await client.post("/v1/summaries", json={"text": "é" * 600})  # 1,200 bytes
        huge_body = await client.post(
            "/v1/summaries",
            content=b'{"text": "' + b"a" * 100_000 + b'"}',
            headers={"content-type": "application/json"},
        )
    assert str(assert_problem(too_long, 413)["detail"]).startswith("the text is 1200 bytes")
    assert_problem(huge_body, 413)


@pytest.mark.parametrize(
    ("steps", "status_code", "retry_after"),
    [
        ([status(400)], 502, False),
        ([status(500)], 502, False),
        ([invalid_json()], 502, False),
        ([connection_error()], 503, False),
        ([status(429, {"retry-after": "7"})], 503, True),
    ],
)
async def test_backend_failures_map_to_5xx(
    settings: Settings, steps: list, status_code: int, retry_after: bool
) -> None:
    app = build_app(settings, transport=Script(steps), max_transient_retries=1, retry_max_wait_s=0.01)
    async with client_for(app) as client:
        response = await client.post("/v1/summaries", json=ARTICLE)
    assert_problem(response, status_code)
    assert ("retry-after" in response.headers) is retry_after
    if retry_after:
        assert response.headers["retry-after"] == "7"


async def test_backend_timeout_is_504(settings: Settings) -> None:
    def hang(request: httpx2.Request) -> httpx2.Response:
        raise httpx2.ReadTimeout("injected timeout", request=request)

    app = build_app(settings, transport=Script([hang]), max_transient_retries=0)
    async with client_for(app) as client:
        assert_problem(await client.post("/v1/summaries", json=ARTICLE), 504)


async def test_rate_limit_is_429_with_retry_after(settings: Settings) -> None:
    async with client_for(build_app(settings, api_rate_limit_per_minute=2)) as client:
        codes = [(await client.get("/v1/summaries")).status_code for _ in range(3)]
        limited = await client.get("/v1/summaries")
        assert (await client.get("/health")).status_code == 200  # health is never rate limited
    assert codes[:2] == [200, 200]
    assert_problem(limited, 429)
    assert int(limited.headers["retry-after"]) >= 1


def test_full_queue_is_503_with_retry_after_and_cache_hits_still_pass(settings: Settings) -> None:
    """Over a real server: one generation runs, the queue (size 0) is full, a cached article still passes."""
    entered, release = threading.Event(), threading.Event()

    def slow(request: httpx2.Request) -> httpx2.Response:
        entered.set()
        release.wait(10)
        return ok()(request)

    app = build_app(settings, transport=Script([slow]), api_concurrency=1, api_max_queue=0)
    cached_text = {"text": "Gunmen attacked a checkpoint in Mosul, killing two police officers."}
    with live_server(app) as url, httpx2.Client(base_url=url, timeout=20) as client:
        release.set()
        assert client.post("/v1/summaries", json=cached_text).status_code == 200  # now cached
        release.clear()
        entered.clear()
        with ThreadPoolExecutor(1) as pool:
            first = pool.submit(client.post, "/v1/summaries", json=ARTICLE)
            assert entered.wait(10)  # the first request holds the only slot
            second = client.post("/v1/summaries", json={"text": "A car bomb exploded in Kabul, police said."})
            hit = client.post("/v1/summaries", json=cached_text)
            release.set()
            assert first.result().status_code == 200
    body = assert_problem(second, 503)
    assert str(body["type"]).endswith("queue-full")
    assert int(second.headers["retry-after"]) >= 1
    assert hit.status_code == 200 and hit.json()["provenance"]["cache_hit"]


async def test_unknown_route_and_method(settings: Settings) -> None:
    async with client_for(build_app(settings)) as client:
        assert_problem(await client.get("/v1/nothing-here"), 404)
        assert_problem(await client.delete("/v1/summaries"), 405)


async def test_seed_article_is_not_an_error(settings: Settings) -> None:
    async with client_for(build_app(settings)) as client:
        assert (await client.post("/v1/summaries", json={"text": SEEDS[2].read_text()})).status_code == 200
