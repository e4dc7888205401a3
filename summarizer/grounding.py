"""Find the words the model copied in the article, and say how sure we are.

Models are bad at counting characters, so the model only copies snippets and this module finds
them: first exactly, then after folding both texts with the rule of ``summarizer.textfold``
(whitespace, quote style, dash style and case; both "grounded"), then approximately with rapidfuzz
("fuzzy", with its score). Whatever is not found is "ungrounded", with no offsets: nothing
ungrounded is presented as grounded. Offsets always point into the *original* article, through the
map kept by ``normalize``.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from functools import cached_property

from rapidfuzz import fuzz

from summarizer.normalize import NormalizedText
from summarizer.schema import Evidence, EvidenceReason, GroundingStatus
from summarizer.textfold import fold_characters

FUZZY_MIN_SCORE = 90.0  # rapidfuzz partial_ratio, 0-100
FUZZY_MIN_CHARS = 16  # shorter snippets match noise too easily: exact or nothing
_RANK = {GroundingStatus.grounded: 2, GroundingStatus.fuzzy: 1, GroundingStatus.ungrounded: 0}

_WHITESPACE = re.compile(r"\s+")


def canonical(text: str) -> tuple[str, list[int]]:
    """``textfold.fold(text)`` with an index map: the folded text and where each of its characters came from.

    Folding follows ``textfold`` (quotes, dashes, no-break spaces, case, whitespace); ``index[i]`` is
    the position in ``text`` of canonical character ``i``. Runs on every snippet of every summary
    served, so the common case (case-folding keeps the length) avoids a Python loop per character.
    """
    translated = fold_characters(text)  # one character for one: positions are unchanged
    folded = translated.casefold()
    if len(folded) != len(translated):  # "ß" -> "ss" and the like: map character by character
        return _canonical_by_char(text)
    parts: list[str] = []
    index: list[int] = []
    cursor = 0
    for match in _WHITESPACE.finditer(folded):
        start, end = match.span()
        parts.append(folded[cursor:start])
        index.extend(range(cursor, start))
        if start > 0 and end < len(folded):  # an inner run becomes one space; leading/trailing go
            parts.append(" ")
            index.append(start)
        cursor = end
    parts.append(folded[cursor:])
    index.extend(range(cursor, len(folded)))
    return "".join(parts), index


def _canonical_by_char(text: str) -> tuple[str, list[int]]:
    out: list[str] = []
    index: list[int] = []
    previous_space = True
    for i, ch in enumerate(fold_characters(text)):
        if ch.isspace():
            if previous_space:
                continue
            ch = " "
            previous_space = True
        else:
            previous_space = False
        for folded in ch.casefold():
            out.append(folded)
            index.append(i)
    while out and out[-1] == " ":
        out.pop()
        index.pop()
    return "".join(out), index


@dataclass
class Grounder:
    """Locates snippets in one article; build once per article and reuse for every fact."""

    article: str
    normalized: NormalizedText

    @cached_property
    def _canon(self) -> tuple[str, list[int]]:
        return canonical(self.normalized.text)

    def locate(self, snippet: str, *, window: tuple[int, int] | None = None, fuzzy: bool = True) -> Evidence:
        """Evidence for ``snippet``; ``window`` (original offsets) restricts the search to that span."""
        found = self._find(snippet, window=window, fuzzy=fuzzy)
        if found is None:
            return Evidence(text=snippet, status=GroundingStatus.ungrounded, score=0.0, reason=EvidenceReason.not_found)
        norm_start, norm_end, score = found
        start, end = self.normalized.original_span(norm_start, norm_end)
        quote = None if self.article[start:end] == snippet.strip() else self.article[start:end]
        if score < 1.0:
            status, reason = GroundingStatus.fuzzy, EvidenceReason.near_match
        else:
            status, reason = GroundingStatus.grounded, EvidenceReason.normalized if quote else EvidenceReason.exact
        return Evidence(
            text=snippet, status=status, start=start, end=end, score=round(score, 3), quote=quote, reason=reason
        )

    def reground(self, evidence: Evidence, status: GroundingStatus, reason: EvidenceReason) -> Evidence:
        """The same evidence with a weaker status, for a claim its words do not carry."""
        if _RANK[status] >= _RANK[evidence.status]:
            return evidence
        return evidence.model_copy(update={"status": status, "reason": reason})

    def span_of(self, evidence: Evidence) -> tuple[int, int] | None:
        """Where evidence stands in the normalized text (what the finders read), if it was found."""
        if evidence.start is None or evidence.end is None:
            return None
        offsets = self.normalized.offsets
        lo = bisect_left(offsets, evidence.start)
        hi = bisect_left(offsets, evidence.end)
        return lo, hi

    def locate_words(self, phrase: str, *, window: tuple[int, int] | None = None) -> Evidence:
        """Like ``locate`` for a short phrase (a number), matched as whole words and never fuzzily."""
        return self.locate(phrase, window=window, fuzzy=False)

    def occurrences(self, phrase: str, window: tuple[int, int]) -> list[Evidence]:
        """Every whole-word occurrence of ``phrase`` (as written) in ``window`` (original offsets)."""
        lo, hi = self._normalized_window(window)
        pattern = word_pattern(phrase.strip())
        return [self.evidence_at(m.span(), text=phrase) for m in pattern.finditer(self.normalized.text, lo, hi)]

    def evidence_at(
        self,
        span: tuple[int, int],
        *,
        text: str | None = None,
        status: GroundingStatus = GroundingStatus.grounded,
        reason: EvidenceReason = EvidenceReason.exact,
    ) -> Evidence:
        """Evidence for the article's words at ``span`` of the normalized text (what the finders read)."""
        start, end = self.normalized.original_span(*span)
        words = self.article[start:end]
        return Evidence(
            text=words if text is None else text, status=status, start=start, end=end, score=1.0, reason=reason
        )

    def _find(self, snippet: str, *, window: tuple[int, int] | None, fuzzy: bool) -> tuple[int, int, float] | None:
        text = self.normalized.text
        lo, hi = self._normalized_window(window)
        snippet = snippet.strip()
        if not snippet:
            return None
        exact = _find_word_bounded(text, snippet, lo, hi)
        if exact is not None:
            return exact, exact + len(snippet), 1.0
        canon_text, canon_index = self._canon
        canon_snippet, _ = canonical(snippet)
        if not canon_snippet:
            return None
        c_lo = bisect_left(canon_index, lo)
        c_hi = bisect_left(canon_index, hi)
        at = _find_word_bounded(canon_text, canon_snippet, c_lo, c_hi)
        if at is not None:
            return canon_index[at], canon_index[at + len(canon_snippet) - 1] + 1, 1.0
        if not fuzzy or len(canon_snippet) < FUZZY_MIN_CHARS:
            return None
        haystack = canon_text[c_lo:c_hi]
        if len(canon_snippet) > len(haystack):
            return None
        alignment = fuzz.partial_ratio_alignment(canon_snippet, haystack, score_cutoff=FUZZY_MIN_SCORE)
        if alignment is None or alignment.dest_end <= alignment.dest_start:
            return None
        d_start = c_lo + alignment.dest_start
        d_end = c_lo + alignment.dest_end
        return canon_index[d_start], canon_index[d_end - 1] + 1, alignment.score / 100.0

    def _normalized_window(self, window: tuple[int, int] | None) -> tuple[int, int]:
        if window is None:
            return 0, len(self.normalized.text)
        offsets = self.normalized.offsets
        return bisect_left(offsets, window[0]), bisect_left(offsets, window[1])


def _find_word_bounded(text: str, needle: str, lo: int, hi: int) -> int | None:
    """First occurrence of ``needle`` in text[lo:hi] that does not start or end inside a word."""
    match = word_pattern(needle).search(text, lo, hi)
    return match.start() if match else None


def word_pattern(needle: str) -> re.Pattern[str]:
    """``needle`` as whole words: not inside a word, and a number not inside another number."""
    pattern = re.escape(needle)
    if needle[:1].isalnum():
        pattern = r"(?<![\w])" + pattern
    if needle[:1].isdigit():
        pattern = r"(?<!\d[,.])" + pattern  # "200" is not in "1,200"
    if needle[-1:].isalnum():
        pattern = pattern + r"(?![\w])"
    if needle[-1:].isdigit():
        pattern = pattern + r"(?![,.]\d)"  # "1" is not in "1,200" or "1.5"
    return re.compile(pattern)
