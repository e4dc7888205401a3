"""Candidates that a finder found and then dropped, with the rule that dropped them (for ``explain``
and ``summarizer rules stats``: which rules overrule which)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from summarizer.rules.engine import Trace

if TYPE_CHECKING:
    from spacy.tokens import Token


@dataclass(frozen=True)
class Dropped:
    """A candidate some rules found and one rule dropped: where it stood, and which rules did what."""

    kind: str  # "statement", "figure", "action", "actor"
    start: int
    end: int
    text: str  # the words the candidate was found on (a number, a trigger, a quote)
    rules: tuple[str, ...]  # the rules that applied before it was dropped
    dropped_by: str

    @classmethod
    def of(cls, kind: str, text: str, token: Token, trace: Trace) -> Dropped:
        start = int(token.idx)
        end = start + len(token.text)
        return cls(kind, start, end, text[start:end], trace.ids(), trace.dropped_by or "")

    @classmethod
    def at(cls, kind: str, text: str, span: tuple[int, int], trace: Trace) -> Dropped:
        return cls(kind, span[0], span[1], text[span[0] : span[1]], trace.ids(), trace.dropped_by or "")
