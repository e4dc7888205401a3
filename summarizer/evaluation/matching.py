"""The matching rules of the gold format (``/work/shared/eval/FORMAT.md``), one small function each.

Names and quotes are compared after ``normalize_words``: folded with the project's one rule
(``summarizer.textfold``: quotes, dashes, spaces, case), punctuation ignored. Two names match when
one, as whole words, is contained in the other ("Pompeo" ~ "Mike Pompeo", but "US" never matches
inside "Russia" or "USA").
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from summarizer.textfold import has_words
from summarizer.textfold import words as normalize_words


def contains_words(haystack: Sequence[str], needle: Sequence[str]) -> bool:
    """Whether ``needle`` occurs in ``haystack`` as a run of whole words; an empty needle never does."""
    if not needle or len(needle) > len(haystack):
        return False
    width = len(needle)
    return any(tuple(haystack[i : i + width]) == tuple(needle) for i in range(len(haystack) - width + 1))


def names_match(a: str, b: str) -> bool:
    """Two spellings of a name match when one contains the other as whole words, after normalisation."""
    return has_words(a, b) or has_words(b, a)


def any_name_matches(accepted: Iterable[str], candidates: Iterable[str]) -> str | None:
    """The first candidate that matches any accepted spelling, or None."""
    accepted = list(accepted)
    for candidate in candidates:
        if any(names_match(spelling, candidate) for spelling in accepted):
            return candidate
    return None


def text_contains(text: str, fragment: str) -> bool:
    """Whether ``fragment`` stands in ``text`` as whole words, after normalisation (statements).

    Punctuation is ignored either way: dropped ("U.S." = "US"), or as a word break, since articles
    glue sentences ("... occupation forces”.Also ...") and the model copies them so.
    """
    return any(
        contains_words(
            normalize_words(text, punctuation_breaks_words=b), normalize_words(fragment, punctuation_breaks_words=b)
        )
        for b in (False, True)
    )


def figure_numbers(low: int | None, high: int | None) -> frozenset[int]:
    """The numbers an extracted figure gives: one when low == high, its stated bounds otherwise.

    "more than 50" (low 51, no high) gives {51}; "20 to 30" gives {20, 30}; "dozens" gives nothing.
    """
    return frozenset(n for n in (low, high) if n is not None)


def number_accepted(accepted: int | Sequence[int], low: int | None, high: int | None) -> bool:
    """Whether an extracted figure states the gold number: every bound it gives must be accepted.

    The gold lists accepted integers where the article is vague ("more than 100" -> [100, 101]),
    so a figure matches when it gives at least one number and none outside that list: "at least 25"
    (low 25) matches 25; "20 to 30" matches [20, 30] but not 20 alone; "dozens" matches nothing.
    """
    numbers = figure_numbers(low, high)
    allowed = {accepted} if isinstance(accepted, int) else set(accepted)
    return bool(numbers) and numbers <= allowed
