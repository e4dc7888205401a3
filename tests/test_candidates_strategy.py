"""The candidates strategy end to end over a scripted model: what it asks, what it keeps, what it caches."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import httpx2
import pytest

from summarizer import Summarizer
from summarizer.cache import ResultCache
from summarizer.errors import PromptError
from summarizer.llm import LLMClient
from summarizer.prompts import bundled_prompts_dir
from summarizer.record import CacheRecord
from summarizer.schema import ArticleMeta, GroundingStatus, QuoteCheck
from summarizer.settings import Settings
from tests.fakes import Script, completion, invalid_json

ARTICLE = """Gunmen attacked a police convoy near Kandahar on Friday, killing 23 officers and wounding another 15.

“We will hunt down those who planned this cowardly attack,” provincial governor Ahmad Khan told reporters.

He said more than 30 rockets were fired at the city during the night.

“They came at night and left before dawn, and nobody stopped them on the road.”
"""


def answers(request: httpx2.Request) -> httpx2.Response:
    """Answer each question from the schema it asks for: the first option, or a summary sentence."""
    body = json.loads(request.read())
    schema = body["response_format"]["json_schema"]["schema"]
    answer: dict[str, Any] = {}
    for field, spec in schema["properties"].items():
        answer[field] = spec["enum"][0] if "enum" in spec else "Gunmen killed 23 police officers near Kandahar."
    return httpx2.Response(200, json=completion(json.dumps(answer), completion_tokens=12))


def fake_settings(settings: Settings) -> Settings:
    return settings.model_copy(update={"backend": "openai", "base_url": "http://fake.invalid/v1", "model": "m"})


def summarize(settings: Settings, script: Script, article: ArticleMeta | None = None) -> Any:
    fake = fake_settings(settings)
    summarizer = Summarizer(fake, llm=LLMClient(fake, transport=script))
    return summarizer.summarize(ARTICLE, prompt_version="v5", article=article)


def test_code_finds_the_facts_and_the_model_is_asked_only_what_code_cannot_settle(settings: Settings) -> None:
    script = Script([answers])
    summary = summarize(settings, script)
    asked = [list(r["response_format"]["json_schema"]["schema"]["properties"]) for r in script.requests]
    # the unattributed last quote gets a speaker question; every article gets a summary question
    assert asked == [["who"], ["summary"]]
    user = script.requests[0]["messages"][-1]["content"]
    assert user.index("<<<") < user.index("They came at night")  # the article first, the question last
    assert all(r["messages"][-1]["content"].startswith(user[: user.index(">>>")]) for r in script.requests)
    figures = {(c.count.text, c.outcome.value, c.victims) for c in summary.casualties}
    assert figures == {("23", "killed", "officers"), ("another 15", "injured", "officers")}  # not "30 rockets"
    quotes = [s for s in summary.statements if s.verbatim]
    assert quotes and all(s.quote_check is QuoteCheck.verbatim_found for s in quotes)
    assert quotes[0].speaker == "Ahmad Khan"
    assert summary.summary == "Gunmen killed 23 police officers near Kandahar."
    assert summary.provenance.attempts == 2 and summary.provenance.usage.completion_tokens == 24
    assert all(e.status is not GroundingStatus.ungrounded for e in (s.evidence for s in summary.statements))


def test_an_unusable_answer_keeps_what_code_found(settings: Settings) -> None:
    summary = summarize(settings, Script([invalid_json()]))
    assert {c.count.text for c in summary.casualties} == {"23", "another 15"}
    assert summary.summary  # built by code from the facts when the model gave none
    assert summary.provenance.attempts >= 2


def test_the_cache_keeps_a_typed_record_and_an_unreadable_one_is_a_miss(settings: Settings) -> None:
    script = Script([answers])
    first = summarize(settings, script)
    cache = ResultCache(settings.resolved_cache_path())
    record = CacheRecord.model_validate(cache.get(first.provenance.cache_key))
    assert record.extraction.summary == first.summary and record.attempts == 2
    cache.put(first.provenance.cache_key, {"extraction": {"actors": "not a list"}}, {})
    # Another URL: another finished summary (not stored yet) over the same answer key.
    again = summarize(settings, script, ArticleMeta(url="https://example.org/elsewhere"))
    assert not again.provenance.cache_hit and len(script.requests) == 4


def test_the_key_names_the_strategy_and_the_analysis_versions(settings: Settings) -> None:
    fake = fake_settings(settings)
    summarizer = Summarizer(fake, llm=LLMClient(fake, transport=Script([answers])))
    v5 = summarizer.key_material("text", title=None, prompt=summarizer.prompt("v5"))
    v3 = summarizer.key_material("text", title=None, prompt=summarizer.prompt("v3"))
    assert v5["strategy"]["strategy"] == "candidates" and v5["strategy"]["analysis"].startswith("spacy-")
    assert v3["strategy"]["strategy"] == "steps" and v3["strategy"]["finders"] == v5["strategy"]["finders"]


@pytest.mark.parametrize(
    ("old", "new"),
    [("[questions.summary]", "[questions.roles]"), ("[params]", "[questions.nonsense]\ntask = 'x'\n\n[params]")],
    ids=["no-summary", "unknown-question"],
)
def test_a_candidates_prompt_without_a_summary_or_with_an_unknown_question_is_refused(
    settings: Settings, tmp_path: Path, old: str, new: str
) -> None:
    root = tmp_path / "prompts"
    shutil.copytree(bundled_prompts_dir(), root)
    v5 = root / "summarize" / "v5.toml"
    v5.write_text(v5.read_text().replace(old, new, 1))
    with pytest.raises(PromptError, match="candidates strategy"):
        Summarizer(settings.model_copy(update={"prompts_dir": root}))
