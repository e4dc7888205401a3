"""The kinds of attack that words name: "30-plus rocket attack" is a rocket attack, "killed in the
blast" a bombing. Incidents learn their kind from them, and the words of a cause must name one (or
a casualty) to be an event."""

from __future__ import annotations

import re

from summarizer.extraction import ActionType

# Words of a casualty's "event" or evidence that name the kind of attack.
_KIND_WORDS = {
    ActionType.airstrike: ("air", "airstrike", "airstrikes", "strike", "strikes", "raid", "drone", "bombed"),
    ActionType.shelling_or_rocket_attack: (
        "rocket",
        "rockets",
        "missile",
        "missiles",
        "shelling",
        "mortar",
        "katyusha",
    ),
    ActionType.bombing: ("bomb", "bombs", "bombing", "ied", "explosive", "explosion", "exploded", "suicide", "blast"),
    ActionType.armed_clash: ("clash", "clashes", "fighting", "firefight", "gunfight"),
}


_KIND_PATTERNS = {
    kind: re.compile(r"\b(?:" + "|".join(kind_words) + r")\b", re.IGNORECASE)
    for kind, kind_words in _KIND_WORDS.items()
}


def kinds_named(text: str) -> set[ActionType]:
    """The kinds of attack the words of ``text`` name ("30-plus rocket attack" -> rocket attack)."""
    return {kind for kind, pattern in _KIND_PATTERNS.items() if pattern.search(text)}


SPECIFIC_KINDS = frozenset(_KIND_WORDS)
