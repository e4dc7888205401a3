"""Why a summary holds what it holds: each fact with the rules behind it, and the candidates the rules found
and then dropped, with the rule that dropped each (what ``summarizer explain`` prints).

A wrong fact points at its rules; a missing one is often among the dropped candidates, next to the rule
that dropped it. The dropped candidates come from running the finders again on the article (no model):
the finders' drops are the summary's own; compose's depend on no model answer but one, a statement
whose speaker code could not name, and such a statement is not listed when the model named its speaker
(it is then among the facts).
"""

from __future__ import annotations

from dataclasses import dataclass

from summarizer.analysis.traces import Dropped
from summarizer.schema import SCHEMA_VERSION, Action, Actor, ArticleSummary, Casualty, Statement

_NO_SPEAKER = "compose.drop.no-speaker"


@dataclass(frozen=True)
class Explanation:
    summary: ArticleSummary
    dropped: list[Dropped]  # offsets into the original article (-1: none)


def dropped_candidates(text: str, summary: ArticleSummary | None = None) -> list[Dropped]:
    """The candidates the rules dropped in ``text``, offsets mapped to the original text."""
    from summarizer.analysis.finders import find_candidates
    from summarizer.normalize import normalize
    from summarizer.strategies.candidates import code_extraction

    normalized = normalize(text)
    found = find_candidates(normalized.text)
    code_extraction(found)  # compose's drops join the finders'
    spoken = {s.text for s in summary.statements} if summary is not None else set()
    kept: list[Dropped] = []
    for candidate in found.dropped:
        if candidate.dropped_by == _NO_SPEAKER and any(candidate.text[:60] in words for words in spoken):
            continue  # the model named its speaker: it is a fact of the summary
        start, end = (-1, -1)
        if 0 <= candidate.start < candidate.end <= len(normalized.text):
            start, end = normalized.original_span(candidate.start, candidate.end)
        kept.append(Dropped(candidate.kind, start, end, candidate.text, candidate.rules, candidate.dropped_by))
    return kept


def code_only_summary(text: str, *, origin: str | None = None) -> ArticleSummary:
    """The summary code gives on its own, no model asked: the candidates strategy's facts without its
    questions, grounded and checked as any summary (provenance: backend and model "none")."""
    from datetime import UTC, datetime

    from summarizer._version import __version__
    from summarizer.analysis.finders import find_candidates
    from summarizer.article import check_article, text_sha256
    from summarizer.assemble import build_summary
    from summarizer.grounding import Grounder
    from summarizer.normalize import normalize
    from summarizer.rules.loader import rules_sha256
    from summarizer.schema import ArticleMeta, Provenance, Usage
    from summarizer.strategies.candidates import code_extraction

    check_article(text, max_chars=len(text) + 1, origin=origin)
    normalized = normalize(text)
    found = find_candidates(normalized.text)
    now = datetime.now(UTC)
    provenance = Provenance(
        schema_version=SCHEMA_VERSION,
        prompt_name="none",
        prompt_version="none",
        prompt_sha256="",
        model="none",
        backend="none",
        cache_key="",
        cache_hit=False,
        attempts=0,
        usage=Usage(),
        llm_latency_ms=0.0,
        latency_ms=0.0,
        created_at=now,
        served_at=now,
        summarizer_version=__version__,
        rules_sha256=rules_sha256(),
        article_sha256=text_sha256(text),
        article_chars=len(text),
    )
    return build_summary(
        code_extraction(found),
        Grounder(text, normalized),
        provenance,
        result_id="code_only",
        article=ArticleMeta(id=origin),
        attributions=found.attributions(),
    )


def render(explanation: Explanation) -> list[str]:
    """The explanation as text lines."""
    summary = explanation.summary
    lines = [f"{summary.article.id or summary.id}: {summary.summary}", ""]
    sections: list[tuple[str, list[tuple[str, Actor | Action | Casualty | Statement]]]] = [
        ("actors", [(_actor(a), a) for a in summary.actors]),
        ("actions", [(_action(a), a) for a in summary.actions]),
        ("casualties", [(_casualty(c), c) for c in summary.casualties]),
        ("statements", [(_statement(s), s) for s in summary.statements]),
    ]
    for title, facts in sections:
        lines.append(f"{title} ({len(facts)})")
        for number, (line, fact) in enumerate(facts, 1):
            evidence = fact.evidence
            where = f"{evidence.start}-{evidence.end}" if evidence.start is not None else "not found"
            lines.append(f"  {number}. {line}  [{evidence.status.value}, {where}]")
            lines.append(f"     rules: {', '.join(fact.rules) or '(none recorded)'}")
        lines.append("")
    lines.append(f"dropped candidates ({len(explanation.dropped)})")
    for candidate in explanation.dropped:
        where = f"{candidate.start}-{candidate.end}" if candidate.start >= 0 else "-"
        found_by = [r for r in candidate.rules if r != candidate.dropped_by]
        lines.append(f"  {candidate.kind} {candidate.text!r} [{where}] dropped by {candidate.dropped_by}")
        lines.append(f"     after: {', '.join(found_by) or '(no rule)'}")
    return lines


def _actor(actor: Actor) -> str:
    aliases = f" (also {', '.join(actor.aliases)})" if actor.aliases else ""
    title = f", {actor.title}" if actor.title else ""
    return f"{actor.name}{title}{aliases}: {actor.kind.value}"


def _action(action: Action) -> str:
    who = ", ".join(action.actors) or "?"
    whom = f" -> {', '.join(action.targets)}" if action.targets else ""
    where = f" in {action.location}" if action.location else ""
    when = f" ({action.time})" if action.time else ""
    return f"{action.type.value}: {who}{whom}{where}{when}, {action.modality.value}"


def _casualty(casualty: Casualty) -> str:
    by = f", reported by {casualty.reported_by}" if casualty.reported_by else ""
    return f"{casualty.count.text} {casualty.victims} {casualty.outcome.value}{by}"


def _statement(statement: Statement) -> str:
    quoted = '"' if statement.verbatim else ""
    words = statement.text if len(statement.text) <= 90 else statement.text[:87] + "..."
    return f"{statement.speaker}: {quoted}{words}{quoted}"
