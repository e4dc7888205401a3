"""The recall net: passages that tell an outcome but gave code no action, and the model's answer about
each, kept only in the passage's own words.

A passage is a run of up to ``PASSAGE_SENTENCES`` sentences of one paragraph (a page that lost its line
breaks is one long paragraph). One that holds an outcome word ("killed", "wounded", "kidnapped",
"arrested") or a device going off ("exploded"), and in which code found no action candidate, gets one
question: what happened, who did it, to whom, where. Every answer field must stand in the passage as
whole words, and the "what" must name an event of a class of the lexicon (``trigger_kind`` over its
words, the same classes code reads); a field that does not is dropped, and an answer whose "what" does
not is no action. The action keeps the rule ``model.recall`` so a reader knows no rule of code found it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from pydantic import Field

from summarizer.analysis.lexicon import OUTCOME_WORDS
from summarizer.analysis.triggers import device_verb, trigger_kind
from summarizer.extraction import ActionType
from summarizer.rules.engine import collect
from summarizer.strategies.questions import _Answer
from summarizer.textfold import fold_words, has_words

if TYPE_CHECKING:
    from collections.abc import Callable

    from spacy.tokens import Span, Token

    from summarizer.analysis.finders import Candidates

PASSAGE_SENTENCES = 3
MAX_RECALL_QUESTIONS = 2
MAX_PASSAGE_CHARS = 600
# What no answer field may be: the model's ways of saying the passage does not tell it.
_NOTHING = frozenset({"", "unknown", "none", "n/a", "not stated", "not mentioned", "unspecified"})


class RecallAnswer(_Answer):
    what: str = Field(max_length=80, description="The passage's words that name what happened")
    who: str = Field(max_length=80, description="Who did it, in the passage's words; empty when it does not say")
    whom: str = Field(max_length=80, description="To whom or what, in the passage's words; empty when it does not say")
    where: str = Field(max_length=80, description="Where, in the passage's words; empty when it does not say")


@dataclass(frozen=True)
class Passage:
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Recalled:
    """An action the model told of a passage, every word of it checked against the passage."""

    type: ActionType
    what: str
    actors: tuple[str, ...]
    targets: tuple[str, ...]
    location: str | None
    sentence: tuple[int, int]  # the sentence whose words name what happened
    start: int  # where those words start
    lemma: str  # the word that names the event, as the lexicon has it


def uncovered_passages(found: Candidates) -> list[Passage]:
    """The passages that tell an outcome and gave code no action candidate, in text order, at most
    ``MAX_RECALL_QUESTIONS``."""
    analysis = found.analysis
    starts = [event.start for event in found.events]
    passages: list[Passage] = []
    for sentences in _runs(analysis.sentences, analysis.paragraph_bounds):
        start, end = sentences[0].start_char, sentences[-1].end_char
        if any(start <= s < end for s in starts) or not any(_tells_an_outcome(t) for s in sentences for t in s):
            continue
        passages.append(Passage(start, end, analysis.text[start:end][:MAX_PASSAGE_CHARS]))
    return passages[:MAX_RECALL_QUESTIONS]


def _runs(sentences: list[Span], paragraph_of: Callable[[int], tuple[int, int]]) -> list[list[Span]]:
    """The sentences in runs of up to ``PASSAGE_SENTENCES`` within one paragraph."""
    runs: list[list[Span]] = []
    current: list[Span] = []
    paragraph = None
    for sentence in sentences:
        bounds = paragraph_of(sentence.start_char)
        if current and (bounds != paragraph or len(current) >= PASSAGE_SENTENCES):
            runs.append(current)
            current = []
        paragraph = bounds
        if sentence.text.strip():
            current.append(sentence)
    if current:
        runs.append(current)
    return runs


def _tells_an_outcome(token: Token) -> bool:
    return token.lemma_.lower() in OUTCOME_WORDS or token.lower_ in OUTCOME_WORDS or device_verb(token)


def recalled(found: Candidates, passage: Passage, answer: RecallAnswer) -> Recalled | None:
    """The action an answer tells, or None when its "what" is not the passage's words naming an event."""
    text = found.analysis.text
    what = _grounded(answer.what, passage.text)
    located = _locate(what, text, passage.start, passage.end) if what else None
    if what is None or located is None:
        return None
    at, end = located
    named = _kind_of(found, at, end)
    if named is None:
        return None
    kind, lemma = named
    who, whom, where = (_grounded(value, passage.text) for value in (answer.who, answer.whom, answer.where))
    sentence = found.analysis.sentence_at(at)
    return Recalled(
        type=kind,
        what=what,
        actors=(who,) if who and who != whom else (),
        targets=(whom,) if whom else (),
        location=where,
        sentence=(sentence.start_char, sentence.end_char),
        start=at,
        lemma=lemma,
    )


def _grounded(value: str, passage: str) -> str | None:
    """``value`` when it stands in the passage as whole words (folded), else None."""
    value = " ".join(value.split()).strip(" .,;:\"'“”")
    if fold_words(value) in _NOTHING or not has_words(passage, value):
        return None
    return value


def _locate(value: str, text: str, start: int, end: int) -> tuple[int, int] | None:
    """Where ``value``'s words stand in ``text[start:end]``, whatever their case and spacing."""
    pattern = r"\s+".join(re.escape(word) for word in value.split())
    found = re.compile(rf"(?<!\w){pattern}(?!\w)", re.IGNORECASE).search(text, start, end)
    return (found.start(), found.end()) if found else None


def _kind_of(found: Candidates, start: int, end: int) -> tuple[ActionType, str] | None:
    """The event class of the first word of the span that names one, as code reads a trigger, and its
    lemma."""
    with collect():  # the trigger's own rule is code's reading of a word, not a finding: not recorded
        for token in found.analysis.doc.char_span(start, end, alignment_mode="expand") or ():
            kind = trigger_kind(token)
            if kind is None and device_verb(token):
                kind = ActionType.bombing
            if kind is not None:
                return kind, token.lemma_.lower()
    return None
