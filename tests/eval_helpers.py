"""Builders for hand-made ``ArticleSummary`` objects and gold files in the evaluation tests."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from summarizer.evaluation.gold import GoldFile
from summarizer.extraction import ActionType, ActorKind, Modality, Outcome
from summarizer.schema import (
    Action,
    Actor,
    ArticleMeta,
    ArticleSummary,
    Casualty,
    Count,
    Evidence,
    EvidenceReason,
    GroundingReport,
    GroundingStatus,
    Provenance,
    QuoteCheck,
    SpeakerCheck,
    Statement,
    SummaryCheck,
    Usage,
)


def evidence(text: str = "snippet", article: str | None = None) -> Evidence:
    """Grounded with offsets when ``text`` stands in ``article``, else ungrounded (as the grounder would say)."""
    start = article.find(text) if article is not None else -1
    if start < 0:
        return Evidence(text=text, status=GroundingStatus.ungrounded, score=0.0, reason=EvidenceReason.not_found)
    end = start + len(text)
    return Evidence(
        text=text, status=GroundingStatus.grounded, start=start, end=end, score=1.0, reason=EvidenceReason.exact
    )


def actor(name: str, *aliases: str, article: str | None = None) -> Actor:
    return Actor(name=name, kind=ActorKind.other, aliases=list(aliases), evidence=evidence(name, article))


def action(actors: Sequence[str], targets: Sequence[str] = (), location: str | None = None) -> Action:
    return Action(
        actors=list(actors),
        type=ActionType.attack,
        targets=list(targets),
        location=location,
        modality=Modality.actual,
        evidence=evidence(),
    )


def casualty(
    victims: str,
    outcome: str,
    low: int | None,
    high: int | None = None,
    *,
    text: str | None = None,
    article: str | None = None,
) -> Casualty:
    """A casualty figure: exact (high = low) unless a phrase ``text`` is given; its number is found in ``article``."""
    high = low if high is None and text is None else high
    phrase = text if text is not None else str(low)
    return Casualty(
        victims=victims,
        outcome=Outcome(outcome),
        count=Count(text=phrase, low=low, high=high, evidence=evidence(phrase, article)),
        evidence=evidence(),
    )


def statement(
    speaker: str, text: str, check: QuoteCheck = QuoteCheck.paraphrase, *, article: str | None = None
) -> Statement:
    return Statement(
        speaker=speaker,
        text=text,
        verbatim=check is not QuoteCheck.paraphrase,
        quote_check=check,
        speaker_check=SpeakerCheck.unknown,
        evidence=evidence(text, article),
    )


def provenance(article_text: str = "", **changes: Any) -> Provenance:
    now = datetime(2026, 1, 1, tzinfo=UTC)
    fields: dict[str, Any] = {
        "schema_version": "3",
        "prompt_name": "summarize",
        "prompt_version": "v1",
        "prompt_sha256": "0" * 64,
        "model": "test-model",
        "backend": "replay",
        "cache_key": "k" * 64,
        "cache_hit": False,
        "attempts": 1,
        "usage": Usage(prompt_tokens=100, completion_tokens=20, total_tokens=120),
        "llm_latency_ms": 10.0,
        "latency_ms": 12.0,
        "created_at": now,
        "served_at": now,
        "summarizer_version": "0.1.0",
        "article_sha256": hashlib.sha256(article_text.encode("utf-8")).hexdigest(),
        "article_chars": len(article_text),
    }
    fields.update(changes)
    return Provenance(**fields)


def summary(
    actors: Sequence[Actor] = (),
    actions: Sequence[Action] = (),
    casualties: Sequence[Casualty] = (),
    statements: Sequence[Statement] = (),
    *,
    article_text: str = "",
    **provenance_changes: Any,
) -> ArticleSummary:
    everything = [
        *(a.evidence for a in actors),
        *(a.evidence for a in actions),
        *(c.evidence for c in casualties),
        *(c.count.evidence for c in casualties),
        *(s.evidence for s in statements),
    ]
    return ArticleSummary(
        id="sum_test",
        article=ArticleMeta(),
        summary="A test summary.",
        summary_check=SummaryCheck.ok,
        actors=list(actors),
        actions=list(actions),
        casualties=list(casualties),
        statements=list(statements),
        grounding=GroundingReport(
            facts=len(everything),
            grounded=sum(e.status is GroundingStatus.grounded for e in everything),
            fuzzy=sum(e.status is GroundingStatus.fuzzy for e in everything),
            ungrounded=sum(e.status is GroundingStatus.ungrounded for e in everything),
        ),
        provenance=provenance(article_text, **provenance_changes),
    )


def gold(**facts: Any) -> GoldFile:
    return GoldFile.model_validate({"article": "article.txt", **facts})


def write_json(path: Path, data: Any) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=1, ensure_ascii=False), encoding="utf-8")
    return path
