"""Schema v2 of stories: one real-world event, the reports that tell it, and its casualty ledger.

These models are the single source of truth for ``schemas/story.v2.json`` (``summarizer schemas
export`` writes it; a test fails when the committed file drifts). Nothing is merged away: every
figure in a ledger keeps the phrase as written, who reported it and the evidence it stands on.

v2 over v1: a report's actions are summary schema v3's (their rules, instrument, time frame and date,
and the modalities attempted, planned and hypothetical). A stored v1 story set reads as v2
(``upgrade_story_set``): what v2 adds is empty in it.
"""

from __future__ import annotations

import datetime as dt
import json
from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from summarizer.extraction import ActionType, Outcome
from summarizer.schema import Action, Evidence

STORY_SCHEMA_NAME = "story"
STORY_SCHEMA_VERSION = "2"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ReportedFigure(_Model):
    """One casualty figure of one summary, as the article states it."""

    victims: str
    text: str = Field(description="The count phrase as written ('at least 25', 'a')")
    low: int | None = Field(default=None, ge=0)
    high: int | None = Field(default=None, ge=0, description="None when the phrase gives no upper bound")
    reported_by: str | None = None
    evidence: Evidence = Field(description="The article's words the figure stands on, with their offsets")


class ArticleFigure(_Model):
    """What one article says about one outcome of the event: one figure, or the sum of its parts.

    An article that counts two groups in one sentence ("a US citizen killed and four service members
    and two ISF members injured") gives one figure per outcome, the sum of its ``parts``; figures of
    one article from different sentences or sources stay separate ``ArticleFigure`` rows.
    """

    report: str = Field(description="The report's article id")
    outlet: str | None = None
    published_at: dt.date | None = None
    low: int | None = Field(default=None, ge=0)
    high: int | None = Field(default=None, ge=0, description="None when open-ended ('at least 25')")
    text: str = Field(description="The phrase(s) as written, joined with ' + ' when summed")
    reported_by: str | None = None
    parts: list[ReportedFigure] = Field(min_length=1)


class Reconciled(_Model):
    """The ledger's view over every article's figure for one outcome (ACLED's and UCDP's practice).

    ``low`` is the lowest reported figure and the conservative one; ``high`` the highest bound stated
    (an open-ended "more than 50" counts as 51); ``disputed`` when no single number agrees with every
    report (25, 25 and "at least 25" agree; 51, 55 and "more than 50" do not); ``best`` the number that
    agrees with every report, where one does (UCDP's best estimate).
    """

    low: int | None = Field(default=None, ge=0)
    high: int | None = Field(default=None, ge=0)
    conservative: int | None = Field(default=None, ge=0)
    best: int | None = Field(
        default=None,
        ge=0,
        description="The largest number every report allows (its largest lower bound, within every stated "
        "upper bound); null when the reports disagree",
    )
    disputed: bool
    low_reports: list[str] = Field(default_factory=list, description="Article ids whose figure is the lowest")
    high_reports: list[str] = Field(default_factory=list, description="Article ids whose figure is the highest")
    without_numbers: list[str] = Field(
        default_factory=list, description="Article ids whose phrase gives no number ('several', 'dozens')"
    )


class LedgerLine(_Model):
    outcome: Outcome
    figures: list[ArticleFigure]
    reconciled: Reconciled


class ReasonKind(StrEnum):
    actors = "actors"  # the same actor did it in both reports
    targets = "targets"  # the same target or victims
    place = "place"  # the same place is named
    date = "date"  # both reports date it to the same day
    figures = "figures"  # both give the same casualty figure
    type = "type"  # the same kind of event (airstrike, rocket attack ...)
    answered = "answered"  # both reports tell it as what one event (already in one story) answered
    date_differs = "date_differs"  # (against) the reports date it to days more than three apart
    type_differs = "type_differs"  # (against) the reports name only different kinds of attack
    roles_differ = "roles_differ"  # (against) who acts in one report is targeted in the other


class LinkReason(_Model):
    kind: ReasonKind
    detail: str = Field(description="What matched, in words ('United States' = 'U.S.')")
    weight: float


class Link(_Model):
    """Why two reports were put in one story: the evidence for and against, and its total."""

    reports: tuple[str, str]
    score: float
    reasons: list[LinkReason]


class Report(_Model):
    """One article's account of the event."""

    article: str = Field(description="The article's id (its own id, or its file name)")
    summary_id: str
    title: str | None = None
    outlet: str | None = None
    published_at: dt.date | None = None
    event_dates: list[dt.date] = Field(
        default_factory=list, description="Dates the article's words give the event, resolved against published_at"
    )
    actions: list[Action] = Field(description="The summary's actions this report matched on")
    mentions: list[Evidence] = Field(
        default_factory=list,
        description="Words that tell the event outside the summary's facts, with their offsets: what an "
        "action answered ('in retaliation for the rocket attack that killed a contractor')",
    )


class Story(_Model):
    id: str = Field(description="Stable id: the same reports give the same id")
    headline: str = Field(description="Who did what to whom, where and when, made from the reports' actions")
    type: ActionType | None = None
    date: dt.date | None = Field(default=None, description="The day most reports give, when they give one")
    actors: list[str]
    targets: list[str]
    places: list[str]
    reports: list[Report]
    links: list[Link] = Field(description="Every pair of reports linked directly, with its reasons")
    ledger: list[LedgerLine]


class StorySet(_Model):
    """Stories over a set of summaries: every summary's events, linked across articles."""

    schema_version: Literal["2"] = "2"
    id: str = Field(description="Stable id: the same summaries give the same id")
    created_at: dt.datetime
    summaries: int = Field(ge=0, description="How many summaries were linked")
    stories: list[Story]


def upgrade_story_set(body: str) -> str:
    """A stored story set's JSON as the current version (a v1 set's actions simply lack v2's fields)."""
    data = json.loads(body)
    if isinstance(data, dict) and data.get("schema_version") == "1":
        return json.dumps(dict(data, schema_version=STORY_SCHEMA_VERSION), ensure_ascii=False)
    return body


def json_schema() -> dict[str, Any]:
    """The JSON Schema of ``StorySet``, as committed under ``schemas/``."""
    schema = StorySet.model_json_schema(mode="serialization")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"https://summarizer.local/schemas/{STORY_SCHEMA_NAME}.v{STORY_SCHEMA_VERSION}.json",
        **schema,
    }
