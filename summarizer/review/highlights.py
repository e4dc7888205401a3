"""What a review page shows: the facts of a summary, and the article cut into highlighted segments.

Each fact's evidence (and a casualty's count phrase) is a span of the *original* article text, the
text whose offsets ``grounding`` records. Spans overlap freely (an actor's name inside an action's
sentence inside a statement), so the text is cut at every span boundary: each segment carries every
span that covers it, and the page draws one element per segment. Nothing here knows about HTML.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property
from itertools import pairwise

from summarizer.schema import ArticleSummary, Evidence, GroundingStatus

HIGHLIGHTED = (GroundingStatus.grounded, GroundingStatus.fuzzy)


class Kind(StrEnum):
    actor = "actor"
    action = "action"
    casualty = "casualty"
    statement = "statement"
    flagged = "flagged"  # a passage that addresses the summarizer: not a fact, shown so a reader sees it


@dataclass(frozen=True)
class EvidenceView:
    """One piece of evidence of a fact, with the id its highlights carry (``e3``)."""

    id: str
    role: str  # "evidence", or "count phrase" for a casualty's figure
    evidence: Evidence
    span: tuple[int, int] | None  # where it stands in the article text given to the page, if anywhere

    @property
    def located(self) -> bool:
        return self.span is not None

    @property
    def highlighted(self) -> bool:
        return self.located and self.evidence.status in HIGHLIGHTED


@dataclass(frozen=True)
class FactView:
    id: str  # f3
    kind: Kind
    label: str  # one line, for the side panel and a highlight's tooltip
    details: list[tuple[str, str]]
    evidence: list[EvidenceView]
    badges: list[tuple[str, str]] = field(default_factory=list)  # (css class, text), e.g. verbatim found
    rules: tuple[str, ...] = ()  # the ids of the rules that found and shaped it (shown on hover)

    @property
    def status(self) -> GroundingStatus:
        return self.evidence[0].evidence.status


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    evidence: EvidenceView
    fact: FactView


@dataclass(frozen=True)
class Segment:
    """A stretch of text and every span over it (none: plain text)."""

    text: str
    spans: tuple[Span, ...]

    @cached_property
    def highlights(self) -> tuple[Span, ...]:
        """The spans drawn as highlights: grounded or fuzzy evidence of facts."""
        return tuple(s for s in self.spans if s.fact.kind is not Kind.flagged and s.evidence.highlighted)

    @cached_property
    def ungrounded(self) -> tuple[Span, ...]:
        """Ungrounded evidence that still has offsets (found, but not carrying its claim)."""
        return tuple(
            s
            for s in self.spans
            if s.fact.kind is not Kind.flagged and s.evidence.located and not s.evidence.highlighted
        )

    @cached_property
    def flagged(self) -> tuple[Span, ...]:
        return tuple(s for s in self.spans if s.fact.kind is Kind.flagged)

    @cached_property
    def facts(self) -> list[FactView]:
        """The facts of every span over the segment, each once, in page order."""
        seen: dict[str, FactView] = {}
        for span in self.spans:
            seen.setdefault(span.fact.id, span.fact)
        return sorted(seen.values(), key=lambda fact: int(fact.id[1:]))

    @cached_property
    def fact_ids(self) -> str:
        return " ".join(fact.id for fact in self.facts)

    @cached_property
    def highlight_ids(self) -> str:
        return " ".join(span.evidence.id for span in self.highlights)

    @cached_property
    def primary(self) -> Span | None:
        """The innermost highlight (the shortest span): its kind gives the segment its colour."""
        spans = self.highlights
        return min(spans, key=lambda s: (s.end - s.start, s.start)) if spans else None


def facts_of(summary: ArticleSummary, text_length: int | None) -> list[FactView]:
    """Every fact of ``summary`` in the order of the summary, then the flagged passages.

    ``text_length`` is the length of the article text the page shows (None: no text, nothing is located).
    """
    builder = _Builder(text_length)
    for actor in summary.actors:
        details = [("kind", actor.kind.value)]
        details += [
            (name, value) for name, value in (("title", actor.title), ("affiliation", actor.affiliation)) if value
        ]
        if actor.aliases:
            details.append(("aliases", ", ".join(actor.aliases)))
        builder.add(Kind.actor, actor.name, details, [("evidence", actor.evidence)], rules=actor.rules)
    for action in summary.actions:
        label = f"{', '.join(action.actors) or '?'} — {action.type.value}"
        if action.targets:
            label += f" → {', '.join(action.targets)}"
        details = [("modality", action.modality.value)]
        details += [(name, value) for name, value in (("location", action.location), ("time", action.time)) if value]
        builder.add(Kind.action, label, details, [("evidence", action.evidence)], rules=action.rules)
    for casualty in summary.casualties:
        count = casualty.count
        details = [
            ("phrase", count.text),
            ("low", _bound(count.low)),
            ("high", _bound(count.high)),
            ("outcome", casualty.outcome.value),
            ("victims", casualty.victims),
        ]
        details += [(n, v) for n, v in (("reported by", casualty.reported_by), ("event", casualty.event)) if v]
        label = f"{count.text} {casualty.outcome.value}: {casualty.victims}"
        evidence = [("evidence", casualty.evidence), ("count phrase", count.evidence)]
        builder.add(Kind.casualty, label, details, evidence, rules=casualty.rules)
    for statement in summary.statements:
        details = [("speaker", statement.speaker)]
        details += [(n, v) for n, v in (("title", statement.speaker_title), ("about", statement.about)) if v]
        details.append(("speaker check", statement.speaker_check.value))
        if statement.attributed_to:
            details.append(("the article attributes it to", statement.attributed_to))
        quote = statement.quote_check.value
        badge = ("ok" if quote == "verbatim_found" else "warn" if quote == "verbatim_not_found" else "neutral", quote)
        label = f"{statement.speaker}: “{statement.text}”"
        builder.add(
            Kind.statement, label, details, [("evidence", statement.evidence)], badges=[badge], rules=statement.rules
        )
    for passage in summary.flagged_passages:
        builder.add(Kind.flagged, "A passage addressing the summarizer", [], [("passage", passage)])
    return builder.facts


def _bound(value: int | None) -> str:
    return "—" if value is None else str(value)


class _Builder:
    def __init__(self, text_length: int | None):
        self.text_length = text_length
        self.facts: list[FactView] = []
        self._evidence = 0

    def add(
        self,
        kind: Kind,
        label: str,
        details: list[tuple[str, str]],
        evidence: list[tuple[str, Evidence]],
        *,
        badges: list[tuple[str, str]] | None = None,
        rules: list[str] | None = None,
    ) -> None:
        views = []
        for role, item in evidence:
            self._evidence += 1
            views.append(EvidenceView(f"e{self._evidence}", role, item, self._span(item)))
        fact = FactView(f"f{len(self.facts) + 1}", kind, label, details, views, badges or [], tuple(rules or ()))
        self.facts.append(fact)

    def _span(self, evidence: Evidence) -> tuple[int, int] | None:
        start, end = evidence.start, evidence.end
        if self.text_length is None or start is None or end is None or not 0 <= start < end <= self.text_length:
            return None
        return start, end


def segments(text: str, facts: list[FactView]) -> list[Segment]:
    """``text`` cut at every boundary of every located span; each piece lists the spans covering it."""
    spans = [Span(*ev.span, ev, fact) for fact in facts for ev in fact.evidence if ev.span is not None]
    cuts = sorted({0, len(text), *(s.start for s in spans), *(s.end for s in spans)})
    starting: dict[int, list[Span]] = {}
    for span in spans:
        starting.setdefault(span.start, []).append(span)
    out: list[Segment] = []
    active: list[Span] = []
    for start, end in pairwise(cuts):
        active = [s for s in active if s.end > start] + starting.get(start, [])
        out.append(Segment(text[start:end], tuple(active)))
    return out
