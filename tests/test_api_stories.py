"""/v1/stories: link stored or given summaries, fetch and download the story set, bad input as 4xx."""

from __future__ import annotations

import json

import jsonschema
import pytest

from summarizer.schema_files import bundled_schemas_dir, load
from summarizer.settings import Settings
from tests.api_support import build_app, client_for
from tests.conftest import SEEDS
from tests.test_stories import PUBLISHED

pytestmark = pytest.mark.anyio
STORY_SCHEMA = jsonschema.Draft202012Validator(load(bundled_schemas_dir(), "story", "2"))


async def test_stored_summaries_link_into_a_stored_story_set(settings: Settings) -> None:
    async with client_for(build_app(settings)) as client:
        ids = {}
        for seed in SEEDS:
            body = {"text": seed.read_text(), "published_at": PUBLISHED[seed.stem].isoformat()}
            response = await client.post("/v1/summaries", json=body)
            assert response.status_code == 200, response.text
            ids[seed.stem] = response.json()["id"]
        created = await client.post("/v1/stories", json={"summaries": list(ids.values())})
        assert created.status_code == 201, created.text
        story_set = created.json()
        STORY_SCHEMA.validate(story_set)
        assert created.headers["location"] == f"/v1/stories/{story_set['id']}"
        several = [s for s in story_set["stories"] if len(s["reports"]) > 1]
        assert any({r["summary_id"] for r in s["reports"]} == {ids[p.stem] for p in SEEDS[:3]} for s in several)

        fetched = await client.get(f"/v1/stories/{story_set['id']}")
        assert fetched.status_code == 200 and fetched.json() == story_set
        download = await client.get(f"/v1/stories/{story_set['id']}/download")
        assert download.status_code == 200
        assert "attachment" in download.headers["content-disposition"]
        STORY_SCHEMA.validate(json.loads(download.content))

        events = await client.get(f"/v1/stories/{story_set['id']}/events", params={"format": "jsonl"})
        assert events.status_code == 200 and events.headers["content-type"] == "application/x-ndjson"
        rows = [json.loads(line) for line in events.text.splitlines()]
        assert [r["story_id"] for r in rows if r["record"] == "story"] == [s["id"] for s in story_set["stories"]]
        marked = [r for r in rows if r["record"] == "action" and r["story_id"]]
        assert marked and {r["summary_id"] for r in marked} <= set(ids.values())
        assert (await client.get("/v1/stories/nothing/events")).status_code == 404

        listed = await client.get("/v1/schemas")
        assert {"name": "story", "version": "1"}.items() <= next(
            s for s in listed.json() if s["name"] == "story"
        ).items()


async def test_summaries_given_inline_link_too(settings: Settings) -> None:
    async with client_for(build_app(settings)) as client:
        summaries = []
        for seed in SEEDS[:3]:
            response = await client.post("/v1/summaries", json={"text": seed.read_text()})
            summaries.append(response.json())
        articles = {
            s["id"]: {"published_at": PUBLISHED[p.stem].isoformat()} for s, p in zip(summaries, SEEDS, strict=False)
        }
        created = await client.post("/v1/stories", json={"summaries": summaries, "articles": articles})
        assert created.status_code == 201, created.text
        assert any(len(s["reports"]) == 3 for s in created.json()["stories"])


async def test_articles_given_as_text_are_summarized_first(settings: Settings) -> None:
    async with client_for(build_app(settings)) as client:
        items = [{"text": seed.read_text(), "published_at": PUBLISHED[seed.stem].isoformat()} for seed in SEEDS[:3]]
        created = await client.post("/v1/stories", json={"summaries": items})
        assert created.status_code == 201, created.text
        assert any(len(s["reports"]) == 3 for s in created.json()["stories"])
        listed = await client.get("/v1/summaries")
        assert listed.json()["total"] == 3  # summarized and stored, as POST /v1/summaries does
        too_many = await client.post("/v1/stories", json={"summaries": [{"text": "An article."}] * 21})
        assert too_many.status_code == 413 and "at most 20" in too_many.text


@pytest.mark.parametrize(
    ("body", "status", "words"),
    [
        ({}, 400, "summaries"),
        ({"summaries": []}, 400, "summaries"),
        ({"summaries": ["sum_does_not_exist"]}, 404, "sum_does_not_exist"),
        ({"summaries": [{"schema_version": "1", "id": "x"}]}, 400, "schema version '1'"),
        ({"summaries": [{"stories": [], "id": "x"}]}, 400, "story set"),
        ({"summaries": "not a list"}, 400, "summaries"),
    ],
)
async def test_bad_story_requests_are_problem_details(
    settings: Settings, body: dict[str, object], status: int, words: str
) -> None:
    async with client_for(build_app(settings)) as client:
        response = await client.post("/v1/stories", json=body)
        # a body of the wrong shape is 422 (the app's rule), a missing stored summary 404
        assert response.status_code == (422 if status == 400 else status), response.text
        assert response.headers["content-type"].startswith("application/problem+json")
        assert words in response.text


async def test_an_unknown_story_set_is_404(settings: Settings) -> None:
    async with client_for(build_app(settings)) as client:
        response = await client.get("/v1/stories/nope")
        assert response.status_code == 404
        assert "nope" in response.json()["detail"]
