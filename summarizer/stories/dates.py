"""Dates the words of a report give an event, resolved against the article's publication day.

News dates events relative to publication: "on Sunday", "Sunday night", "last Friday", "last
night", "yesterday", "on December 31", "3 January". A weekday is the latest such day on or before
publication; a month and day without a year is the latest such date on or before publication.
Nothing is guessed when the article has no publication day.

Ours, not a library's: on the date cases of ``tests/finders/cases.jsonl``
(``benchmarks/text_libraries.py``) this module passes 51 of 57 and dateparser 1.5.0 (``search_dates``
with the publication day as its relative base, its best setting) 48, about 200 times slower; dateparser
puts a weekday that falls on the publication day a week earlier, reads "the 1990s" as seconds ago and
"24-hour" as 24 January.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from summarizer.analysis.lexicon import alternative, ordered_words, table

_WEEKDAYS = ordered_words("weekday-name")  # Monday first
_MONTHS = ordered_words("month-name")  # January first
_MONTH_NUMBERS = {m[:3]: i + 1 for i, m in enumerate(_MONTHS)}


def names_a_time(word: str) -> bool:
    """ "April", "Friday": after "in" or "on" these say when, not where."""
    return word.lower() in _MONTHS or word.lower().rstrip("s") in _WEEKDAYS


# A month as written ("Dec.", "Sept", "December") and a day's ordinal suffix ("29th").
_MONTH = rf"({alternative('month-stem')})[a-z]*\.?"
_ORDINAL = rf"(?:{alternative('ordinal-suffix')})?"

_WEEKDAY = re.compile(rf"\b({alternative('weekday-name')})s?\b", re.IGNORECASE)
_MONTH_DAY = re.compile(rf"\b{_MONTH}\s+(\d{{1,2}}){_ORDINAL}\b(?!\s*(?:,\s*)?\d{{3}})", re.IGNORECASE)
_DAY_MONTH = re.compile(rf"\b(\d{{1,2}}){_ORDINAL}\s+(?:of\s+)?{_MONTH}(?!\s*\d{{3}})", re.IGNORECASE)
_FULL_DATE = re.compile(
    rf"\b(?:{_MONTH}\s+(\d{{1,2}}){_ORDINAL},?\s+(\d{{4}})|(\d{{1,2}}){_ORDINAL}\s+{_MONTH},?\s+(\d{{4}}))",
    re.IGNORECASE,
)
# "yesterday", "last night": how many days before publication
_RELATIVE = {phrase: int(days) for days, phrases in table("relative-day").items() for phrase in phrases}
_RELATIVE_PATTERN = re.compile(
    r"\b(" + "|".join(sorted(map(re.escape, _RELATIVE), key=len, reverse=True)) + r")\b", re.IGNORECASE
)


def _month_number(name: str) -> int | None:
    return _MONTH_NUMBERS.get(name.lower()[:3])


def _latest_on_or_before(published: date, month: int, day: int) -> date | None:
    for year in (published.year, published.year - 1):
        try:
            candidate = date(year, month, day)
        except ValueError:
            return None
        if candidate <= published:
            return candidate
    return None


def resolve_dates(text: str, published: date | None) -> list[date]:
    """Every date ``text`` gives, resolved against ``published``; empty without a publication day.

    Full dates ("December 29, 2019") resolve without one.
    """
    found: list[date] = []
    spans: list[tuple[int, int]] = []
    for match in _FULL_DATE.finditer(text):
        month_name, day, year = (match.group(1), match.group(2), match.group(3))
        if month_name is None:
            day, month_name, year = match.group(4), match.group(5), match.group(6)
        month = _month_number(month_name)
        try:
            found.append(date(int(year), month or 0, int(day)))
        except ValueError:
            continue
        spans.append(match.span())
    if published is None:
        return found

    def free(match: re.Match[str]) -> bool:
        return not any(start <= match.start() < end for start, end in spans)

    for match in _WEEKDAY.finditer(text):
        weekday = _WEEKDAYS.index(match.group(1).lower())
        found.append(published - timedelta(days=(published.weekday() - weekday) % 7))
    for pattern, month_group, day_group in ((_MONTH_DAY, 1, 2), (_DAY_MONTH, 2, 1)):
        for match in pattern.finditer(text):
            if not free(match):
                continue
            month = _month_number(match.group(month_group))
            resolved = _latest_on_or_before(published, month, int(match.group(day_group))) if month else None
            if resolved is not None:
                found.append(resolved)
    for match in _RELATIVE_PATTERN.finditer(text):
        found.append(published - timedelta(days=_RELATIVE[match.group(1).lower()]))
    return sorted(set(found))


def weekdays_named(text: str) -> set[str]:
    """The days of the week ``text`` names ("Friday"), for comparing articles without a publication day."""
    return {match.group(1).lower() for match in _WEEKDAY.finditer(text)}
