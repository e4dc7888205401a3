"""What an action answered, read from its words: "in retaliation for the rocket attack that killed a
US contractor", "following the death Friday of a U.S. contractor from rockets fired at a base in
Kirkuk". Those words tell another event than the action; ``incidents`` makes it an incident of its
own, with the places, day and figures they give."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from summarizer.analysis.lexicon import alternative, outcome_pattern
from summarizer.extraction import Outcome
from summarizer.schema import Action, Casualty
from summarizer.stories.kinds import kinds_named
from summarizer.textfold import has_words

# Words that say what an action answered: "in retaliation for", "in response to", "following".
_CAUSE = re.compile(rf"\b{alternative('cause-phrase')}\s+", re.IGNORECASE)


class Cause(NamedTuple):
    """The words of an action's evidence that tell what it answered, with their offsets in the article."""

    start: int
    end: int
    text: str
    rest: str  # the evidence without them: what tells the action itself


def cause_of(action: Action) -> Cause | None:
    """What the action answered, when its words name an attack or a casualty: "in retaliation for
    the rocket launched against the base", "following the death Friday of a U.S. contractor"."""
    evidence = action.evidence
    text = evidence.quote or evidence.text
    if evidence.status != "grounded" or evidence.start is None or evidence.end != evidence.start + len(text):
        return None
    return _cause_in(text, evidence.start)


@lru_cache(maxsize=65536)
def _cause_in(text: str, offset: int) -> Cause | None:
    match = _CAUSE.search(text)
    if match is None:
        return None
    end = len(text)
    before = text[: match.start()].rstrip(" “\"'‘")
    if not before or before[-1] in ".:;—–-":  # "In response to X, the United States struck Y"
        end = text.find(",", match.end())
        if end == -1:
            return None
    clause = text[match.end() : end].rstrip(" .;:”\"'’")
    if not kinds_named(clause) and not any(outcome_pattern(outcome).search(clause) for outcome in Outcome):
        return None  # "following the meeting", "in response to the report": no event
    start = offset + match.end()
    return Cause(start=start, end=start + len(clause), text=clause, rest=text[: match.start()] + text[end:])


def told_inside(action: Action, cause: Cause) -> bool:
    """Whether another action of the sentence is the cause itself: every actor named inside its words
    ("In response to KH's repeated attacks on Iraqi bases, the United States struck")."""
    return bool(action.actors) and all(has_words(cause.text, actor) for actor in action.actors)


def in_a_cause(casualty: Casualty, actions: list[Action]) -> bool:
    """Whether the figure stands in the words of what one of the actions answered."""
    number = casualty.count.evidence.start
    return number is not None and any(
        (cause := cause_of(action)) is not None and cause.start <= number < cause.end for action in actions
    )
