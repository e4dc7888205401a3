"""Passages of an article that address the summarizer instead of reporting news.

Article text is data. A sentence that speaks to automated summarizers, language models or "your
summary", or tells the reader to ignore instructions, output a format, or include, add or report
something, is an *instruction passage*: whatever it states (a figure, a quote "by" someone) is the
words of whoever wrote the passage, not a report by the person or body it names. Finders leave such
passages out and grounding never marks a fact standing in one as grounded.

Plain regular expressions, no parse: grounding runs on every summary served and must stay cheap.
"""

from __future__ import annotations

import re

_ADDRESSEE = (
    r"(?:automated|ai|artificial intelligence|language|llm|gpt|machine)[\s-]*(?:summari[sz]ers?|models?|systems?"
    r"|assistants?|tools?|readers?|agents?|bots?)|summari[sz]ers?|llms?|chatbots?|language models?"
)
_INSTRUCTION = re.compile(
    "|".join(
        (
            rf"\b(?:note|message|instructions?|attention|warning)\s+(?:to|for)\s+(?:all\s+|any\s+|the\s+)?(?:{_ADDRESSEE})\b",
            rf"\b(?:dear|hey|hello)\s+(?:{_ADDRESSEE})\b",
            rf"\b(?:{_ADDRESSEE})\b[^.\n]{{0,80}}\b(?:must|should|shall|need to|are (?:instructed|required|asked)"
            r"|will|please)\b",
            r"\b(?:ignore|disregard|forget|override)\s+(?:all\s+|any\s+)?(?:the\s+|your\s+|previous\s+|prior\s+|above\s+"
            r"|earlier\s+|other\s+)*(?:instructions?|rules|prompts?|guidelines|text)\b",
            r"\bas an? (?:ai|language model|assistant)\b",
            r"\b(?:your|the)\s+(?:summary|output|response|extraction|answer|json)\s+(?:must|should|shall|needs? to"
            r"|will)\b",
            r"\b(?:in|into|to)\s+your\s+(?:summary|output|response|extraction|answer|json)\b",
            r"\b(?:system prompt|developer mode|jailbreak|prompt injection)\b",
            r"\b(?:output|respond|reply|answer|return)\s+(?:only\s+)?(?:with\s+|in\s+)?(?:json|xml|yaml|markdown"
            r"|the following|this text)\b",
        )
    ),
    re.IGNORECASE,
)
# A sentence that gives an order: it opens with a bare verb, or speaks to "you".
_IMPERATIVE = re.compile(
    r"\s*(?:please\s+)?(?:report|include|add|list|say|state|write|mention|output|respond|reply|return|print|claim"
    r"|attribute|omit|remove|delete|skip|replace|use|treat|describe|summari[sz]e|do not|don't|never|always|make sure"
    r"|remember|you\b|your\b)",
    re.IGNORECASE,
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
        if _INSTRUCTION.search(text, start, end) or (instructing and _IMPERATIVE.match(text, start, end)):
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
