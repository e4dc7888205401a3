"""Turn the model's extraction into the public ``ArticleSummary``: ground every fact, read counts."""

from __future__ import annotations

from summarizer.counts import parse_count
from summarizer.extraction import ActionFact, ActorFact, CasualtyFact, Extraction, StatementFact
from summarizer.grounding import Grounder
from summarizer.schema import (
    Action,
    Actor,
    ArticleMeta,
    ArticleSummary,
    Casualty,
    Count,
    Evidence,
    GroundingReport,
    GroundingStatus,
    Provenance,
    QuoteCheck,
    Statement,
)


def build_summary(
    extraction: Extraction, grounder: Grounder, provenance: Provenance, *, result_id: str, article: ArticleMeta
) -> ArticleSummary:
    actors = [_actor(fact, grounder) for fact in _unique_actors(extraction.actors)]
    actions = [_action(fact, grounder) for fact in extraction.actions]
    casualties = [_casualty(fact, grounder) for fact in extraction.casualties]
    statements = [_statement(fact, grounder) for fact in extraction.statements]
    evidence = [
        *(a.evidence for a in actors),
        *(a.evidence for a in actions),
        *(c.evidence for c in casualties),
        *(c.count.evidence for c in casualties),
        *(s.evidence for s in statements),
    ]
    return ArticleSummary(
        id=result_id,
        article=article,
        summary=extraction.summary,
        actors=actors,
        actions=actions,
        casualties=casualties,
        statements=statements,
        grounding=GroundingReport(
            facts=len(evidence),
            grounded=sum(e.status is GroundingStatus.grounded for e in evidence),
            fuzzy=sum(e.status is GroundingStatus.fuzzy for e in evidence),
            ungrounded=sum(e.status is GroundingStatus.ungrounded for e in evidence),
        ),
        provenance=provenance,
    )


def _unique_actors(facts: list[ActorFact]) -> list[ActorFact]:
    seen: set[str] = set()
    unique = []
    for fact in facts:
        key = fact.name.casefold()
        if key not in seen:
            seen.add(key)
            unique.append(fact)
    return unique


def _actor(fact: ActorFact, grounder: Grounder) -> Actor:
    return Actor(
        name=fact.name,
        kind=fact.kind,
        title=fact.title,
        affiliation=fact.affiliation,
        aliases=fact.aliases,
        evidence=grounder.locate(fact.evidence),
    )


def _action(fact: ActionFact, grounder: Grounder) -> Action:
    return Action(
        actors=fact.actors,
        type=fact.type,
        targets=fact.targets,
        location=fact.location,
        time=fact.time,
        modality=fact.modality,
        evidence=grounder.locate(fact.evidence),
    )


def _casualty(fact: CasualtyFact, grounder: Grounder) -> Casualty:
    evidence = grounder.locate(fact.evidence)
    low, high = parse_count(fact.count)
    return Casualty(
        victims=fact.victims,
        outcome=fact.outcome,
        count=Count(text=fact.count, low=low, high=high, evidence=_count_evidence(fact.count, evidence, grounder)),
        event=fact.event,
        reported_by=fact.reported_by,
        evidence=evidence,
    )


def _count_evidence(phrase: str, evidence: Evidence, grounder: Grounder) -> Evidence:
    """The number phrase inside the fact's own evidence if it is there, else anywhere in the article."""
    if evidence.start is not None and evidence.end is not None:
        inside = grounder.locate_words(phrase, window=(evidence.start, evidence.end))
        if inside.status is not GroundingStatus.ungrounded:
            return inside
    return grounder.locate_words(phrase)


def _statement(fact: StatementFact, grounder: Grounder) -> Statement:
    evidence = grounder.locate(fact.text)
    if not fact.verbatim:
        check = QuoteCheck.paraphrase
    elif evidence.status is GroundingStatus.grounded and _inside_quotes(grounder.article, evidence.start or 0):
        check = QuoteCheck.verbatim_found
    else:
        check = QuoteCheck.verbatim_not_found
    return Statement(
        speaker=fact.speaker,
        speaker_title=fact.speaker_title,
        text=fact.text,
        verbatim=fact.verbatim,
        quote_check=check,
        about=fact.about,
        evidence=evidence,
    )


_OPENING = {"“", "«", "„"}
_CLOSING = {"”", "»"}


def _inside_quotes(article: str, start: int) -> bool:
    """Whether ``start`` lies inside quotation marks opened earlier in the same paragraph."""
    paragraph_start = article.rfind("\n\n", 0, start) + 1
    before = article[paragraph_start : start + 1]
    depth = 0
    straight = 0
    for ch in before:
        if ch in _OPENING:
            depth = 1
        elif ch in _CLOSING:
            depth = 0
        elif ch == '"':
            straight += 1
    return depth == 1 or straight % 2 == 1
