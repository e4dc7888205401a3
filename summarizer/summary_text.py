"""The summary sentence: built from the facts, and checked against them.

The model writes the sentence in its own words, so it is the one place a figure or a name could
appear that no fact supports (an article can talk a model into "900 killed"). Every number and every
name of the sentence must stand in a fact of the summary whose evidence is grounded; a sentence
that holds anything else is cut, and when nothing is left the sentence is rebuilt from the
grounded facts by code.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from summarizer.analysis.lexicon import PEOPLE_NOUNS, ROLE_NOUNS, outcome_pattern, words
from summarizer.counts import NUMBER_WORDS, words_to_int
from summarizer.extraction import Modality, Outcome
from summarizer.schema import Action, Actor, Casualty, GroundingStatus, Statement, SummaryCheck
from summarizer.textfold import fold_words

MAX_CHARS = 300
# Sentence ends: a stop, then space and a capital; not "U.S." or "Kan." (a capital and up to two letters).
_SENTENCE_END = re.compile(r"(?<!\b[A-Z]\.)(?<!\b[A-Z][a-z]\.)(?<!\b[A-Z][a-z]{2}\.)(?<=[.!?])[\"”’)]*\s+(?=[A-Z\"“])")
_NUMBER = re.compile(rf"\b(?:\d[\d,.]*|{'|'.join(sorted(NUMBER_WORDS))}|dozens)\b", re.IGNORECASE)
_NAME = re.compile(r"\b[A-Z][\w'’.-]*(?:\s+(?:of|al|al-|bin|de|the)?\s*[A-Z][\w'’.-]*)*")
_ENDED = re.compile(r"[.!?][\"”’)]*$")
# A sentence's clauses, for the casualty check: "Rockets hit the base, civilian killed, spokesman killed".
_CLAUSE = re.compile(r"[,;:]|\s+(?:and|while|as|after)\s+")
_CHECKED_OUTCOMES = (Outcome.killed, Outcome.injured, Outcome.abducted, Outcome.arrested)
_PEOPLE_WORDS = frozenset(word.removesuffix("s") for word in PEOPLE_NOUNS | ROLE_NOUNS) | words(
    "irregular-plural-people"
)
# Capitalised words that are not names: sentence openers, days, months.
_NOT_NAMES = words("capitalised-not-name")


def check_summary(
    summary: str,
    actors: Sequence[Actor],
    actions: Sequence[Action],
    casualties: Sequence[Casualty],
    statements: Sequence[Statement],
) -> tuple[str, SummaryCheck]:
    """The sentences of ``summary`` that only hold grounded numbers, names and casualties, and how it went."""
    support = _support(actors, actions, casualties, statements)
    known = _numbers(support)
    victims, counts = _victims_by_outcome(casualties), _counts_by_outcome(casualties)
    sentences = [s.strip() for s in _SENTENCE_END.split(" ".join(summary.split())) if s.strip()]
    if len(sentences) > 1 and not _ENDED.search(sentences[-1]):
        sentences[-1] = ""  # a last sentence without its stop was cut off by the answer's length
    kept = [s for s in sentences if s and _supported(s, support, known) and _outcomes_supported(s, victims, counts)]
    if sentences and len(kept) == len(sentences):
        return _bounded(" ".join(kept)), SummaryCheck.ok
    if kept:
        return _bounded(" ".join(kept)), SummaryCheck.cut
    return compose_summary(actions, casualties, [*statements, *actors]), SummaryCheck.replaced


def compose_summary(
    actions: Sequence[Action], casualties: Sequence[Casualty], facts: Sequence[Actor | Statement] = ()
) -> str:
    """A sentence from the grounded facts: the first action and up to two casualty figures; failing
    those, the words of the first grounded fact's evidence (the article's own sentence)."""
    parts: list[str] = []
    grounded_actions = [a for a in actions if a.evidence.status is GroundingStatus.grounded]
    if grounded_actions:
        first = grounded_actions[0]
        action = _told_action(first)
        # "Attack on bakery", not "... in bakery on the central street": the place that is the target adds nothing
        where = first.location and first.location not in action and not any(t in first.location for t in first.targets)
        place = f" in {first.location}" if where else ""
        parts.append(action + place)
    for casualty in [c for c in casualties if c.count.evidence.status is GroundingStatus.grounded][:2]:
        parts.append(f"{casualty.count.text} {casualty.victims} {casualty.outcome.value}")
    if parts:
        return _bounded("; ".join(parts) + ".")
    lead = next((f.evidence for f in facts if f.evidence.status is GroundingStatus.grounded), None)
    return _bounded(lead.quote or lead.text) if lead is not None else ""


def _told_action(action: Action) -> str:
    """The action as a clause when its doer is named ("Gunmen attacked a convoy"), else as a noun phrase
    ("Attack on three people"): a clause without its subject reads as if a name were lost."""
    kind = action.type.value.replace("_", " ")
    targets = ", ".join(action.targets)
    if action.actors:
        doers = ", ".join(action.actors)
        told = f"{doers} {_VERBS[action.type.value]} {targets}" if targets else f"{doers}: {kind}"
    else:
        told = f"{_NOUNS[action.type.value]} {targets}" if targets else kind[:1].upper() + kind[1:]
    # what did not (or not surely) happen is not told as done: "Gunmen attacked a convoy (attempted)"
    return told if action.modality is Modality.actual else f"{told} ({action.modality.value})"


# How the composed sentence says each action type, with its targets after.
_VERBS = {
    "airstrike": "carried out airstrikes on",
    "shelling_or_rocket_attack": "shelled",
    "bombing": "bombed",
    "armed_clash": "clashed with",
    "attack": "attacked",
    "protest": "protested against",
    "arrest": "arrested",
    "sanction": "sanctioned",
    "diplomatic_contact": "spoke with",
    "threat": "threatened",
    "other": "acted against",
}
# The same, as a noun phrase for an action whose doer the article leaves unnamed.
_NOUNS = {
    "airstrike": "Airstrikes on",
    "shelling_or_rocket_attack": "Shelling of",
    "bombing": "Bombing of",
    "armed_clash": "Clash with",
    "attack": "Attack on",
    "protest": "Protest against",
    "arrest": "Arrest of",
    "sanction": "Sanctions on",
    "diplomatic_contact": "Contact with",
    "threat": "Threat to",
    "other": "Action against",
}


def _support(
    actors: Sequence[Actor], actions: Sequence[Action], casualties: Sequence[Casualty], statements: Sequence[Statement]
) -> str:
    """Folded words of every grounded fact: its evidence and its names."""
    pieces: list[str] = []
    for actor in actors:
        if actor.evidence.status is not GroundingStatus.ungrounded:
            pieces += [actor.name, *actor.aliases]
    evidence = [*(a.evidence for a in actions), *(c.evidence for c in casualties), *(s.evidence for s in statements)]
    for found in evidence:
        if found.status is GroundingStatus.grounded:
            pieces.append(found.quote or found.text)
    for action in actions:  # where and when, as the article writes them
        if action.evidence.status is GroundingStatus.grounded:
            pieces += [action.location or "", action.time or ""]
    for casualty in casualties:
        if casualty.count.evidence.status is GroundingStatus.grounded:
            pieces.append(casualty.count.text)
    return f" {fold_words(' '.join(pieces))} "


def _numbers(text: str) -> set[int]:
    return {value for m in _NUMBER.finditer(text) if (value := words_to_int(m.group(0))) is not None}


def _victims_by_outcome(casualties: Sequence[Casualty]) -> dict[Outcome, set[str]]:
    """The folded words of each outcome's grounded victims ("civilian", "contractors" -> "contractor")."""
    found: dict[Outcome, set[str]] = {}
    for casualty in casualties:
        if casualty.evidence.status is GroundingStatus.grounded:
            # anyone may be counted by a figure whose victims the article leaves unsaid; "people" by any
            words = _stems(casualty.victims) if casualty.victims.strip() else set(_PEOPLE_WORDS)
            found.setdefault(casualty.outcome, set()).update(words | {"people", "person"})
    return found


def _stems(text: str) -> set[str]:
    return {word.removesuffix("s") for word in fold_words(text).split()}


def _counts_by_outcome(casualties: Sequence[Casualty]) -> dict[Outcome, set[int]]:
    """Each outcome's grounded counts, and the sums of those given in parts (2 soldiers + 3 civilians)."""
    grounded = [c for c in casualties if c.count.evidence.status is GroundingStatus.grounded]
    found: dict[Outcome, set[int]] = {}
    for casualty in grounded:
        found.setdefault(casualty.outcome, set()).update(
            n for n in (casualty.count.low, casualty.count.high) if n is not None
        )
    for outcome, counts in found.items():
        counts.add(sum(c.count.low or 0 for c in grounded if c.outcome is outcome))
    return found


def _outcomes_supported(sentence: str, victims: dict[Outcome, set[str]], counts: dict[Outcome, set[int]]) -> bool:
    """Every clause that says people of some kind were killed (or hurt, taken, held) names people a
    figure of that outcome counts: "civilian killed" with a civilian's death, not "coalition spokesman
    killed" when no spokesman died (a small model writes the headline it expects); and its numbers are
    counts of that outcome."""
    for clause in _CLAUSE.split(sentence):
        people = {stem for stem in _stems(clause) if stem in _PEOPLE_WORDS}
        numbers = _numbers(clause)
        for outcome in _CHECKED_OUTCOMES:
            if not outcome_pattern(outcome).search(clause):
                continue
            if people and not people & victims.get(outcome, set()):
                return False
            # "left 8,000 people dead" when 8,000 is the camp's population: a number the article holds,
            # but no count of that outcome
            if numbers - counts.get(outcome, set()):
                return False
    return True


def _supported(sentence: str, support: str, known: set[int]) -> bool:
    for match in _NUMBER.finditer(sentence):
        value = words_to_int(match.group(0))
        if value not in known and f" {fold_words(match.group(0))} " not in support:
            return False
    for match in _NAME.finditer(sentence):
        words = [w for w in fold_words(match.group(0)).split() if w not in _NOT_NAMES]
        if words and f" {' '.join(words)} " not in support and not all(f" {w} " in support for w in words):
            return False
    return True


def _bounded(text: str) -> str:
    return clip_at_word(text, MAX_CHARS)


def clip_at_word(text: str, limit: int) -> str:
    """``text`` if it fits in ``limit`` characters, else its start cut at the last space before the limit."""
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit)
    return text[: cut if cut > 0 else limit]


def first_sentences(text: str, limit: int = MAX_CHARS) -> str:
    """Whole sentences of ``text`` up to ``limit`` characters (else its words up to the limit)."""
    clean = " ".join(text.split())
    if len(clean) <= limit:
        return clean
    ends = [m.start() for m in _SENTENCE_END.finditer(clean, 0, limit + 1)]  # not inside "U.S."
    return clean[: ends[-1]].rstrip() if ends else clip_at_word(clean, limit)
