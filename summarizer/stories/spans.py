"""Where a fact of a summary stands in its article: the offsets of its grounded evidence."""

from __future__ import annotations

from summarizer.schema import Action, Casualty


def span_of(action_or_casualty: Action | Casualty) -> tuple[int, int] | None:
    evidence = action_or_casualty.evidence
    if evidence.start is None or evidence.end is None or evidence.status == "ungrounded":
        return None
    return evidence.start, evidence.end


def overlap(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]
