"""When two reports name the same actor, target or place: the linking's one rule for names.

Names are compared as folded words (``summarizer.textfold``). Two names match when one stands in
the other as whole words and the shorter one says something ("Kata'ib Hezbollah" ~ "Kata'ib
Hezbollah militia", but "militia" alone matches nothing), when they are spellings of one name
("Hezbollah" ~ "Hizbollah": near-equal words of eight letters or more), or when a country's short
and long names or its adjective are used ("U.S." ~ "United States" ~ "American").
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher
from functools import lru_cache

from summarizer.analysis.lexicon import table
from summarizer.analysis.lexicon import words as word_class
from summarizer.textfold import words


def _stem(word: str) -> str:
    """Plural and possessive 's' dropped ("militias", "Iran's" -> "militia", "iran")."""
    return word[:-1] if len(word) > 4 and word.endswith("s") and not word.endswith("ss") else word


# Words that say nothing about who or where on their own.
GENERIC_WORDS = frozenset(_stem(word) for word in word_class("generic-name-word"))

# One key per country for its short name, long name, capital-as-government and adjective.
_COUNTRY_KEYS = {name: key for key, names in table("country-names").items() for name in names}


# Words after a country's name that leave it the country acting ("U.S. forces"), unlike "Iran-backed".
_STATE_BODIES = word_class("state-body-word")

# A possessive ("IRA's brigade") says whose, it is no part of the name; street words are abbreviated.
_POSSESSIVE = re.compile(r"(?<=\w)['’]s\b")
_ABBREVIATIONS = {short: word for word, shorts in table("street-abbreviation").items() for short in shorts}


@lru_cache(maxsize=65536)
def name_words(name: str) -> tuple[str, ...]:
    return tuple(_ABBREVIATIONS.get(word, _stem(word)) for word in words(_POSSESSIVE.sub("", name)))


@lru_cache(maxsize=65536)
def country_key(name: str) -> str | None:
    """The country a name stands for when it is only a country's name or adjective, alone or with
    words that say nothing more ("U.S. forces", "the Iraqi military", "American troops")."""
    folded = words(name)
    while folded and folded[0] == "the":
        folded = folded[1:]
    for size in range(len(folded), 0, -1):
        key = _COUNTRY_KEYS.get(" ".join(folded[:size]))
        if key is not None:
            return key if all(word in _STATE_BODIES for word in folded[size:]) else None
    return None


@lru_cache(maxsize=65536)
def is_distinctive(name: str) -> bool:
    """Whether the name holds a word that says who or where ("Kata'ib", "Kirkuk"), not only "militia"."""
    return any(word not in GENERIC_WORDS and not word.isdigit() for word in name_words(name))


def _contains(longer: tuple[str, ...], shorter: tuple[str, ...]) -> bool:
    width = len(shorter)
    return any(longer[i : i + width] == shorter for i in range(len(longer) - width + 1))


def _near_spelling(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    if len(a) != len(b):
        return False
    for x, y in zip(a, b, strict=True):
        if x == y:
            continue
        if min(len(x), len(y)) < 8 or SequenceMatcher(None, x, y).ratio() < 0.85:
            return False
    return True


@lru_cache(maxsize=262144)
def same_name(a: str, b: str) -> bool:
    """Whether two spellings name one actor, target or place (see the module's rule)."""
    country_a, country_b = country_key(a), country_key(b)
    if country_a or country_b:
        return country_a == country_b
    wa, wb = name_words(a), name_words(b)
    if not wa or not wb:
        return False
    if wa == wb or _near_spelling(wa, wb):
        return is_distinctive(a)
    shorter, longer = (wa, wb) if len(wa) <= len(wb) else (wb, wa)
    distinctive = [w for w in shorter if w not in GENERIC_WORDS]
    return bool(distinctive) and _contains(longer, shorter)


@lru_cache(maxsize=65536)
def same_place(a: str, b: str) -> bool:
    """Two place names are one place when their words match as names do, without the country rule
    (Baghdad is in Iraq, it is not Iraq)."""
    wa, wb = name_words(a), name_words(b)
    if not wa or not wb:
        return False
    if wa == wb:
        return True
    shorter, longer = (wa, wb) if len(wa) <= len(wb) else (wb, wa)
    return any(w not in GENERIC_WORDS for w in shorter) and _contains(longer, shorter)


def blocking_keys(name: str) -> set[str]:
    """Words under which two names that may match are found together (for indexing, not matching)."""
    country = country_key(name)
    if country:
        return {f"country:{country}"}
    return {w[:6] for w in name_words(name) if w not in GENERIC_WORDS and not w.isdigit()}
