"""Trust, on the 25 corpus articles summarized with recorded model answers: no statement is only its
attribution frame or a quoted term, and no actor or speaker is a dateline, byline or page header.

The checks read the summaries and the article, not the finders' rules: a statement cut at a line end
ends without a final stop on a word that leads on; a quoted term is a verbatim statement of a few
words standing inside running words; a dateline, byline or header name is one whose every mention in
the article lies in such a line. Recordings: ``make recordings`` (see docs/development.md).
"""

from __future__ import annotations

import re

import pytest

from summarizer.normalize import furniture_spans, is_dateline, normalize
from summarizer.schema import ArticleSummary, QuoteCheck
from tests.corpus_support import ARTICLES, corpus_summaries

# Words a statement cut before its end stops on: "Officials have reported that", "a captain and four".
_LEADS_ON = re.compile(r"\b(that|and|or|of|the|a|an|to|according to|\d+|four|two|three)\W*$", re.IGNORECASE)
_OPENING_MARKS = "\"“'‘"


@pytest.fixture(scope="module")
def summaries() -> dict[str, tuple[str, ArticleSummary]]:
    return corpus_summaries()


def test_the_corpus_is_all_here() -> None:
    assert len(ARTICLES) == 25


def test_no_statement_is_only_its_frame(summaries: dict[str, tuple[str, ArticleSummary]]) -> None:
    cut = [
        (name, s.text)
        for name, (_, summary) in summaries.items()
        for s in summary.statements
        if s.text.rstrip()[-1:] not in ".!?\"”’'," and _LEADS_ON.search(s.text)
    ]
    assert cut == []


def test_no_statement_is_a_quoted_term(summaries: dict[str, tuple[str, ArticleSummary]]) -> None:
    terms = []
    for name, (text, summary) in summaries.items():
        for statement in summary.statements:
            start = statement.evidence.start
            if statement.quote_check is QuoteCheck.paraphrase or start is None or len(statement.text.split()) > 3:
                continue
            before = text[:start].rstrip()
            if before[-1:] in _OPENING_MARKS and before[:-1].rstrip()[-1:].isalnum():  # 'as "acts of aggression"'
                terms.append((name, statement.text))
    assert terms == []


def test_no_actor_or_speaker_is_a_dateline_byline_or_header(
    summaries: dict[str, tuple[str, ArticleSummary]],
) -> None:
    furniture = []
    for name, (original, summary) in summaries.items():
        text = normalize(original).text
        names = {a.name for a in summary.actors} | {s.speaker for s in summary.statements if s.speaker}
        for who in names:
            found = [m.start() for m in re.finditer(re.escape(who), text)]
            if found and all(_in_furniture(text, at) for at in found):
                furniture.append((name, who))
    assert furniture == []


def _in_furniture(text: str, position: int) -> bool:
    if any(start <= position < end for start, end in furniture_spans(text)):
        return True
    line_start = text.rfind("\n", 0, position) + 1
    line_end = text.find("\n", position)
    return is_dateline(text[line_start : line_end if line_end >= 0 else len(text)])
