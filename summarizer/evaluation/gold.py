"""Gold fact lists (format v1, ``/work/shared/eval/FORMAT.md``): the model of one file and its loader."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, StrictInt, StringConstraints, ValidationError, model_validator

from summarizer.errors import InputError

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Names = Annotated[list[Name], Field(min_length=1)]
# An integer the article states, or the accepted integers where it is vague ("more than 100" -> [100, 101]).
Count = Annotated[StrictInt, Field(ge=0)]
Number = Count | Annotated[list[Count], Field(min_length=1)]


class GoldError(InputError):
    """A gold file or directory cannot be used; the message names the file."""


class _Gold(BaseModel):
    # Unknown keys are errors: a misspelt "injured" must not silently drop a fact from the evaluation.
    model_config = ConfigDict(extra="forbid", frozen=True)


class GoldActor(_Gold):
    name: Name
    aliases: list[Name] = Field(default_factory=list)

    @property
    def spellings(self) -> list[str]:
        return [self.name, *self.aliases]


ModalityName = Literal["actual", "attempted", "planned", "alleged", "claimed", "threatened", "denied", "hypothetical"]
# ISO 8601, to the precision the article gives: "2015", "2015-04", "2015-04-02".
IsoDate = Annotated[str, StringConstraints(pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$")]


class GoldEvent(_Gold):
    what: str
    actor: Names
    target: Names
    location: list[Name] = Field(default_factory=list, description="Informative only: never required to match")
    # Optional checks of a matched event (the extended format of eval/unseen): each is scored apart
    # from recall, over the events that give it.
    instrument: list[Name] = Field(default_factory=list, description="What it was done with: accepted spellings")
    modality: ModalityName | None = None
    time_frame: Literal["current", "background"] | None = None
    date: IsoDate | None = None


class GoldDateline(_Gold):
    place: Name
    date: IsoDate | None = None


class GoldCasualty(_Gold):
    what: str
    victims: Names
    killed: Number | None = None
    injured: Number | None = None

    @model_validator(mode="after")
    def _gives_a_number(self) -> Self:
        if self.killed is None and self.injured is None:
            raise ValueError("a casualty fact needs 'killed' or 'injured'")
        return self

    def numbers(self) -> dict[str, int | list[int]]:
        """The numbers this fact gives, by outcome ("killed", "injured")."""
        given = {"killed": self.killed, "injured": self.injured}
        return {outcome: number for outcome, number in given.items() if number is not None}


class GoldStatement(_Gold):
    speaker: Names
    quote_contains: Annotated[str, StringConstraints(min_length=1)]


class GoldFile(_Gold):
    """The facts a good summary of one article must contain."""

    article: Annotated[str, StringConstraints(min_length=1)] = Field(description="The article's file name")
    actors: list[GoldActor] = Field(default_factory=list)
    events: list[GoldEvent] = Field(default_factory=list)
    casualties: list[GoldCasualty] = Field(default_factory=list)
    statements: list[GoldStatement] = Field(default_factory=list)
    published_at: IsoDate | None = None
    dateline: GoldDateline | None = None
    not_actors: list[Name] = Field(
        default_factory=list, description="Names that must never be an actor or a speaker: dateline, byline, header"
    )

    @property
    def article_stem(self) -> str:
        return Path(self.article).stem


def load_gold(path: Path) -> GoldFile:
    """Read and validate one gold file; every failure is a ``GoldError`` naming the file."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise GoldError("no such gold file", origin=str(path)) from None
    except UnicodeDecodeError:
        raise GoldError("is not valid UTF-8", origin=str(path)) from None
    except json.JSONDecodeError as exc:
        raise GoldError(
            f"is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})", origin=str(path)
        ) from None
    except OSError as exc:
        raise GoldError(f"cannot be read: {exc.strerror}", origin=str(path)) from None
    try:
        return GoldFile.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "the file"
        more = f" (and {exc.error_count() - 1} more problems)" if exc.error_count() > 1 else ""
        raise GoldError(f"not a gold fact list: {where}: {first['msg']}{more}", origin=str(path)) from None


def load_gold_dir(directory: Path) -> list[tuple[Path, GoldFile]]:
    """Every ``*.json`` gold file of ``directory``, sorted by name; an empty directory is an error."""
    if not directory.is_dir():
        raise GoldError(
            "no such gold directory" if not directory.exists() else "is not a directory", origin=str(directory)
        )
    paths = sorted(directory.glob("*.json"))
    if not paths:
        raise GoldError("holds no gold files (*.json)", origin=str(directory))
    return [(path, load_gold(path)) for path in paths]
