"""Quoted spans: where an article puts words in someone's mouth.

Real articles are messy: curly and straight marks, a closing mark written as an opening one
(“...“), quotes left open at the end of a paragraph (the journalistic convention for a quote that
goes on in the next paragraph, or a translation error), glued sentences. The rules:

- A mark opens a quote when no quote is open and the next character is not a space; it closes the
  open quote when the previous character is not a space. A mark with spaces on both sides is noise.
- A quote still open at the end of its paragraph ends there, ``closed=False``; when the next
  paragraph opens a quote at its first character, that quote ``continues`` the previous one.
- Single curly quotes (‘...’) count only in that order, and a ’ between letters is an apostrophe.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_DOUBLE_OPEN = "“„«"
_DOUBLE_CLOSE = "”»"
_DOUBLE_ANY = _DOUBLE_OPEN + _DOUBLE_CLOSE + '"'
_PARAGRAPH = re.compile(r"[^\n]+")
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Quote:
    """The words between two quotation marks; ``start``/``end`` exclude the marks."""

    start: int
    end: int
    text: str
    closed: bool
    continues: bool  # opens a paragraph right after a quote left open: the same speaker goes on

    @property
    def words(self) -> int:
        return len(_WORD.findall(self.text))

    def contains(self, position: int) -> bool:
        return self.start <= position < self.end


def find_quotes(text: str) -> list[Quote]:
    """Every quoted span of ``text``, in order."""
    quotes: list[Quote] = []
    previous_open = False
    for paragraph in _PARAGRAPH.finditer(text):
        found = _paragraph_quotes(text, paragraph.start(), paragraph.end(), continuing=previous_open)
        quotes.extend(found)
        previous_open = bool(found) and not found[-1].closed
    return quotes


def _paragraph_quotes(text: str, lo: int, hi: int, *, continuing: bool) -> list[Quote]:
    quotes: list[Quote] = []
    opened: int | None = None  # offset of the first character inside the open quote
    single = False
    for i in range(lo, hi):
        ch = text[i]
        before = text[i - 1] if i > lo else " "
        after = text[i + 1] if i + 1 < hi else " "
        if opened is None:
            if ch in _DOUBLE_ANY and not after.isspace():
                opened, single = i + 1, False
            elif ch == "‘" and not after.isspace() and not before.isalnum():
                opened, single = i + 1, True
            continue
        if single:
            if ch == "’" and not before.isspace() and not after.isalnum():
                quotes.append(_quote(text, opened, i, closed=True, continues=False))
                opened = None
            continue
        if ch in _DOUBLE_ANY:
            if not before.isspace():
                quotes.append(_quote(text, opened, i, closed=True, continues=False))
                opened = None
            elif not after.isspace():  # a new opening mark: the open quote was never closed
                quotes.append(_quote(text, opened, i, closed=False, continues=False))
                opened = i + 1
            elif i >= lo + 2 and text[i - 2] in ".!?,;":  # 'a complex. “ The rest': a stray closing mark
                quotes.append(_quote(text, opened, i, closed=True, continues=False))
                opened = None
    if opened is not None and not single:  # an unclosed ‘ is more likely an apostrophe than a quote
        quotes.append(_quote(text, opened, hi, closed=False, continues=False))
    quotes = [q for q in quotes if q.text]
    if continuing and quotes and quotes[0].start == lo + 1:
        first = quotes[0]
        quotes[0] = Quote(first.start, first.end, first.text, first.closed, continues=True)
    return quotes


def _quote(text: str, start: int, end: int, *, closed: bool, continues: bool) -> Quote:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Quote(start, end, text[start:end], closed, continues)
