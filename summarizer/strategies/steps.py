"""The "steps" strategy: the model fills the extraction, one call per prompt step.

A prompt without steps is one call that fills every field. With several steps, each call fills some
lists, and the article comes first in every call, so llama.cpp reads it once.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from pydantic import BaseModel

from summarizer.analysis.finders import analysis_key, find_candidates
from summarizer.call_progress import current
from summarizer.errors import PromptError
from summarizer.extraction import Extraction, partial_model
from summarizer.llm import LLMClient
from summarizer.prompts import Prompt, PromptStep
from summarizer.record import ExtractionRun
from summarizer.schema import Usage
from summarizer.schema_sketch import sketch
from summarizer.strategies import ArticleJob

MODEL_RULE = "model.steps"


class StepsStrategy:
    name = "steps"

    def __init__(self, llm: LLMClient):
        self.llm = llm

    def key_material(self) -> dict[str, Any]:
        # The prompt and the extraction schema say everything the model sees; the record also keeps
        # what the finders read in the text (who said what), so their versions are in the key too.
        return {"strategy": self.name, **analysis_key()}

    def extract(self, job: ArticleJob) -> ExtractionRun:
        merged: dict[str, Any] = {}
        usage, attempts, latency_ms = Usage(), 0, 0.0
        steps = steps_of(job.prompt)
        progress = current()
        progress.plan(len(steps))
        for step in steps:
            model = partial_model(tuple(step.fields))
            variables = {"article": job.text, "title": job.title, "schema": _sketch(model)}
            if "task" in job.prompt.meta.variables:
                variables["task"] = step.task
            params = job.prompt.meta.params
            if step.max_tokens is not None:
                params = params.model_copy(update={"max_tokens": step.max_tokens})
            result = self.llm.call(model, job.prompt.render(**variables), params, cache_key=job.cache_key)
            progress.returned()
            merged.update(result.value.model_dump(mode="json"))
            usage += result.usage
            attempts += result.attempts
            latency_ms += result.latency_ms
        extraction = Extraction.model_validate(merged)
        for facts in (extraction.actors, extraction.actions, extraction.casualties, extraction.statements):
            for fact in facts:
                fact.rules = [MODEL_RULE]  # the model filled the lists: no rule of code's made these facts
        return ExtractionRun(
            extraction=extraction,
            attributions=find_candidates(job.text).attributions(),  # what the text says, for grounding
            usage=usage,
            attempts=attempts,
            llm_latency_ms=round(latency_ms, 1),
        )


def steps_of(prompt: Prompt) -> list[PromptStep]:
    """The prompt's calls; a prompt without steps is one call that fills every field."""
    return prompt.meta.steps or [PromptStep(name="all", fields=list(Extraction.model_fields), task="")]


def check_steps(prompt: Prompt) -> None:
    """Every step names real fields, and together the steps fill the whole extraction."""
    covered: set[str] = set()
    for step in steps_of(prompt):
        try:
            partial_model(tuple(step.fields))
        except ValueError as exc:
            raise PromptError(f"prompt {prompt.name}/{prompt.version}, step {step.name}: {exc}") from None
        covered.update(step.fields)
    missing = sorted(set(Extraction.model_fields) - covered)
    if missing:
        raise PromptError(f"prompt {prompt.name}/{prompt.version}: no step fills {', '.join(missing)}")
    if len(steps_of(prompt)) > 1 and "task" not in prompt.meta.variables:
        raise PromptError(f"prompt {prompt.name}/{prompt.version} has several steps but no 'task' variable")


@cache
def _sketch(model: type[BaseModel]) -> str:
    return sketch(model)
