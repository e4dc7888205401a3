"""The kinds of attack that words name: "30-plus rocket attack" is a rocket attack, "killed in the
blast" a bombing. Incidents learn their kind from them, and the words of a cause must name one (or
a casualty) to be an event."""

from __future__ import annotations

from summarizer.analysis.lexicon import values, written
from summarizer.extraction import ActionType

# Words of a casualty's "event" or evidence that name the kind of attack (the lexicon's "kind-in-report").
_KIND_PATTERNS = {kind: written(c.id) for kind, c in values("kind-in-report", ActionType)}


def kinds_named(text: str) -> set[ActionType]:
    """The kinds of attack the words of ``text`` name ("30-plus rocket attack" -> rocket attack)."""
    return {kind for kind, pattern in _KIND_PATTERNS.items() if pattern.search(text)}


SPECIFIC_KINDS = frozenset(_KIND_PATTERNS)
