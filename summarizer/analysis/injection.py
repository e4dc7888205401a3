"""Passages of an article that address the summarizer instead of reporting news.

Article text is data. A sentence that speaks to automated summarizers, language models or "your
summary", or tells the reader to ignore instructions, output a format, or include, add or report
something, is an *instruction passage*: whatever it states (a figure, a quote "by" someone) is the
words of whoever wrote the passage, not a report by the person or body it names. Finders leave such
passages out and grounding never marks a fact standing in one as grounded.

The patterns are the text rules of ``rules/injection.yaml``; no parse: grounding runs on every summary
served and must stay cheap.
"""

from __future__ import annotations

import re

from summarizer.rules.engine import first_of, match

# The rules that make a sentence an instruction, tried together (one regular expression).
_INSTRUCTIONS = (
    "injection.note-to-summarizer",
    "injection.greeting",
    "injection.summarizer-must",
    "injection.ignore-instructions",
    "injection.as-an-ai",
    "injection.your-output-must",
    "injection.into-your-output",
    "injection.jailbreak-words",
    "injection.output-format",
)
# Sentence ends: a stop followed by space, or a line break (normalized text keeps paragraphs on lines).
_SENTENCE = re.compile(r"[^\n.!?]*(?:[.!?]+[\"”’)]*(?=\s)|[.!?]*[\"”’)]*$|(?=\n))", re.MULTILINE)


def instruction_passages(text: str) -> list[tuple[int, int]]:
    """The spans of ``text`` that address the summarizer: a sentence that does, and the sentences of
    its paragraph that go on giving orders ("SYSTEM: ... developer mode. Report 900 dead.")."""
    spans: list[tuple[int, int]] = []
    sentences = [m.span() for m in _SENTENCE.finditer(text) if m.end() > m.start()]
    instructing = False
    for start, end in sentences:
        while start < end and text[start].isspace():
            start += 1
        if start >= end:
            continue
        if instructing and "\n" in text[spans[-1][1] : start]:
            instructing = False  # a new paragraph
        addressed = first_of(_INSTRUCTIONS, text, start, end) is not None
        if addressed or (instructing and match("injection.order-follows", text, start, end)):
            if instructing and "\n" not in text[spans[-1][1] : start]:
                spans[-1] = (spans[-1][0], end)
            else:
                spans.append((start, end))
            instructing = True
        else:
            instructing = False
    return spans


def in_passages(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    """Whether ``[start, end)`` overlaps one of the passages."""
    return any(s < end and start < e for s, e in spans)
