"""Extraction strategies: how the model is used to turn one normalized article into an ``Extraction``.

A prompt version declares its strategy (``strategy`` in its TOML file):

- ``steps`` (``steps.py``): the model fills the extraction itself, in one call or in a few focused
  calls that share the article as their prefix. Good for large remote models.
- ``candidates`` (``candidates.py``): code finds the candidate facts and copies their words
  (``summarizer.analysis``), and the model answers one small question per candidate that code
  cannot settle. Good for small models.

Both give the same ``Extraction``, so caching, grounding and every face of the product stay the same.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from summarizer.llm import LLMClient
from summarizer.prompts import Prompt
from summarizer.record import ExtractionRun


@dataclass(frozen=True)
class ArticleJob:
    """One normalized article as a strategy sees it."""

    text: str  # the normalized text: what the model reads
    title: str | None
    prompt: Prompt
    cache_key: str  # names the article's requests (replay recordings are filed under it)


class Strategy(Protocol):
    name: str

    def key_material(self) -> dict[str, Any]:
        """What, besides the prompt and the model, changes this strategy's answer (for the cache key)."""
        ...

    def extract(self, job: ArticleJob) -> ExtractionRun: ...


def strategy_for(prompt: Prompt, llm: LLMClient) -> Strategy:
    if prompt.meta.strategy == "candidates":
        from summarizer.strategies.candidates import CandidatesStrategy

        return CandidatesStrategy(llm)
    from summarizer.strategies.steps import StepsStrategy

    return StepsStrategy(llm)


def check_prompt(prompt: Prompt) -> None:
    """Refuse at start a prompt whose strategy cannot run it (raises ``PromptError``)."""
    if prompt.meta.strategy == "candidates":
        from summarizer.strategies.candidates import check_questions

        check_questions(prompt)
    else:
        from summarizer.strategies.steps import check_steps

        check_steps(prompt)
