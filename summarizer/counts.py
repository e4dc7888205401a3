"""Turn a casualty number phrase, as written, into integer bounds.

The model copies the phrase ("at least 25", "more than 50", "three", "dozens"); code reads it,
following UCDP-style low/high estimates: exact figures have low == high, "more than 50" is low 51
with no high, "up to 10" is high 10 with no low, "20 to 30" and "eight or nine" are ranges, vague words
("dozens", "a handful") keep no number.

Ours, not a library's: on the count cases of ``tests/finders/cases.jsonl``
(``benchmarks/text_libraries.py``), with our bound words kept in every variant, number words read by this
module pass 64 of 64, by text2num 3.1.0 (``alpha2digit``) 49 and by number-parser 0.3.2 49: both read
"a", "a dozen", "two dozen" and "1 million" wrong, and neither reads decimals before a scale.
"""

from __future__ import annotations

import re

_UNITS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "single": 1,
    "lone": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "dozen": 12,
}
_TENS = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
_SCALES = {"hundred": 100, "thousand": 1000, "million": 1_000_000}
# The words of a number, without the articles that count one only before a noun ("a contractor").
NUMBER_WORDS = frozenset(_UNITS.keys() - {"a", "an", "single", "lone"}) | _TENS.keys() | _SCALES.keys()

_LOWER_INCLUSIVE = re.compile(r"\b(at least|no fewer than|no less than|a minimum of)\b|\bor more\b|\+|-plus\b|\bplus\b")
_LOWER_EXCLUSIVE = re.compile(r"\b(more than|over|upwards of|in excess of|above)\b")
_UPPER_INCLUSIVE = re.compile(r"\b(up to|as many as|at most|nearly|almost|no more than)\b")
_UPPER_EXCLUSIVE = re.compile(r"\b(fewer than|less than|under|below)\b")
# "20-30", "20 to 30", "eight or nine": a separator, or a word between spaces (not the "and" of "thousand")
_RANGE = re.compile(r"(\S+(?:[ -]\S+)?)(?:\s*[-–]\s*|\s+(?:to|and|or)\s+)(\S+(?:[ -]\S+)?)$")
_VAGUE = re.compile(r"\b(dozens|scores|hundreds|thousands|several|many|some|few|numerous|handful)\b")
_NUMBER_TOKEN = re.compile(r"\d[\d,]*(?:\.\d+)?|[a-z]+")


def words_to_int(phrase: str) -> int | None:
    """Read one number written in digits or English words ("1,200", "twenty-five", "a dozen")."""
    tokens = _NUMBER_TOKEN.findall(phrase.lower().replace("-", " "))
    total = 0.0
    current = 0.0  # a decimal stays one until its scale: "2.5 million"
    seen = halved = False
    for token in tokens:
        if token[0].isdigit():
            current += float(token.replace(",", ""))
            seen = True
        elif token == "half" and not seen:  # "half a dozen"
            halved = True
        elif token in _UNITS:
            # "a dozen" and "two dozen" multiply; "a"/"an" alone mean one, and "a single" too
            if token == "dozen":
                current = (current or 1) * 12
            elif token in {"single", "lone"}:
                current = current or 1
            else:
                current += _UNITS[token]
            seen = True
        elif token in _TENS:
            current += _TENS[token]
            seen = True
        elif token in _SCALES:
            current = (current or 1) * _SCALES[token]
            if _SCALES[token] >= 1000:
                total += current
                current = 0
            seen = True
        elif token == "and" and seen:
            continue
        elif seen:
            break
    if not seen:
        return None
    value = total + current
    return int(value / 2 if halved else value)


def parse_count(phrase: str) -> tuple[int | None, int | None]:
    """Return (low, high) for a number phrase; (None, None) when it states no number."""
    text = " ".join(phrase.lower().split())
    if _VAGUE.search(_UPPER_INCLUSIVE.sub(" ", text)) and not re.search(r"\d", text):  # not "as many as twelve"
        return None, None
    between = re.search(r"between\s+(.+?)\s+and\s+(.+)$", text)
    ranged = between or _RANGE.search(text)
    if ranged:
        low, high = words_to_int(ranged.group(1)), words_to_int(ranged.group(2))
        if low is not None and high is not None and low < high:
            return low, high
    value = words_to_int(text)
    if value is None:
        return None, None
    if _LOWER_EXCLUSIVE.search(text):
        return value + 1, None
    if _LOWER_INCLUSIVE.search(text):
        return value, None
    if _UPPER_EXCLUSIVE.search(text):
        return None, max(value - 1, 0)
    if _UPPER_INCLUSIVE.search(text):
        return None, value
    return value, value
