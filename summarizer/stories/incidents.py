"""The events one summary reports, as incidents: an action or a casualty figure, and what tells it.

An incident is what linking compares across articles: who did it (actors), to whom (targets and
victims), where, when (dates resolved against the article's publication day), its kind, and its
casualty figures. Within one article, an action's incident takes the casualty figures whose
evidence shares its sentence, unless the victims are the action's own side (a US contractor is not
a casualty of a US strike); a figure no action takes is an incident of its own.

What an action answered ("in retaliation for the rocket attack that killed a US contractor",
"following the death Friday of a U.S. contractor from rockets fired at a base in Kirkuk") is another
event: an incident of its own, ``answered_by`` the action's, with the places, day and figures its
words give, never the action's. Two reports that give one event as what the same event answered
tell one event (``linking``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property
from typing import NamedTuple

from summarizer.analysis.lexicon import alternative
from summarizer.extraction import ActionType, Modality, TimeFrame
from summarizer.schema import Action, ArticleSummary, Casualty, Evidence
from summarizer.stories.article_figures import figure_groups, group_total
from summarizer.stories.causes import Cause, cause_of, in_a_cause, told_inside
from summarizer.stories.dates import names_a_time, resolve_dates, weekdays_named
from summarizer.stories.grouping import joins_figure_before, merge_retellings
from summarizer.stories.kinds import SPECIFIC_KINDS, kinds_named
from summarizer.stories.names import is_distinctive, name_words, same_name
from summarizer.stories.spans import overlap, span_of

# Kinds of action that are events a story can be about (not calls, meetings or threats).
EVENT_TYPES = frozenset(
    {
        ActionType.airstrike,
        ActionType.shelling_or_rocket_attack,
        ActionType.bombing,
        ActionType.armed_clash,
        ActionType.attack,
        ActionType.protest,
        ActionType.arrest,
    }
)
_EVENT_MODALITIES = frozenset({Modality.actual, Modality.claimed})
# An action dated over a span of the past ("in the past years", "since 2014") is background, not an event.
_BACKGROUND_TIME = re.compile(rf"\b{alternative('background-span')}\b", re.IGNORECASE)
# "in Kirkuk", "near the town of Erbil", "at the Oxford Street bus station": a capitalised place after a preposition.
_PLACE = re.compile(
    rf"\b{alternative('place-preposition')}\s+"
    rf"(?:the\s+{alternative('settlement-kind')}\s+of\s+|the\s+(?:[a-z]+\s+)?)?"
    r"((?:[A-Z][\w'’-]+)(?:\s+(?:al-)?[A-Z][\w'’-]+){0,2})"
)


class Tally(NamedTuple):
    """A figure as linking compares it: one reported figure, or the sum of one sentence's figures."""

    low: int
    text: str
    victims: str


@dataclass(frozen=True)
class Source:
    """The article behind a summary, as linking needs it."""

    article: str
    summary: ArticleSummary
    published_at: date | None
    outlet: str | None
    title: str | None


@dataclass
class Incident:
    source: Source
    actions: list[Action] = field(default_factory=list)
    casualties: list[Casualty] = field(default_factory=list)
    kinds: set[ActionType] = field(default_factory=set)
    actors: set[str] = field(default_factory=set)
    targets: set[str] = field(default_factory=set)
    places: set[str] = field(default_factory=set)
    dates: set[date] = field(default_factory=set)
    weekdays: set[str] = field(default_factory=set)  # named days, for articles without a publication day
    spans: list[tuple[int, int]] = field(default_factory=list)
    members: list[str] = field(default_factory=list)  # "action:3", "casualty:0": which facts of the summary
    answered_by: Incident | None = None  # the action that answered this event (a cause told in its words)
    mentions: list[Evidence] = field(default_factory=list)  # words that tell it outside its facts

    @property
    def article(self) -> str:
        return self.source.article

    # What linking compares, computed once (an incident is complete before linking starts).
    @cached_property
    def named_actors(self) -> tuple[str, ...]:
        return tuple(sorted(a for a in self.actors if is_distinctive(a)))

    @cached_property
    def named_targets(self) -> tuple[str, ...]:
        return tuple(sorted(t for t in self.targets if is_distinctive(t)))

    @cached_property
    def sorted_places(self) -> tuple[str, ...]:
        return tuple(sorted(self.places))

    @cached_property
    def specific_kinds(self) -> frozenset[ActionType]:
        return frozenset(self.kinds & SPECIFIC_KINDS)

    @cached_property
    def figures(self) -> dict[str, list[Tally]]:
        """Figures with a number, by outcome: each one, and each sentence's sum (as the ledger sums)."""
        by_outcome: dict[str, list[Tally]] = {}
        for outcome in {c.outcome for c in self.casualties}:
            tallies = by_outcome.setdefault(outcome.value, [])
            for group in figure_groups([c for c in self.casualties if c.outcome == outcome]):
                numbered = [c for c in group if c.count.low is not None]
                tallies.extend(Tally(c.count.low or 0, c.count.text, c.victims) for c in numbered)
                total, _ = group_total(group)
                if len(group) > 1 and total is not None:
                    text = " + ".join(c.count.text for c in numbered)
                    tallies.append(Tally(total, text, " + ".join(c.victims for c in numbered)))
        return by_outcome

    @property
    def sort_key(self) -> tuple[int, int]:
        return min(self.spans, default=(0, 0))

    def absorb(self, other: Incident) -> None:
        """Take ``other``'s facts and features: the same event told twice in one article."""
        self.actions.extend(other.actions)
        self.casualties.extend(other.casualties)
        self.kinds |= other.kinds
        self.actors |= other.actors
        self.targets |= other.targets
        self.places |= other.places
        self.dates |= other.dates
        self.weekdays |= other.weekdays
        self.spans.extend(other.spans)
        self.members.extend(other.members)
        self.mentions.extend(other.mentions)
        self.answered_by = self.answered_by or other.answered_by


def parse_published(value: str | None) -> date | None:
    """The publication day of an ``ArticleMeta.published_at`` ('2019-12-31', ISO date-time), or None."""
    if not value:
        return None
    try:
        return datetime.fromisoformat(value.strip().replace("Z", "+00:00")).date()
    except ValueError:
        try:
            return date.fromisoformat(value.strip()[:10])
        except ValueError:
            return None


def source_of(summary: ArticleSummary, *, article: str | None = None, published_at: date | None = None) -> Source:
    meta = summary.article
    return Source(
        article=article or meta.id or summary.id,
        summary=summary,
        published_at=published_at or parse_published(meta.published_at),
        outlet=meta.source,
        title=meta.title,
    )


def _places(text: str) -> set[str]:
    return {match.group(1) for match in _PLACE.finditer(text) if not names_a_time(match.group(1).split()[0])}


def _action_incident(source: Source, index: int, action: Action) -> Incident:
    incident = Incident(source=source, actions=[action], kinds={action.type}, members=[f"action:{index}"])
    incident.actors.update(a for a in action.actors if a)
    incident.targets.update(t for t in action.targets if t)
    cause = cause_of(action)
    told = cause.rest if cause else action.evidence.text  # the cause's places and day are the cause's
    if action.location and (action.location in told or cause is None or action.location not in cause.text):
        incident.places.add(action.location)
    incident.places.update(_places(told))
    time = action.time or ""
    if cause is None or time in told or time not in cause.text:
        incident.dates.update(resolve_dates(time, source.published_at))
        incident.weekdays.update(weekdays_named(time))
    span = span_of(action)
    if span:
        incident.spans.append(span)
    return incident


def _cause_incident(source: Source, index: int, cause: Cause, answered_by: Incident) -> Incident:
    """The event an action answered, from the words that tell it (kinds, places, day)."""
    mention = Evidence(text=cause.text, status="grounded", start=cause.start, end=cause.end, score=1.0, reason="exact")
    return Incident(
        source=source,
        kinds=kinds_named(cause.text),
        places=_places(cause.text),
        dates=set(resolve_dates(cause.text, source.published_at)),
        weekdays=weekdays_named(cause.text),
        spans=[(cause.start, cause.end)],
        members=[f"cause:{index}"],
        answered_by=answered_by,
        mentions=[mention],
    )


def _add_casualty(incident: Incident, index: int, casualty: Casualty) -> None:
    incident.casualties.append(casualty)
    incident.members.append(f"casualty:{index}")
    incident.targets.add(casualty.victims)
    if incident.answered_by is None:  # a cause's places are its own words', not the whole sentence's
        incident.places.update(_places(casualty.evidence.text))
    span = span_of(casualty)
    if span:
        incident.spans.append(span)


def _own_side(casualty: Casualty, incident: Incident) -> bool:
    """Whether the victims are named after the action's actors ("US contractor" of a US strike).

    Only victims the evidence names count: a model's wrong victims must not move a figure.
    """
    if casualty.evidence.status != "grounded":
        return False
    victim_words = set(name_words(casualty.victims))
    for actor in incident.actors:
        if same_name(actor, casualty.victims):
            return True
        if any(same_name(actor, word) for word in victim_words if len(word) <= 12):
            return True
    return False


def _fit(casualty: Casualty, incident: Incident) -> int:
    """How well a casualty's own words name the incident's action: kind words and actor names."""
    score = 2 * len(kinds_named(casualty.event or "") & incident.kinds)
    if casualty.event and any(same_name(actor, casualty.event) for actor in incident.actors):
        score += 1
    return score


def _causes(source: Source, actions: list[tuple[int, Action]], incidents: list[Incident]) -> list[Incident]:
    """The events the actions answered. Another action of the sentence told inside the words of the
    cause is that event (it is marked ``answered_by``); else the words make an incident of their own."""
    causes: list[Incident] = []
    for (index, action), incident in zip(actions, incidents, strict=True):
        cause = cause_of(action)
        if cause is None or told_inside(action, cause):
            continue  # no cause, or the action is the cause another action of the sentence answered
        inside = [
            other
            for (_, other_action), other in zip(actions, incidents, strict=True)
            if other is not incident and other_action.evidence == action.evidence and told_inside(other_action, cause)
        ]
        for other in inside:
            other.answered_by = other.answered_by or incident
        if not inside:
            causes.append(_cause_incident(source, index, cause, incident))
    return causes


def incidents_of(source: Source) -> list[Incident]:
    """The summary's events: its event actions, the casualty figures they take, the events those
    actions answered, and figures alone."""
    summary = source.summary
    events = [
        (index, action)
        for index, action in enumerate(summary.actions)
        if action.type in EVENT_TYPES
        and action.modality in _EVENT_MODALITIES
        and span_of(action)
        and not _BACKGROUND_TIME.search(action.time or "")
        and action.time_frame is not TimeFrame.background  # an earlier event told for context
    ]
    incidents = [_action_incident(source, index, action) for index, action in events]
    causes = _causes(source, events, incidents)
    incidents = merge_retellings(incidents)
    alone: list[Incident] = []
    for index, casualty in enumerate(summary.casualties):
        span = span_of(casualty)
        if span is None or (casualty.count.low is None and casualty.count.high is None and not casualty.count.text):
            continue
        if casualty.time_frame is TimeFrame.background:  # a toll of an earlier event, told for context
            continue
        number = casualty.count.evidence.start
        home = next((c for c in causes if number is not None and c.spans[0][0] <= number < c.spans[0][1]), None)
        if home is not None:  # "following the death Friday of a U.S. contractor": the cause's figure
            _add_casualty(home, index, casualty)
            continue
        takers = [
            incident
            for incident in incidents
            if any(overlap(span, s) for s in incident.spans if incident.actions)
            and not _own_side(casualty, incident)
            and not in_a_cause(casualty, incident.actions)
        ]
        if takers:
            best = max(
                takers,
                key=lambda incident: (
                    _fit(casualty, incident),
                    any(overlap(span, s) for c in incident.casualties if (s := span_of(c))),
                    -incidents.index(incident),
                ),
            )
            _add_casualty(best, index, casualty)
            continue
        # Figures of one sentence ("a US citizen killed and four service members injured") go together.
        same_sentence = next((incident for incident in alone if any(overlap(span, s) for s in incident.spans)), None)
        if same_sentence is None:
            same_sentence = Incident(source=source)
            alone.append(same_sentence)
        _add_casualty(same_sentence, index, casualty)
    alone = [incident for incident in alone if not joins_figure_before(incident, incidents + alone)]
    for incident in incidents + alone:
        for casualty in incident.casualties:
            incident.kinds.update(kinds_named(casualty.evidence.text))
            incident.dates.update(resolve_dates(casualty.evidence.text, source.published_at))
            incident.weekdays.update(weekdays_named(casualty.evidence.text))
    # Now that lone figures know their kind ("killed in the blast"), the untold parts of one attack join.
    final = merge_retellings(sorted(incidents + alone + causes, key=lambda incident: incident.sort_key))
    owner = {member: incident for incident in final for member in incident.members}
    for incident in final:
        if incident.answered_by is not None:  # the answer may have been merged into a retelling
            incident.answered_by = owner.get(incident.answered_by.members[0])
    return final
