"""The small questions the candidates strategy asks, each with the schema of its answer.

What code can settle it settles; a question goes to the model only where code is unsure: a quote
whose speaker the parse could not name, an action whose actor or target the parse did not find
(asked only by a prompt that declares "roles"). Each answer is one or two fields from a closed list
of options the text gives (so the model cannot invent a name), with no "none" option: a small model
picks an escape value far too often, so code drops what does not fit instead.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, create_model

from summarizer.cached_schema import CachedSchema

MAX_OPTIONS = 10
MAX_OPTION_CHARS = 80


class _Answer(CachedSchema):
    model_config = ConfigDict(extra="forbid")


class SummaryAnswer(_Answer):
    # No length limit in the schema: a limit would cut the sentence mid-word; code keeps whole sentences.
    summary: str = Field(description="One sentence: who did what to whom, where, when")


@dataclass
class Ask:
    """One question: its kind (a question of the prompt), the template's variables, the answer's
    schema, and what to do with the answer."""

    kind: str
    variables: dict[str, Any]
    answer_model: type[BaseModel]
    apply: Callable[[Any], None]


def options_of(names: Sequence[str]) -> tuple[str, ...]:
    """Distinct, non-empty, bounded options, in the order given."""
    seen: dict[str, None] = {}
    for name in names:
        clean = " ".join(name.split())[:MAX_OPTION_CHARS]
        if clean and clean.casefold() not in {k.casefold() for k in seen}:
            seen[clean] = None
    return tuple(seen)[:MAX_OPTIONS]


@cache
def choice_model(name: str, fields: tuple[str, ...], options: tuple[str, ...]) -> type[BaseModel]:
    """A schema whose ``fields`` each take one of ``options``."""
    choice = Literal.__getitem__(options)
    definitions: dict[str, Any] = {field: (choice, ...) for field in fields}
    model: type[BaseModel] = create_model(name, __base__=_Answer, **definitions)
    return model
