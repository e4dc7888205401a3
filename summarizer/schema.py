"""Schema v3 of the public output: ``ArticleSummary``.

These models are the single source of truth for ``schemas/article-summary.v3.json`` (regenerate
with ``summarizer schemas export``; a test fails when the committed file drifts). The facts mirror
``extraction.py`` (what the model fills) and add what code computes: character offsets, a
grounding status and its reason on every piece of evidence, integer bounds for every casualty
figure, a check of every quote claimed verbatim and of who the article says spoke it, the check
of the summary sentence, the passages of the article that address the summarizer, and the
provenance of the result.

v2 over v1 (``schema_upgrade.py`` reads v1 results as v2): ``Evidence.reason``,
``Statement.speaker_check`` and ``attributed_to``, ``ArticleSummary.summary_check`` and
``flagged_passages``.

v3 over v2 (``schema_upgrade.py`` reads v1 and v2 results as v3): ``rules`` on every fact (the ids of
the rules that found and shaped it, ``summarizer/rules``) and ``Provenance.rules_sha256`` (the rule files
that made it); the instrument of an action; the modality and time of a casualty figure; the time frame
(the day's event or background) and the ISO date of actions and figures; the article's own place and
date (``ArticleSummary.dateline``); and the modalities ``attempted``, ``planned`` and ``hypothetical``.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from summarizer.extraction import ActionType, ActorKind, Modality, Outcome, TimeFrame

SCHEMA_NAME = "article-summary"
SCHEMA_VERSION = "3"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class GroundingStatus(StrEnum):
    """How far the article supports a fact's evidence (``reason`` says why)."""

    grounded = "grounded"  # found, and it carries the fact's claim
    fuzzy = "fuzzy"  # found only approximately, or found but not carrying the whole claim
    ungrounded = "ungrounded"  # not found, or found but contradicting the claim: do not trust the fact


class EvidenceReason(StrEnum):
    """Why evidence has its status: one short machine-readable word per rule."""

    # grounded
    exact = "exact"  # the snippet stands in the article as written
    normalized = "normalized"  # it stands there up to whitespace, quote and dash style or case
    # fuzzy
    near_match = "near_match"  # only a close passage was found (``score``)
    outcome_not_in_evidence = "outcome_not_in_evidence"  # a casualty's evidence never says killed/injured/...
    victims_not_in_evidence = "victims_not_in_evidence"  # ... or never names its victims
    name_not_in_evidence = "name_not_in_evidence"  # an actor's evidence names neither it nor a known alias
    instruction_passage = "instruction_passage"  # it stands in a passage that addresses the summarizer
    # ungrounded
    not_found = "not_found"  # nothing like the snippet stands in the article
    number_not_in_evidence = "number_not_in_evidence"  # the count phrase is not in the fact's own evidence
    number_inside_number = "number_inside_number"  # it stands only inside another number ("200" of "1,200")
    counts_something_else = "counts_something_else"  # the number counts rockets, km, troops... not the victims
    name_not_in_article = "name_not_in_article"  # an actor's name stands nowhere in the article
    # quotes (on a statement's evidence)
    outside_quote_marks = "outside_quote_marks"  # claimed verbatim, but the words are not inside one quote
    case_differs = "case_differs"  # claimed verbatim, but the article's letters differ in case
    crosses_quote_mark = "crosses_quote_mark"  # claimed verbatim, but the words run past a quote's end
    speaker_differs = "speaker_differs"  # the article attributes the words to someone else


class Evidence(_Model):
    """A snippet the model copied, and where (if anywhere) it stands in the original article."""

    text: str = Field(description="The snippet as the model copied it")
    status: GroundingStatus
    start: int | None = Field(default=None, ge=0, description="Start offset in the original article text")
    end: int | None = Field(default=None, ge=0, description="End offset (exclusive) in the original article text")
    score: float = Field(ge=0, le=1, description="Similarity of the snippet to the passage found (1 = exact)")
    quote: str | None = Field(
        default=None, description="The article's own text at [start, end), when it differs from the snippet"
    )
    reason: EvidenceReason = Field(description="Why the evidence has its status")


def _rules() -> Any:
    return Field(
        default_factory=list,
        description="The ids of the rules that found and shaped this fact (summarizer/rules; `summarizer rules list`); "
        "'model.*' when the model decided",
    )


class Actor(_Model):
    name: str
    kind: ActorKind
    title: str | None = None
    affiliation: str | None = None
    aliases: list[str] = Field(default_factory=list)
    evidence: Evidence
    rules: list[str] = _rules()


class Action(_Model):
    actors: list[str]
    type: ActionType
    targets: list[str] = Field(default_factory=list)
    location: str | None = None
    instrument: str | None = Field(default=None, description="What it was done with ('a car bomb', 'drones')")
    time: str | None = None
    time_frame: TimeFrame | None = Field(default=None, description="The day's event or background; null: not said")
    date: str | None = Field(default=None, description="The ISO date (YYYY-MM-DD) its words resolve to, if they do")
    modality: Modality
    evidence: Evidence
    rules: list[str] = _rules()


class Count(_Model):
    """A reported figure: the phrase as written and its integer bounds.

    Exact figures have ``low == high``; "more than 50" is low 51 with no high; "dozens" keeps the
    phrase with no numbers. ``evidence`` locates the phrase itself in the article.
    """

    text: str
    low: int | None = Field(default=None, ge=0)
    high: int | None = Field(default=None, ge=0)
    evidence: Evidence


class Casualty(_Model):
    """One record per reported figure; conflicting reports stay side by side."""

    victims: str
    outcome: Outcome
    count: Count
    event: str | None = None
    reported_by: str | None = None
    modality: Modality | None = Field(default=None, description="As the article tells the figure; null: not said")
    time: str | None = Field(default=None, description="When, as written")
    time_frame: TimeFrame | None = Field(default=None, description="The day's event or background; null: not said")
    date: str | None = Field(default=None, description="The ISO date (YYYY-MM-DD) its words resolve to, if they do")
    evidence: Evidence
    rules: list[str] = _rules()


class QuoteCheck(StrEnum):
    verbatim_found = "verbatim_found"  # claimed verbatim, and the words stand in the article inside quotation marks
    verbatim_not_found = "verbatim_not_found"  # claimed verbatim, but not found inside quotation marks
    paraphrase = "paraphrase"  # not claimed verbatim


class SpeakerCheck(StrEnum):
    matches = "matches"  # the article attributes these words to this speaker
    differs = "differs"  # the article attributes them to someone else (``attributed_to``)
    unknown = "unknown"  # the article's wording names no speaker code can find


class Statement(_Model):
    speaker: str
    speaker_title: str | None = None
    text: str
    verbatim: bool = Field(description="The model's claim that the text is a direct quote")
    quote_check: QuoteCheck
    speaker_check: SpeakerCheck
    attributed_to: str | None = Field(
        default=None, description="Who the article attributes the words to, when code finds it in the text"
    )
    about: str | None = None
    evidence: Evidence
    rules: list[str] = _rules()


class Usage(_Model):
    prompt_tokens: int = 0
    completion_tokens: int = 0
    total_tokens: int = 0

    def __add__(self, other: Usage) -> Usage:
        return Usage(
            prompt_tokens=self.prompt_tokens + other.prompt_tokens,
            completion_tokens=self.completion_tokens + other.completion_tokens,
            total_tokens=self.total_tokens + other.total_tokens,
        )


class GroundingReport(_Model):
    """Counts of evidence snippets by grounding status, over every fact of the summary."""

    facts: int
    grounded: int
    fuzzy: int
    ungrounded: int


class Provenance(_Model):
    schema_version: str
    prompt_name: str
    prompt_version: str
    prompt_sha256: str
    model: str
    backend: str
    endpoint: str | None = Field(
        default=None,
        description="The OpenAI-compatible server asked (its base URL, without credentials or query); "
        "null for the embedded model and for replayed answers",
    )
    request_mode: Literal["live", "batch-api"] = Field(
        default="live",
        description="How the model was asked: one request at a time (live), or through a provider's batch API",
    )
    cache_key: str
    cache_hit: bool
    attempts: int = Field(description="LLM requests made, including retries (of the call that produced the result)")
    usage: Usage = Field(description="Tokens summed over every attempt")
    llm_latency_ms: float = Field(description="Time spent in the LLM call that produced the result")
    latency_ms: float = Field(description="Time this request took end to end (a cache hit is fast)")
    created_at: datetime = Field(description="When the LLM produced the result")
    served_at: datetime
    summarizer_version: str
    rules_sha256: str | None = Field(
        default=None,
        description="sha256 of the rule files (summarizer/rules) that made it; null for results made before v3",
    )
    article_sha256: str
    article_chars: int
    params: dict[str, Any] = Field(default_factory=dict, description="Sampling parameters sent to the model")


class ArticleMeta(_Model):
    """What the caller told us about the article (all optional); echoed in the result."""

    id: str | None = Field(default=None, max_length=200, description="The caller's own id for the article")
    title: str | None = Field(default=None, max_length=1000)
    url: str | None = Field(default=None, max_length=2000)
    source: str | None = Field(default=None, max_length=200, description="Publisher or outlet")
    published_at: str | None = Field(default=None, max_length=100, description="Publication time, as given")
    byline: str | None = Field(default=None, max_length=500, description="Who wrote it, as the page or caller gives it")

    def key_data(self) -> dict[str, str | None]:
        """The metadata as it enters a result's id and its summary's cache key. A field added after schema
        v1 (``byline``) enters only when set, so the ids of results made before it stay the same."""
        data = self.model_dump(mode="json")
        for name in _LATER_META_FIELDS:
            if data.get(name) is None:
                data.pop(name, None)
        return data


# The article's metadata a caller (or a web page) gives, beside its id: one list for every input form.
ARTICLE_META_FIELDS = ("title", "url", "source", "published_at", "byline")
_LATER_META_FIELDS = ("byline",)


class Dateline(_Model):
    """Where and when the article was filed, from its dateline or its publication day."""

    place: str | None = None
    date: str | None = Field(default=None, description="ISO date (YYYY-MM-DD)")
    evidence: Evidence | None = None
    rules: list[str] = _rules()


class SummaryCheck(StrEnum):
    ok = "ok"  # every number and name of the sentence stands in a grounded fact of the summary
    cut = "cut"  # sentences with a number or name no grounded fact holds were cut
    replaced = "replaced"  # no sentence passed; the summary was rebuilt from the grounded facts
    unchecked = "unchecked"  # made before the check existed (a schema v1 result read as v2)


class ArticleSummary(_Model):
    """A structured, grounded summary of one news article."""

    schema_version: Literal["3"] = "3"
    id: str = Field(description="Stable id of this result: the same article and configuration give the same id")
    article: ArticleMeta
    summary: str
    summary_check: SummaryCheck
    flagged_passages: list[Evidence] = Field(
        default_factory=list,
        description="Passages of the article that address the summarizer (instructions, not news): "
        "nothing in them is taken as a fact of the article",
    )
    dateline: Dateline | None = Field(default=None, description="The article's own place and date, where it gives them")
    actors: list[Actor]
    actions: list[Action]
    casualties: list[Casualty]
    statements: list[Statement]
    grounding: GroundingReport
    provenance: Provenance


def json_schema() -> dict[str, Any]:
    """The JSON Schema of ``ArticleSummary``, as committed under ``schemas/``."""
    schema = ArticleSummary.model_json_schema(mode="serialization")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"https://summarizer.local/schemas/{SCHEMA_NAME}.v{SCHEMA_VERSION}.json",
        **schema,
    }
