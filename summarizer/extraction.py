"""What the model fills in: a compact schema of facts, each with the snippet it was copied from.

This is the LLM-facing half of schema v1. It carries no offsets, counts or provenance: the model
copies words, and code turns them into numbers and character offsets afterwards
(``grounding.py``, ``counts.py``), because small models are bad at both. It is kept small on
purpose: every list is bounded (a looping model cannot run to the token limit), enums are short,
and field order follows what a 1.5B model needs to see first (victims before counts).
"""

from __future__ import annotations

from copy import copy
from enum import StrEnum
from functools import cache
from typing import Annotated, Any

import annotated_types
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, create_model
from pydantic.json_schema import SkipJsonSchema

from summarizer.cached_schema import CachedSchema

EXTRACTION_VERSION = "2"

ShortText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120)]
Snippet = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=400)]


class ActorKind(StrEnum):
    # "person" first: small models over-pick the first option, and most actors are people.
    person = "person"
    armed_group = "armed_group"
    military = "military"
    government_body = "government_body"
    state = "state"
    international_org = "international_org"
    civilians = "civilians"
    other = "other"


class ActionType(StrEnum):
    airstrike = "airstrike"
    shelling_or_rocket_attack = "shelling_or_rocket_attack"
    bombing = "bombing"
    armed_clash = "armed_clash"
    attack = "attack"
    protest = "protest"
    arrest = "arrest"
    sanction = "sanction"
    diplomatic_contact = "diplomatic_contact"
    threat = "threat"
    other = "other"


class Modality(StrEnum):
    actual = "actual"
    claimed = "claimed"  # or alleged: by one side's word
    threatened = "threatened"
    denied = "denied"
    attempted = "attempted"  # tried or foiled: it did not come off
    planned = "planned"
    hypothetical = "hypothetical"


class TimeFrame(StrEnum):
    """When an event happened, relative to the report."""

    current = "current"  # the event the report is about, or one of its days
    background = "background"  # an earlier event told for context


class Outcome(StrEnum):
    killed = "killed"
    injured = "injured"
    missing = "missing"
    abducted = "abducted"
    arrested = "arrested"


class _Fact(CachedSchema):
    model_config = ConfigDict(extra="ignore")


# The rules that found and shaped a fact: code's to fill, never the model's (not in the schema it sees).
Rules = SkipJsonSchema[list[str]]


class ActorFact(_Fact):
    name: ShortText = Field(description="Full name as written in the article")
    kind: ActorKind
    title: ShortText | None = Field(default=None, description="Role or title, e.g. 'Pentagon spokesman'")
    affiliation: ShortText | None = Field(default=None, description="Organisation or country the actor belongs to")
    aliases: list[ShortText] = Field(default_factory=list, max_length=4, description="Other names used in the text")
    evidence: Snippet = Field(description="A short clause copied from the article that mentions this actor")
    rules: Rules = Field(default_factory=list)


class ActionFact(_Fact):
    # The model must name who did it (minItems 1 in its schema); an action code reads from the parse may
    # name no one ("a convoy was ambushed near Kandahar"), so validation takes an empty list.
    actors: list[ShortText] = Field(
        max_length=4, description="Who did it (actor names)", json_schema_extra={"minItems": 1}
    )
    type: ActionType
    targets: list[ShortText] = Field(default_factory=list, max_length=4, description="Who or what it was done to")
    location: ShortText | None = None
    time: ShortText | None = Field(default=None, description="When, as written ('on Sunday')")
    modality: Modality = Modality.actual
    # Read from the text by code, never asked of the model: kept out of its schema.
    instrument: SkipJsonSchema[str | None] = None
    time_frame: SkipJsonSchema[TimeFrame | None] = None
    date: SkipJsonSchema[str | None] = None
    evidence: Snippet = Field(description="Exact sentence or clause copied from the article")
    rules: Rules = Field(default_factory=list)


class CasualtyFact(_Fact):
    victims: ShortText = Field(description="Who was hurt, e.g. 'militiamen', 'U.S. contractor', 'civilians'")
    outcome: Outcome
    count: ShortText = Field(description="The number phrase exactly as written: '25', 'at least 25', 'dozens', 'a'")
    event: ShortText | None = Field(default=None, description="The attack or strike that caused it")
    reported_by: ShortText | None = Field(default=None, description="Who reported the figure, if the article says")
    evidence: Snippet = Field(description="Exact words copied from the article that state the figure")
    rules: Rules = Field(default_factory=list)
    # Read from the text by code, never asked of the model: kept out of its schema.
    modality: SkipJsonSchema[Modality | None] = None
    time_frame: SkipJsonSchema[TimeFrame | None] = None
    date: SkipJsonSchema[str | None] = None


class StatementFact(_Fact):
    speaker: ShortText = Field(description="Who said it (actor name)")
    speaker_title: ShortText | None = None
    text: Snippet = Field(description="What was said; for a quote, copy it word for word")
    verbatim: bool = Field(description="true if the article quotes the words directly in quotation marks")
    about: ShortText | None = Field(default=None, description="What the statement is about, in a few words")
    rules: Rules = Field(default_factory=list)


class Extraction(_Fact):
    """The facts of one article, as the model reads them (or as code found them)."""

    # At least one actor: every news article has one, and an all-empty answer is a known failure of small models.
    actors: list[ActorFact] = Field(min_length=1, max_length=20)
    actions: list[ActionFact] = Field(default_factory=list, max_length=16)
    casualties: list[CasualtyFact] = Field(default_factory=list, max_length=16)
    statements: list[StatementFact] = Field(default_factory=list, max_length=24)
    summary: Annotated[str, StringConstraints(strip_whitespace=True, max_length=300)] = Field(
        description="One sentence in your own words: who did what to whom, where, when"
    )


def list_bound(field: str) -> int:
    """The most items ``Extraction`` holds in the list ``field``."""
    return next(m.max_length for m in Extraction.model_fields[field].metadata if isinstance(m, annotated_types.MaxLen))


# The list bounds a model filling the lists itself gets: a looping model stops there. Code-made
# extractions (the candidates strategy) may hold more, up to ``Extraction``'s own bounds.
MODEL_LIST_BOUNDS = {"actors": 12, "actions": 10, "casualties": 10, "statements": 10}


@cache
def partial_model(fields: tuple[str, ...]) -> type[BaseModel]:
    """A model of just these fields of ``Extraction``, in this order, for one call of a model that
    fills them itself (lists bounded by ``MODEL_LIST_BOUNDS``)."""
    unknown = sorted(set(fields) - set(Extraction.model_fields))
    if unknown:
        raise ValueError(f"not fields of the extraction schema: {', '.join(unknown)}")
    definitions: dict[str, Any] = {}
    for name in fields:
        field = Extraction.model_fields[name]
        if name in MODEL_LIST_BOUNDS:
            field = copy(field)
            field.metadata = [m for m in field.metadata if not isinstance(m, annotated_types.MaxLen)]
            field.metadata.append(annotated_types.MaxLen(MODEL_LIST_BOUNDS[name]))
        definitions[name] = (field.annotation, field)
    if fields == tuple(Extraction.model_fields):
        name, doc = "Extraction", "The facts of one article, as the model reads them."
    else:
        name, doc = "Extraction_" + "_".join(fields), None
    model: type[BaseModel] = create_model(name, __base__=_Fact, __doc__=doc, **definitions)
    return model
