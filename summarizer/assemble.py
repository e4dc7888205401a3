"""Turn an extraction into the public ``ArticleSummary``: ground every fact, check its claim, read counts.

Each fact's evidence is found in the article (``grounding.py``), then weakened where it does not
carry the fact's claim (``claims.py``); exact duplicates are merged; the summary sentence keeps
only what grounded facts hold (``summary_text.py``); passages that address the summarizer are
listed in ``flagged_passages``; the article's own dateline fills ``dateline``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypeVar

from summarizer.claims import ClaimChecker
from summarizer.counts import parse_count
from summarizer.extraction import ActionFact, ActorFact, CasualtyFact, Extraction, StatementFact
from summarizer.grounding import Grounder
from summarizer.normalize import article_dateline
from summarizer.record import TextAttribution
from summarizer.rules.engine import collect
from summarizer.schema import (
    Action,
    Actor,
    ArticleMeta,
    ArticleSummary,
    Casualty,
    Count,
    Dateline,
    Evidence,
    EvidenceReason,
    GroundingReport,
    GroundingStatus,
    Provenance,
    Statement,
)
from summarizer.summary_text import check_summary

FactT = TypeVar("FactT", Actor, Action, Casualty, Statement)


def build_summary(
    extraction: Extraction,
    grounder: Grounder,
    provenance: Provenance,
    *,
    result_id: str,
    article: ArticleMeta,
    attributions: list[TextAttribution] | None = None,
) -> ArticleSummary:
    checker = ClaimChecker(grounder, attributions or [])
    actors = _unique(_actor(fact, grounder, checker) for fact in _unique_actors(extraction.actors))
    actions = _unique(_action(fact, grounder, checker) for fact in extraction.actions)
    casualties = _unique(_casualty(fact, grounder, checker) for fact in extraction.casualties)
    statements = _unique(_statement(fact, grounder, checker) for fact in extraction.statements)
    evidence = [
        *(a.evidence for a in actors),
        *(a.evidence for a in actions),
        *(c.evidence for c in casualties),
        *(c.count.evidence for c in casualties),
        *(s.evidence for s in statements),
    ]
    summary, summary_check = check_summary(extraction.summary, actors, actions, casualties, statements)
    return ArticleSummary(
        id=result_id,
        article=article,
        summary=summary,
        summary_check=summary_check,
        flagged_passages=[_passage(grounder, span) for span in checker.passages],
        dateline=summary_dateline(grounder, article),
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


def summary_dateline(grounder: Grounder, article: ArticleMeta) -> Dateline | None:
    """The article's own dateline (``normalize.article_dateline``): its place, its words as evidence, and its
    date when it gives a day and a month and the year is known, from the dateline or the publication day
    (resolved as every date of a report is, ``stories.dates.resolve_dates``; no year is guessed)."""
    from summarizer.stories.dates import resolve_dates
    from summarizer.stories.incidents import parse_published

    with collect() as trace:
        found = article_dateline(grounder.normalized.text)
    if found is None:
        return None
    days = resolve_dates(found.date, parse_published(article.published_at)) if found.date else []
    return Dateline(
        place=found.place,
        date=days[0].isoformat() if len(days) == 1 else None,
        evidence=grounder.evidence_at((found.start, found.end)),
        rules=list(trace.ids()),
    )


def _unique(facts: Iterable[FactT]) -> list[FactT]:
    """Exact duplicates merged: the same fact, on the same evidence, is kept once, with the rules of both."""
    kept: dict[str, FactT] = {}
    for fact in facts:
        key = fact.model_dump_json(exclude={"rules"})
        if key in kept:
            _merge_rules(kept[key], fact)
        else:
            kept[key] = fact
    return list(kept.values())


def _merge_rules(kept: Actor | Action | Casualty | Statement | ActorFact, other: FactT | ActorFact) -> None:
    kept.rules.extend(r for r in other.rules if r not in kept.rules)


def _unique_actors(facts: list[ActorFact]) -> list[ActorFact]:
    kept: dict[str, ActorFact] = {}
    for fact in facts:
        key = fact.name.casefold()
        if key in kept:
            _merge_rules(kept[key], fact)
        else:
            kept[key] = fact.model_copy(update={"rules": list(fact.rules)})  # the stored record stays as it was
    return list(kept.values())


def _actor(fact: ActorFact, grounder: Grounder, checker: ClaimChecker) -> Actor:
    return Actor(
        name=fact.name,
        kind=fact.kind,
        title=fact.title,
        affiliation=fact.affiliation,
        aliases=fact.aliases,
        evidence=checker.actor(fact, grounder.locate(fact.evidence)),
        rules=list(fact.rules),
    )


def _action(fact: ActionFact, grounder: Grounder, checker: ClaimChecker) -> Action:
    return Action(
        actors=fact.actors,
        type=fact.type,
        targets=fact.targets,
        location=fact.location,
        instrument=fact.instrument,
        time=fact.time,
        time_frame=fact.time_frame,
        date=fact.date,
        modality=fact.modality,
        evidence=checker.passage_check(grounder.locate(fact.evidence)),
        rules=list(fact.rules),
    )


def _casualty(fact: CasualtyFact, grounder: Grounder, checker: ClaimChecker) -> Casualty:
    evidence, count_evidence = checker.casualty(fact, grounder.locate(fact.evidence))
    low, high = parse_count(fact.count)
    return Casualty(
        victims=fact.victims,
        outcome=fact.outcome,
        count=Count(text=fact.count, low=low, high=high, evidence=count_evidence),
        event=fact.event,
        reported_by=fact.reported_by,
        modality=fact.modality,
        time_frame=fact.time_frame,
        date=fact.date,
        evidence=evidence,
        rules=list(fact.rules),
    )


def _statement(fact: StatementFact, grounder: Grounder, checker: ClaimChecker) -> Statement:
    evidence = grounder.locate(fact.text.strip().strip('"“”„«»'))  # the words, not the marks around them
    quote_check, evidence = checker.quote(fact.text, fact.verbatim, evidence)
    speaker_check, attributed_to, evidence = checker.speaker(fact.speaker, evidence)
    return Statement(
        speaker=fact.speaker,
        speaker_title=fact.speaker_title,
        text=fact.text,
        verbatim=fact.verbatim,
        quote_check=quote_check,
        speaker_check=speaker_check,
        attributed_to=attributed_to,
        about=fact.about,
        evidence=checker.passage_check(evidence),
        rules=list(fact.rules),
    )


def _passage(grounder: Grounder, span: tuple[int, int]) -> Evidence:
    return grounder.evidence_at(span, status=GroundingStatus.fuzzy, reason=EvidenceReason.instruction_passage)
