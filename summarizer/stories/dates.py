"""Dates the words of a report give an event, resolved against the article's publication day.

News dates events relative to publication: "on Sunday", "Sunday night", "last Friday", "last
night", "yesterday", "on December 31", "3 January". A weekday is the latest such day on or before
publication; a month and day without a year is the latest such date on or before publication.
Nothing is guessed when the article has no publication day.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_MONTHS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
_MONTH_NUMBERS = {m[:3]: i + 1 for i, m in enumerate(_MONTHS)}


def names_a_time(word: str) -> bool:
    """ "April", "Friday": after "in" or "on" these say when, not where."""
    return word.lower() in _MONTHS or word.lower().rstrip("s") in _WEEKDAYS


_MONTH = r"(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"

_WEEKDAY = re.compile(r"\b(monday|tuesday|wednesday|thursday|friday|saturday|sunday)s?\b", re.IGNORECASE)
_MONTH_DAY = re.compile(rf"\b{_MONTH}\s+(\d{{1,2}})(?:st|nd|rd|th)?\b(?!\s*(?:,\s*)?\d{{3}})", re.IGNORECASE)
_DAY_MONTH = re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}(?!\s*\d{{3}})", re.IGNORECASE)
_FULL_DATE = re.compile(
    rf"\b(?:{_MONTH}\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})|(\d{{1,2}})(?:st|nd|rd|th)?\s+{_MONTH},?\s+(\d{{4}}))",
    re.IGNORECASE,
)
_RELATIVE = {
    "today": 0,
    "this morning": 0,
    "tonight": 0,
    "yesterday": 1,
    "last night": 1,
    "overnight": 1,
    "the day before yesterday": 2,
}
_RELATIVE_PATTERN = re.compile(r"\b(" + "|".join(sorted(_RELATIVE, key=len, reverse=True)) + r")\b", re.IGNORECASE)


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
