"""Multi-step prompt versions: one focused call per step, merged into one extraction."""

from __future__ import annotations

import dataclasses
import json

import httpx2
import pytest

from summarizer import Summarizer
from summarizer.errors import PromptError
from summarizer.llm import LLMClient
from summarizer.prompts import PromptStep
from summarizer.schema import SummaryCheck
from summarizer.settings import Settings
from summarizer.strategies.steps import check_steps
from tests.fakes import GOOD_EXTRACTION, Script, completion

ARTICLE = "Pentagon spokesman Jonathan Hoffman said in a statement that the strikes hit five sites."


def by_schema(request: httpx2.Request) -> httpx2.Response:
    """Answer each step with just the fields its schema asks for."""
    body = json.loads(request.read())
    wanted = body["response_format"]["json_schema"]["schema"]["properties"]
    return httpx2.Response(200, json=completion(json.dumps({k: GOOD_EXTRACTION[k] for k in wanted})))


def test_v2_makes_one_call_per_step_and_merges(settings: Settings) -> None:
    fake = settings.model_copy(update={"backend": "openai", "base_url": "http://fake.invalid/v1", "model": "m"})
    script = Script([by_schema])
    summary = Summarizer(fake, llm=LLMClient(fake, transport=script)).summarize(ARTICLE, prompt_version="v2")
    asked = [list(r["response_format"]["json_schema"]["schema"]["properties"]) for r in script.requests]
    assert asked == [["actors"], ["actions"], ["casualties"], ["statements"], ["summary"]]
    assert [a.name for a in summary.actors] == ["Jonathan Hoffman"]
    # the scripted sentence names places this article never mentions: rebuilt from the grounded facts
    assert summary.summary_check is SummaryCheck.replaced
    assert summary.provenance.attempts == 5
    assert summary.provenance.usage.total_tokens == 5 * 120
    first_user = script.requests[0]["messages"][-1]["content"]
    second_user = script.requests[1]["messages"][-1]["content"]
    prefix = first_user[: first_user.index(">>>")]
    assert second_user.startswith(prefix)  # the article is a shared prefix: llama.cpp reads it once
    assert script.requests[-1]["max_tokens"] == 150  # the step's own limit


def test_steps_must_cover_the_extraction(settings: Settings) -> None:
    prompt = Summarizer(settings).prompt("v2")
    partial = dataclasses.replace(prompt, meta=prompt.meta.model_copy(update={"steps": prompt.meta.steps[:2]}))
    with pytest.raises(PromptError, match="no step fills casualties"):
        check_steps(partial)
    wrong = [PromptStep(name="x", fields=["actors", "nonsense"], task="t"), *prompt.meta.steps]
    with pytest.raises(PromptError, match="nonsense"):
        check_steps(dataclasses.replace(prompt, meta=prompt.meta.model_copy(update={"steps": wrong})))
