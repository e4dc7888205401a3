"""Idempotency-Key on POST /v1/summaries and POST /v1/batches, on SQLite and on PostgreSQL: a retry gets the
first response and costs nothing, a key in flight is a 409, a key reused with another body a 422, keys
belong to the API key that sent them, and a failed request leaves its key free for the retry."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from pydantic import SecretStr

from summarizer.api.idempotency import fingerprint
from summarizer.api.idempotency_keys import KeyTimes
from summarizer.api.models import SummaryRequest
from summarizer.api.storage import open_result_store
from summarizer.cache import canonical_json
from summarizer.settings import Settings
from tests.api_support import build_app, client_for
from tests.fakes import Script, ok, status
from tests.test_api_errors import ARTICLE, assert_problem

pytestmark = pytest.mark.anyio
OTHER = {"text": "Gunmen attacked a police post in Kidal on Tuesday, wounding two officers, police said."}


def key(value: str) -> dict[str, str]:
    return {"Idempotency-Key": value}


async def test_a_retry_gets_the_first_response_without_a_second_generation(db_settings: Settings) -> None:
    transport = Script([ok()])
    async with client_for(build_app(db_settings, transport=transport, cache_enabled=False)) as client:
        first = await client.post("/v1/summaries", json=ARTICLE, headers=key("k-1"))
        calls = len(transport.requests)
        again = await client.post("/v1/summaries", json=ARTICLE, headers=key("k-1"))
        other_body = await client.post("/v1/summaries", json=OTHER, headers=key("k-1"))
        replay_calls = len(transport.requests)
        no_key = await client.post("/v1/summaries", json=ARTICLE)
    assert first.status_code == 200, first.text
    assert again.status_code == 200 and again.json() == first.json()
    assert again.headers["idempotent-replayed"] == "true" and "idempotent-replayed" not in first.headers
    assert calls > 0 and replay_calls == calls < len(transport.requests)  # no model call for the replay
    assert str(assert_problem(other_body, 422)["type"]).endswith("idempotency-key-reused")
    assert no_key.status_code == 200 and "idempotent-replayed" not in no_key.headers


async def test_a_key_still_in_flight_is_a_409(db_settings: Settings) -> None:
    body = fingerprint(canonical_json(SummaryRequest.model_validate(ARTICLE).model_dump(mode="json")))
    now = datetime.now(UTC)
    store = open_result_store(db_settings)
    claimed = store.claim_idempotency_key(
        hashlib.sha256(b"").hexdigest(),
        "k-busy",
        body,
        KeyTimes.at(now, keep=timedelta(hours=24), in_flight=timedelta(minutes=5)),
    )
    assert claimed.outcome == "claimed"
    async with client_for(build_app(db_settings, transport=Script([ok()]))) as client:
        busy = await client.post("/v1/summaries", json=ARTICLE, headers=key("k-busy"))
    assert str(assert_problem(busy, 409)["type"]).endswith("idempotency-key-in-flight")


async def test_keys_belong_to_the_api_key_that_sent_them(db_settings: Settings) -> None:
    keyed = db_settings.model_copy(
        update={"api_keys": [SecretStr("alpha-key-0123456789"), SecretStr("beta-key-0123456789")]}
    )
    transport = Script([ok()])
    async with client_for(build_app(keyed, transport=transport, cache_enabled=False)) as client:
        alpha = await client.post(
            "/v1/summaries", json=ARTICLE, headers={**key("same"), "X-API-Key": "alpha-key-0123456789"}
        )
        beta = await client.post(
            "/v1/summaries", json=OTHER, headers={**key("same"), "X-API-Key": "beta-key-0123456789"}
        )
    assert alpha.status_code == beta.status_code == 200, beta.text
    assert "idempotent-replayed" not in beta.headers and alpha.json()["id"] != beta.json()["id"]


async def test_a_failed_request_leaves_its_key_free_for_the_retry(db_settings: Settings) -> None:
    failing = db_settings.model_copy(update={"max_transient_retries": 0})
    async with client_for(build_app(failing, transport=Script([status(500)]))) as client:
        failed = await client.post("/v1/summaries", json=ARTICLE, headers=key("k-retry"))
    async with client_for(build_app(failing, transport=Script([ok()]))) as client:
        retried = await client.post("/v1/summaries", json=ARTICLE, headers=key("k-retry"))
    assert failed.status_code >= 500 and retried.status_code == 200, retried.text
    assert "idempotent-replayed" not in retried.headers


async def test_a_malformed_key_is_a_400(settings: Settings) -> None:
    async with client_for(build_app(settings, transport=Script([ok()]))) as client:
        bad = await client.post("/v1/summaries", json=ARTICLE, headers=key("has space"))
    assert str(assert_problem(bad, 400)["type"]).endswith("invalid-idempotency-key")


async def test_a_batch_posted_twice_with_one_key_is_one_job(db_settings: Settings, tmp_path: Path) -> None:
    upload = "".join(json.dumps({"id": f"a{n}", **ARTICLE}) + "\n" for n in range(2)).encode()
    headers: dict[str, Any] = {"content-type": "application/x-ndjson", **key("batch-1")}
    async with client_for(build_app(db_settings, transport=Script([ok()]))) as client:
        first = await client.post("/v1/batches", content=upload, headers=headers)
        again = await client.post("/v1/batches", content=upload, headers=headers)
        changed = await client.post("/v1/batches", content=upload + upload, headers=headers)
    assert first.status_code == again.status_code == 202, first.text
    assert again.json()["id"] == first.json()["id"] and again.headers["location"] == first.headers["location"]
    assert str(assert_problem(changed, 422)["type"]).endswith("idempotency-key-reused")
