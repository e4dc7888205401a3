"""What a rule file may hold, validated at load: word classes, tables and rules.

``lexicon.yaml`` holds the **word classes** (``WordClass``): the words a finder asks about by the
class's id ("speech-verb", "weapon", "outcome-killed"), never by the words themselves; and the
**tables** (``Table``) that map a key to the words or phrases that name it (a country's names). Each
rule file (``events.yaml``, ``figures.yaml``, ...) holds **rules** (``Rule``): an id, a one-line
purpose, what the rule does (finds a candidate, fills a slot, resolves a mention, merges two names,
drops a candidate) and the slots it fills. A rule is applied either by the engine from its pattern
(a spaCy ``Matcher`` token pattern, a ``DependencyMatcher`` pattern, or a text pattern whose
``{class}`` placeholders name word classes), or by a named step of a finder (a "sieve", as in
CoreNLP's quote attribution) that reads only grammar and word classes.
"""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator, model_validator

RULE_ID = re.compile(r"^[a-z]+(?:\.[a-z0-9]+(?:-[a-z0-9]+)*)+$")
CLASS_ID = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")
# A placeholder in a text pattern: "{speech-verb}" stands for the alternation of that class's forms (a
# class id starts with a letter, so a quantifier such as "{3}" or "{0,80}" is never one).
PLACEHOLDER = re.compile(r"\{([a-z][a-z0-9]*(?:-[a-z0-9]+)*)\}")

RuleId = Annotated[str, StringConstraints(pattern=RULE_ID.pattern)]
ClassId = Annotated[str, StringConstraints(pattern=CLASS_ID.pattern)]
Purpose = Annotated[str, StringConstraints(strip_whitespace=True, min_length=8, max_length=300)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _word_list(value: Any) -> Any:
    """Words may be written as one string split on whitespace (readable lists) or as a list (phrases)."""
    if isinstance(value, str):
        return tuple(value.split())
    return value


class WordClass(_Strict):
    """Words that mean one thing to the finders: lemmas and lower-case words as spaCy gives them, or
    phrases; ``forms`` are regular-expression fragments over the surface text, for checks that read
    words without a parse (grounding, stories)."""

    id: ClassId
    dimension: ClassId = Field(description="Classes of one dimension never share a word")
    purpose: Purpose
    words: tuple[str, ...] = ()
    forms: tuple[str, ...] = ()
    value: str | None = Field(default=None, description="What the class stands for (an outcome, an action type)")

    @field_validator("words", mode="before")
    @classmethod
    def _split(cls, value: Any) -> Any:
        return _word_list(value)

    @field_validator("words")
    @classmethod
    def _lower_unique(cls, words: tuple[str, ...]) -> tuple[str, ...]:
        for word in words:
            if not word.strip() or word != " ".join(word.split()):
                raise ValueError(f"{word!r} is not a word or a phrase")
        repeated = sorted({w for w in words if words.count(w) > 1})
        if repeated:
            raise ValueError(f"words listed twice: {', '.join(repeated)}")
        return words

    @field_validator("forms")
    @classmethod
    def _compiles(cls, forms: tuple[str, ...]) -> tuple[str, ...]:
        for form in forms:
            try:
                re.compile(form)
            except re.error as exc:
                raise ValueError(f"form {form!r} is not a regular expression: {exc}") from exc
        return forms

    @model_validator(mode="after")
    def _not_empty(self) -> WordClass:
        if not self.words and not self.forms:
            raise ValueError("a word class needs words or forms")
        return self


class Table(_Strict):
    """Keys and the words or phrases that name each ("us": "U.S.", "United States", "American")."""

    id: ClassId
    purpose: Purpose
    entries: dict[str, tuple[str, ...]]

    @field_validator("entries", mode="before")
    @classmethod
    def _split(cls, value: Any) -> Any:
        if isinstance(value, dict):
            return {key: (names if isinstance(names, list) else [names]) for key, names in value.items()}
        return value


class Lexicon(_Strict):
    classes: tuple[WordClass, ...]
    tables: tuple[Table, ...] = ()


# What applying a rule does: "find" makes a candidate (a statement, a figure, an action, an actor); "fill"
# fills or changes a slot of one (its actor, victims, modality, ...); "resolve" says who a mention stands
# for ("He" -> the person who spoke last); "merge" makes two names one actor; "drop" rejects a candidate,
# or a reading of one; "model" is the model's answer, not code's (a fact or slot the model filled).
Acts = Literal["find", "fill", "resolve", "merge", "drop", "model"]


class Slot(StrEnum):
    actor = "actor"
    target = "target"
    victim = "victim"
    place = "place"
    instrument = "instrument"
    speaker = "speaker"
    figure = "figure"
    outcome = "outcome"
    modality = "modality"
    time = "time"
    type = "type"
    text = "text"
    kind = "kind"
    alias = "alias"
    reporter = "reporter"
    event = "event"
    passage = "passage"


class Rule(_Strict):
    """One named rule. ``kind`` says who applies it: a finder's named step (``sieve``), or the engine from
    ``pattern`` (``token``: a spaCy Matcher pattern; ``dependency``: a DependencyMatcher pattern;
    ``text``: a regular expression whose ``{class}`` placeholders are word classes)."""

    id: RuleId
    purpose: Purpose
    acts: Acts
    slots: tuple[Slot, ...] = ()
    kind: Literal["sieve", "token", "dependency", "text"] = "sieve"
    pattern: str | list[dict[str, Any]] | None = None
    nodes: tuple[str, ...] = Field(
        default=(), description="Names of a token pattern's tokens, in order (a dependency pattern names its own)"
    )
    flags: tuple[Literal["ignorecase", "multiline"], ...] = ()
    switchable: bool = Field(
        default=True,
        description="False for a rule that states what a finder's candidates are (a figure has an outcome): "
        "it says why a candidate ended, and cannot be switched off",
    )

    @model_validator(mode="after")
    def _pattern_fits_kind(self) -> Rule:
        if self.kind == "sieve" and self.pattern is not None:
            raise ValueError("a sieve has no pattern: its finder applies it")
        if self.kind == "text" and not isinstance(self.pattern, str):
            raise ValueError("a text rule's pattern is a regular expression (a string)")
        if self.kind in {"token", "dependency"} and not isinstance(self.pattern, list):
            raise ValueError(f"a {self.kind} rule's pattern is a list of token specifications")
        if self.kind == "token" and isinstance(self.pattern, list) and len(self.nodes) != len(self.pattern):
            raise ValueError("a token pattern names each of its tokens in nodes")
        if self.acts == "drop" and self.slots:
            raise ValueError("a rule that drops fills no slot")
        return self


class RuleFile(_Strict):
    """One rule file: a finder's rules, in the order they are tried."""

    finder: Annotated[str, StringConstraints(pattern=r"^[a-z]+$")]
    purpose: Purpose
    rules: tuple[Rule, ...]
