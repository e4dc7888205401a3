"""Event tables: one row per action of a violent or political kind, in the shape conflict datasets use
(ACLED's columns), with the project's own columns beside them.

Every cell comes from the summary it was made of, or, for derived columns (ISO codes, coordinates), from
the gazetteer entry named in ``geo_source``; a cell nothing supports stays empty. Three rules decide
what no single fact holds:

- **Event type** (``EVENT_TYPES``): each action type maps to an ACLED event type and sub-type; an
  ``attack`` on an armed actor (a target the summary lists as military or an armed group) is a battle,
  any other attack is violence against civilians.
- **Figures tied to an action**: a casualty figure belongs to the action whose evidence overlaps its own
  (the same sentence), the first violent one if several do, else the first. ``fatalities`` is the most
  conservative killed figure so tied (the smallest low end), ``fatalities_high`` the largest high end,
  ``fatalities_best`` the number every one of them agrees with (``stories.ledger.agreed_figure``), and
  ``notes`` lists every tied figure with who reported it. A figure tied to no action is in no row.
- **Place**: the action's ``location`` resolved by ``summarizer.geo`` in the context of the article's
  words (the evidence of every fact and the dateline); the dateline's place is resolved on its own columns.

``event_id`` is stable: the same action of the same stored summary always gets the same id.

Given a story set (``summarizer stories``), each story is a row too (``record`` = ``story``): one incident
told by several reports, its fatalities from the ledger's reconciled killed line (``fatalities`` the
conservative figure, the lowest reported; ``fatalities_best`` the number every report agrees with;
``fatalities_high`` the highest bound reported), and every
action row of its reports carries the story's id.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict, Field

from summarizer.extraction import ActionType, ActorKind, Outcome
from summarizer.geo import GeoPlace, article_context, resolve
from summarizer.schema import Action, ArticleSummary, Casualty
from summarizer.stories.ledger import agreed_figure
from summarizer.stories.model import LedgerLine, Story, StorySet

TABLE_NAME = "event-table"
TABLE_VERSION = "1"

VIOLENT = frozenset(
    {
        ActionType.airstrike,
        ActionType.shelling_or_rocket_attack,
        ActionType.bombing,
        ActionType.armed_clash,
        ActionType.attack,
    }
)
ARMED = frozenset({ActorKind.military, ActorKind.armed_group})

# Action type -> (ACLED event type, sub-event type). ``attack`` on an armed target: see ``_event_type``.
EVENT_TYPES: dict[ActionType, tuple[str, str]] = {
    ActionType.airstrike: ("Explosions/Remote violence", "Air/drone strike"),
    ActionType.shelling_or_rocket_attack: ("Explosions/Remote violence", "Shelling/artillery/missile attack"),
    ActionType.bombing: ("Explosions/Remote violence", "Remote explosive/landmine/IED"),
    ActionType.armed_clash: ("Battles", "Armed clash"),
    ActionType.attack: ("Violence against civilians", "Attack"),
    ActionType.protest: ("Protests", "Peaceful protest"),
    ActionType.arrest: ("Strategic developments", "Arrests"),
    ActionType.sanction: ("Strategic developments", "Other"),
    ActionType.diplomatic_contact: ("Strategic developments", "Other"),
    ActionType.threat: ("Strategic developments", "Other"),
}
ATTACK_ON_ARMED = ("Battles", "Armed clash")


class EventRow(BaseModel):
    """One row of the event table; the field order is the column order."""

    model_config = ConfigDict(extra="forbid")

    event_id: str = Field(
        description="Stable id: the same action of the same stored summary (or the same story) gets the same id"
    )
    event_date: str | None = Field(description="ISO date (YYYY-MM-DD) the article's words resolve the action to")
    event_type: str | None = Field(description="ACLED event type, mapped from action_type (see the documented table)")
    sub_event_type: str | None = Field(description="ACLED sub-event type, mapped likewise")
    actor1: str | None = Field(description="The action's first actor")
    assoc_actor_1: str | None = Field(description="Its other actors, '; '-separated")
    actor2: str | None = Field(description="The action's first target")
    assoc_actor_2: str | None = Field(description="Its other targets, '; '-separated")
    country: str | None = Field(description="Country of the place, by name (gazetteer)")
    iso: str | None = Field(description="ISO 3166-1 alpha-2 code of that country")
    admin1: str | None = Field(description="First-level region, by name, where the gazetteer knows it")
    admin1_code: str | None = Field(description="ISO 3166-2 code of that region")
    location: str | None = Field(description="The place as the article words it")
    latitude: float | None = Field(description="Of the gazetteer's town (WGS 84)")
    longitude: float | None = Field(description="Of the gazetteer's town (WGS 84)")
    geo_precision: str | None = Field(description="town, region, country or unresolved; empty when no place is told")
    geo_source: str | None = Field(description="The gazetteer entry: geonames:<id>, iso3166-1:<cc>, iso3166-2:<code>")
    fatalities: int | None = Field(
        description="The most conservative killed figure tied to the action (story: the ledger's)"
    )
    fatalities_best: int | None = Field(
        description="The killed figure every figure tied to the action agrees with, UCDP's best estimate "
        "(story: its ledger's); empty when they disagree"
    )
    fatalities_high: int | None = Field(
        description="The largest killed figure tied to the action (story: its ledger's)"
    )
    source: str | None = Field(description="The article's outlet")
    notes: str | None = Field(description="Every figure tied to the action, with who reported it")
    record: str = Field(description="action (one action of one summary) or story (one incident across reports)")
    story_id: str | None = Field(
        description="The story the row is, or the story its action belongs to (the first, if several matched it)"
    )
    reports: int | None = Field(description="A story's reports (articles)")
    action_type: str | None = Field(description="The project's action type")
    modality: str | None = Field(description="actual, claimed, threatened, denied, attempted, planned or hypothetical")
    time_frame: str | None = Field(description="current (the report's event) or background")
    time: str | None = Field(description="When, as the article words it")
    instrument: str | None = Field(description="What it was done with")
    evidence: str | None = Field(description="The article's words the action stands on")
    evidence_start: int | None = Field(description="Their start offset in the article text")
    evidence_end: int | None = Field(description="Their end offset (exclusive)")
    grounding: str | None = Field(description="grounded, fuzzy or ungrounded: whether the words were found")
    rules: str | None = Field(description="The finders' rules behind the action, '; '-separated")
    dateline_place: str | None = Field(description="The article's dateline place, as written")
    dateline_iso: str | None = Field(description="ISO 3166-1 alpha-2 code of the dateline place's country")
    article_id: str | None = Field(description="The article's id")
    article_url: str | None = Field(description="The article's URL")
    summary_id: str | None = Field(description="The stored summary the row was made of")
    action_index: int | None = Field(description="The action's position in that summary's actions (from 0)")
    prompt_version: str | None = Field(description="The prompt version of that summary")
    schema_version: str = Field(description="The schema version of the summary (or of the story set)")


COLUMNS = tuple(EventRow.model_fields)


@dataclass(frozen=True)
class Tied:
    """The figures tied to one action."""

    figures: tuple[Casualty, ...]

    @property
    def killed(self) -> list[Casualty]:
        return [f for f in self.figures if f.outcome == Outcome.killed]


def event_rows(summaries: Iterable[ArticleSummary], stories: StorySet | None = None) -> Iterator[EventRow]:
    """The rows of every summary, in summary then action order; then, with ``stories``, one per story."""
    summaries = list(summaries)
    story_of = _story_of_actions(stories) if stories is not None else {}
    for summary in summaries:
        yield from summary_rows(summary, story_of)
    if stories is not None:
        by_id = {summary.id: summary for summary in summaries}
        for story in stories.stories:
            yield _story_row(stories, story, by_id)


def summary_rows(
    summary: ArticleSummary, story_of: dict[tuple[str, int | None, int | None], str] | None = None
) -> Iterator[EventRow]:
    context = article_context(" ".join(_article_words(summary)))
    dateline = summary.dateline.place if summary.dateline is not None else None
    dateline_place = resolve(dateline, context=context) if dateline else None
    tied = tie_figures(summary)
    for index, action in enumerate(summary.actions):
        if action.type not in EVENT_TYPES:
            continue
        place = resolve(action.location, context=context) if action.location else None
        row = _row(summary, index, action, place, tied[index], dateline, dateline_place)
        story_id = (story_of or {}).get((summary.id, action.evidence.start, action.evidence.end))
        yield row.model_copy(update={"story_id": story_id}) if story_id else row


def _story_of_actions(stories: StorySet) -> dict[tuple[str, int | None, int | None], str]:
    """(summary id, evidence start, end) of each action a story's reports matched on -> the story's id."""
    found: dict[tuple[str, int | None, int | None], str] = {}
    for story in stories.stories:
        for report in story.reports:
            for action in report.actions:
                found.setdefault((report.summary_id, action.evidence.start, action.evidence.end), story.id)
    return found


def _story_row(stories: StorySet, story: Story, summaries: dict[str, ArticleSummary]) -> EventRow:
    words = [a.evidence.text for r in story.reports for a in r.actions]
    for report in story.reports:
        if report.summary_id in summaries:
            words.extend(_article_words(summaries[report.summary_id]))
    context = article_context(" ".join(words))
    location = story.places[0] if story.places else None
    place = resolve(location, context=context) if location else None
    killed = next((line for line in story.ledger if line.outcome == Outcome.killed), None)
    event_type, sub_event_type = EVENT_TYPES.get(story.type, (None, None)) if story.type else (None, None)
    return EventRow(
        event_id="evt_" + hashlib.sha256(f"story|{story.id}".encode()).hexdigest()[:20],
        event_date=story.date.isoformat() if story.date else None,
        event_type=event_type,
        sub_event_type=sub_event_type,
        **_who(story.actors, story.targets),
        **_where(location, place),
        fatalities=killed.reconciled.conservative if killed else None,
        fatalities_best=killed.reconciled.best if killed else None,
        fatalities_high=killed.reconciled.high if killed else None,
        source=_joined(sorted({r.outlet for r in story.reports if r.outlet})),
        notes=_joined(_ledger_note(line) for line in story.ledger),
        record="story",
        story_id=story.id,
        reports=len(story.reports),
        action_type=story.type.value if story.type else None,
        modality=None,
        time_frame=None,
        time=None,
        instrument=None,
        evidence=None,
        evidence_start=None,
        evidence_end=None,
        grounding=None,
        rules=None,
        dateline_place=None,
        dateline_iso=None,
        article_id=_joined(r.article for r in story.reports),
        article_url=None,
        summary_id=None,
        action_index=None,
        prompt_version=None,
        schema_version=stories.schema_version,
    )


def _ledger_note(line: LedgerLine) -> str:
    figures = ", ".join(f"{f.report} {f.text}" + (f" ({f.reported_by})" if f.reported_by else "") for f in line.figures)
    disputed = "; disputed" if line.reconciled.disputed else ""
    return f"{line.outcome.value}: {figures}{disputed}"


def event_id(summary: ArticleSummary, index: int, action: Action) -> str:
    key = f"{summary.id}|{index}|{action.type.value}|{action.evidence.start}|{action.evidence.end}"
    return "evt_" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:20]


def tie_figures(summary: ArticleSummary) -> list[Tied]:
    """Each action's figures: each figure goes to the first violent action whose evidence overlaps its
    own, else to the first action that does, else to none."""
    tied: list[list[Casualty]] = [[] for _ in summary.actions]
    for figure in summary.casualties:
        overlapping = [i for i, action in enumerate(summary.actions) if _overlap(action, figure)]
        violent = [i for i in overlapping if summary.actions[i].type in VIOLENT]
        chosen = violent or overlapping
        if chosen:
            tied[chosen[0]].append(figure)
    return [Tied(tuple(figures)) for figures in tied]


def _overlap(action: Action, figure: Casualty) -> bool:
    a, b = action.evidence, figure.evidence
    if None not in (a.start, a.end, b.start, b.end):
        assert a.start is not None and a.end is not None and b.start is not None and b.end is not None
        return a.start < b.end and b.start < a.end
    return a.text.strip() == b.text.strip()


def _row(
    summary: ArticleSummary,
    index: int,
    action: Action,
    place: GeoPlace | None,
    tied: Tied,
    dateline: str | None,
    dateline_place: GeoPlace | None,
) -> EventRow:
    event_type, sub_event_type = _event_type(summary, action)
    bounds = [(low, f.count.high) for f in tied.killed if (low := _low(f)) is not None]
    lows = [low for low, _ in bounds]
    highs = [high for f in tied.killed if (high := _high(f)) is not None]
    return EventRow(
        event_id=event_id(summary, index, action),
        event_date=action.date,
        event_type=event_type,
        sub_event_type=sub_event_type,
        **_who(action.actors, action.targets),
        **_where(action.location, place),
        fatalities=min(lows) if lows else None,
        fatalities_best=agreed_figure(bounds),
        fatalities_high=max(highs) if highs else None,
        source=summary.article.source,
        notes=_joined([_note(f) for f in tied.figures]),
        record="action",
        story_id=None,
        reports=None,
        action_type=action.type.value,
        modality=action.modality.value,
        time_frame=action.time_frame.value if action.time_frame else None,
        time=action.time,
        instrument=action.instrument,
        evidence=action.evidence.text,
        evidence_start=action.evidence.start,
        evidence_end=action.evidence.end,
        grounding=action.evidence.status.value,
        rules=_joined(action.rules),
        dateline_place=dateline,
        dateline_iso=dateline_place.country if dateline_place else None,
        article_id=summary.article.id,
        article_url=summary.article.url,
        summary_id=summary.id,
        action_index=index,
        prompt_version=summary.provenance.prompt_version,
        schema_version=summary.schema_version,
    )


def _who(actors: list[str], targets: list[str]) -> dict[str, str | None]:
    """ACLED's actor columns: the first actor and target, the others '; '-joined."""
    return {
        "actor1": actors[0] if actors else None,
        "assoc_actor_1": _joined(actors[1:]),
        "actor2": targets[0] if targets else None,
        "assoc_actor_2": _joined(targets[1:]),
    }


def _where(location: str | None, place: GeoPlace | None) -> dict[str, object]:
    """The place columns: the place as written, and what the gazetteer entry behind it gives."""
    if place is None:
        empty = ("country", "iso", "admin1", "admin1_code", "latitude", "longitude", "geo_precision", "geo_source")
        return {"location": location, **dict.fromkeys(empty)}
    return {
        "location": location,
        "country": place.country_name,
        "iso": place.country,
        "admin1": place.admin1_name,
        "admin1_code": place.admin1,
        "latitude": place.latitude,
        "longitude": place.longitude,
        "geo_precision": place.precision,
        "geo_source": place.source,
    }


def _event_type(summary: ArticleSummary, action: Action) -> tuple[str, str]:
    if action.type == ActionType.attack:
        kinds = {actor.name: actor.kind for actor in summary.actors}
        if any(kinds.get(target) in ARMED for target in action.targets):
            return ATTACK_ON_ARMED
    return EVENT_TYPES[action.type]


def _article_words(summary: ArticleSummary) -> Iterator[str]:
    """The article's own words the summary holds: every fact's evidence, and the dateline's."""
    for facts in (summary.actors, summary.actions, summary.casualties, summary.statements):
        for fact in facts:
            yield fact.evidence.text
    if summary.dateline is not None and summary.dateline.evidence is not None:
        yield summary.dateline.evidence.text


def _low(figure: Casualty) -> int | None:
    return figure.count.low if figure.count.low is not None else figure.count.high


def _high(figure: Casualty) -> int | None:
    return figure.count.high if figure.count.high is not None else figure.count.low


def _note(figure: Casualty) -> str:
    low, high = _low(figure), _high(figure)
    count = figure.count.text if low is None else (str(low) if low == high else f"{low}-{high}")
    by = figure.reported_by or "unattributed"
    return f"{figure.outcome.value} {count} {figure.victims} (reported by {by})"


def _joined(values: Iterable[str]) -> str | None:
    values = [v for v in values if v]
    return "; ".join(values) if values else None


def json_schema() -> dict[str, object]:
    """The JSON Schema of a row (``schemas/event-table.v1.json``)."""
    schema = EventRow.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = f"https://summarizer.local/schemas/{TABLE_NAME}.v{TABLE_VERSION}.json"
    return schema
