"""The word classes the finders share, read from ``summarizer/rules/lexicon.yaml``. One home: finders,
stories and the claim checks never keep their own copies, and no module here holds a word list.

Each name below is a class of the lexicon by its id; ``words(id)`` gives any other. A class's words are
lemmas and lower-case words as spaCy gives them; ``written(id)`` is the class as a pattern over the text
as written (for checks without a parse).
"""

from __future__ import annotations

import re
from enum import StrEnum
from functools import cache
from typing import TYPE_CHECKING, TypeVar

from summarizer.extraction import ActionType, Outcome
from summarizer.rules.engine import match, rule, search
from summarizer.rules.loader import alternation, rules
from summarizer.rules.model import WordClass

if TYPE_CHECKING:
    from spacy.tokens import Token

E = TypeVar("E", bound=StrEnum)


@cache
def words(class_id: str) -> frozenset[str]:
    """The words (and phrases) of a class."""
    return frozenset(rules().classes[class_id].words)


def ordered_words(class_id: str) -> tuple[str, ...]:
    """The words of a class in the file's order (weekdays from Monday, months from January)."""
    return rules().classes[class_id].words


def dimension_table(dimension: str, kind: type[E]) -> dict[str, E]:
    """word -> the value of its class, over the classes of one dimension (a word has one class there)."""
    return {word: value for value, word_class in values(dimension, kind) for word in word_class.words}


def alternative(class_id: str) -> str:
    """The class as one regular-expression group of its forms and words, for a pattern built around it."""
    return alternation(rules().classes[class_id])


def values(dimension: str, kind: type[E]) -> list[tuple[E, WordClass]]:
    """The classes of a dimension that stand for a value, with the value, in the file's order."""
    return [(kind(c.value), c) for c in rules().classes.values() if c.dimension == dimension and c.value is not None]


@cache
def written(class_id: str) -> re.Pattern[str]:
    """A word of the class as written, as a whole word, in any case."""
    return re.compile(rf"\b{alternative(class_id)}\b", re.IGNORECASE)


def table(table_id: str) -> dict[str, tuple[str, ...]]:
    """A table of the lexicon: key -> the words or phrases that name it."""
    return dict(rules().tables[table_id].entries)


SPEECH_VERBS = words("speech-verb")
STATEMENT_NOUNS = words("statement-noun")
SOURCE_NOUNS = words("source-noun")
OUTCOME_WORDS: dict[str, Outcome] = dimension_table("outcome", Outcome)
LIFE_VERBS = words("life-verb")
LIFE_NOUNS = words("life-noun")
BODY_NOUNS = words("body-noun")
CARE_PLACES = words("care-place")
NOT_PEOPLE = words("not-people")
WEAPON_NOUNS = words("weapon")
PEOPLE_NOUNS = words("people-noun")
ROLE_NOUNS = words("role-noun")
TITLE_WORDS = words("title-word")
EVENT_TRIGGERS: dict[str, ActionType] = dimension_table("event", ActionType)
THROW_VERBS = words("throw-verb")
VERB_ONLY_TRIGGERS = words("verb-only-trigger")
QUANTITY_WORDS = words("quantity-word")
DEVICE_VERBS = words("device-verb")
DEVICE_PHRASAL_VERBS = words("device-phrasal-verb")
RAISING_VERBS = words("raising-verb")
HABITUAL_ADVERBS = words("habitual-adverb")
MESSAGE_VERBS = words("message-verb")
LIGHT_VERBS = words("light-verb")
TARGET_PREPOSITIONS = words("target-preposition")
PLACE_NOUNS = words("place-noun")
_WHERE_HEADS = (
    PLACE_NOUNS | words("settlement-noun") | words("site-noun") | words("land-noun") | words("settlement-kind")
) - words("acting-site")
RESPONSIBILITY_NOUNS = words("responsibility-noun")
CLAIM_WORDS = words("claim-word")
DENY_WORDS = words("deny-word")
THREAT_WORDS = words("threat-word")
_FRONTED: dict[str, Outcome] = dimension_table("fronted-outcome", Outcome)
_WRITTEN_OUTCOMES: dict[Outcome, str] = {outcome: c.id for outcome, c in values("outcome-as-written", Outcome)}


def outcome_pattern(outcome: Outcome) -> re.Pattern[str]:
    """A word that says ``outcome`` as written ("killing", "wounded", "death")."""
    return written(_WRITTEN_OUTCOMES[outcome])


def kept_in_hospital(verb: Token) -> bool:
    """ "96 people were detained in hospital": care, not custody (an injury, not an arrest)."""
    return any(
        prep.dep_ == "prep" and any(obj.dep_ == "pobj" and obj.lemma_.lower() in CARE_PLACES for obj in prep.children)
        for prep in verb.children
    )


@cache
def names_a_country(name: str) -> bool:
    """Whether a place name names a country, or its government by its capital ("Venezuela", "the United
    States", "Moscow"): from the ISO 3166 list (pycountry) and the country-names table."""
    bare = name.lower().replace("’", "'").replace(".", "").strip("\"'“”‘ ")  # '”Venezuela' of a glued quote
    folded = " ".join(bare.removeprefix("the ").split())
    return folded in _country_spellings() or iso_country(folded)


def country_as_person(name: str) -> bool:
    """ "in northern Mali", which the parser takes for a person's name: a country's name is a place,
    never a person (not a short code that is also someone's initials, "AR", unless the country-names table
    spells it so, "US")."""
    code = len(name.strip(". ")) <= 3 and name.lower().strip(". ") not in _country_spellings()  # "AR", initials
    return rule("event.place.country-by-name", names_a_country(name) and not code)


def iso_country(name: str) -> bool:
    """Whether a name is a country's own in the ISO 3166 list (pycountry): "Afghanistan", "US"; not its
    capital ("Kabul") nor its adjective."""
    import pycountry

    folded = " ".join(name.lower().replace(".", "").removeprefix("the ").split())
    try:
        pycountry.countries.lookup(folded)
    except LookupError:
        return False
    return True


@cache
def _country_spellings() -> frozenset[str]:
    return frozenset(spelling for spellings in table("country-names").values() for spelling in spellings)


def names_a_place(name: str) -> bool:
    """ "Oxford Street", "the Cavehill Road", "Stormont Castle": a place, not someone who acts."""
    return head_in(name, PLACE_NOUNS)


def names_where(name: str) -> bool:
    """ "US military bases", "IS' last remaining territory", "a hill town": where something was done, by
    its head word, never a body that acts (not "the U.S. embassy", which also speaks)."""
    return head_in(name, _WHERE_HEADS)


def head_in(name: str, vocabulary: frozenset[str]) -> bool:
    """Whether a name's head (last) word, as written or without a plural s, is a word of ``vocabulary``."""
    folded = name.lower().replace("’", "'").split()
    return bool(folded) and (folded[-1] in vocabulary or folded[-1].rstrip("s") in vocabulary)


def names_a_part(before: str, after: str) -> bool:
    """Whether the words just ``before`` and ``after`` a number make it a part of a toll: "17 people were
    killed, including seven children", "seven people, two of them children", "Among the dead were"."""
    return bool(
        search("figure.part.including", before)
        or match("figure.part.of-them", after)
        or search("figure.part.among-the-dead", before)
    )


def part_of_the(before: str) -> Outcome | None:
    """The outcome of a fronted "Among the dead were ..." just before a number (dead: killed), if one."""
    fronted = search("figure.part.among-the-dead", before)
    return _FRONTED.get(fronted.group(1).lower()) if fronted else None
