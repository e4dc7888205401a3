"""An action's modality: done, claimed by a side, denied, or threatened.

Claimed: a group's claim of responsibility for it, a verb of claiming, or an attack told only by the
side that says it did it ("the ministry said its forces had carried out a massive strike"). Denied: a
denial of responsibility, a verb of denying, a negation ("was not behind the bombing"). Threatened: a
verb of threatening or a modal ("will strike"). Each is a rule of ``rules/events.yaml``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from summarizer.analysis.circumstances import armament
from summarizer.analysis.lexicon import (
    CLAIM_WORDS,
    DENY_WORDS,
    NOT_PEOPLE,
    OUTCOME_WORDS,
    RESPONSIBILITY_NOUNS,
    SPEECH_VERBS,
    THREAT_WORDS,
    words,
)
from summarizer.analysis.roles import claimant, responsibility_verb
from summarizer.analysis.triggers import infinitive
from summarizer.extraction import ActionType, Modality
from summarizer.rules.engine import rule

if TYPE_CHECKING:
    from spacy.tokens import Token

# Kinds of action a side's own word about makes a claim ("the army said its troops killed 17").
_COMBAT_TYPES = frozenset(
    {
        ActionType.airstrike,
        ActionType.shelling_or_rocket_attack,
        ActionType.bombing,
        ActionType.armed_clash,
        ActionType.attack,
    }
)
_OWN_SUBJECTS = words("own-subject")  # not "they": "They shot anyone who tried to run," a witness said
_OWN_FORCES = words("own-possessive")  # "its forces", "their fighters", "our troops"
_MODALS = words("modal-verb")
_INVOLVEMENT = words("involvement-preposition")
_NO = words("no-determiner")
_ATTEMPT = words("attempt-word")
_PLAN = words("plan-word")
_PREPARATION = words("preparation-verb")
_ABILITY = words("ability-noun")
_DEMAND_VERBS = words("demand-verb")
_ASKING_FOR = words("asking-for-word")
_LEADING = words("leading-verb")


def modality(token: Token, kind: ActionType) -> Modality:
    lemmas = {token.lemma_.lower(), token.head.lemma_.lower()}
    responsibility = responsibility_verb(token)
    if responsibility is not None and claimant(responsibility) is not None:  # by their own word, or denied
        if rule("event.modality.responsibility-denied", responsibility.lemma_.lower() in DENY_WORDS):
            return Modality.denied
        if rule("event.modality.responsibility-claimed"):
            return Modality.claimed
    if rule("event.modality.claim-word", bool(lemmas & CLAIM_WORDS)) or rule(
        "event.modality.told-by-its-side", kind in _COMBAT_TYPES and _told_by_its_side(token)
    ):
        return Modality.claimed
    if rule("event.modality.deny-word", bool(lemmas & DENY_WORDS)) or rule("event.modality.negated", _negated(token)):
        return Modality.denied
    cues = _cues(token)
    if rule("event.modality.attempt-word", bool(cues & _ATTEMPT)):
        return Modality.attempted
    if rule("event.modality.plan-word", bool(cues & _PLAN)) or rule(
        "event.modality.preparation-purpose", _purpose_of(token, _PREPARATION)
    ):
        return Modality.planned
    if rule("event.modality.ability-noun", infinitive(token) and token.head.lemma_.lower() in _ABILITY):
        return Modality.hypothetical
    if rule("event.modality.asked-for", _asked_for(token)):
        return Modality.hypothetical
    if rule("event.modality.threat-word", bool(lemmas & THREAT_WORDS)) or rule(
        "event.modality.modal-verb", any(c.lower_ in _MODALS for c in token.children)
    ):
        return Modality.threatened
    return Modality.actual


def figure_modality(token: Token) -> Modality | None:
    """A figure's modality, from the token of its number: that of the outcome word the number depends on
    ("claimed to have killed 50 fighters" is claimed, "tried to kill 12" attempted); None when no outcome
    word governs it."""
    for candidate in [token, *list(token.ancestors)[:4]]:
        if candidate.lemma_.lower() in OUTCOME_WORDS or candidate.lower_ in OUTCOME_WORDS:
            return modality(candidate, ActionType.attack)
    return None


def _cues(token: Token) -> set[str]:
    """The words that may say an act was tried or planned: the verb or noun the trigger depends on
    ("tried to kill", "foiled an attack", "a plot to bomb", "attempt on his life"), the trigger's own
    modifiers ("an assassination attempt" from "assassination", "a failed bombing"), and for a noun
    that is itself such a word's object, the word ("foiled a plot to attack")."""
    found = {c.lemma_.lower() for c in token.children if c.dep_ in {"amod", "compound"}}
    found |= {c.lower_ for c in token.children if c.dep_ in {"amod", "compound"}}
    marker = next((c for c in token.children if c.dep_ == "aux" and c.tag_ == "TO"), None)
    if marker is not None and marker.i > 0:  # "a plot to bomb", whatever the parse hangs "to bomb" on
        found.add(token.doc[marker.i - 1].lemma_.lower())
    head = token.head
    if token.dep_ in {"xcomp", "acl", "dobj", "compound", "pobj", "nsubj", "nsubjpass"} and head is not token:
        found.add(head.lemma_.lower())
        if token.dep_ == "pobj" and head.dep_ == "prep":  # "an attempt on his life", "plot against"
            found.add(head.head.lemma_.lower())
        if head.dep_ in {"dobj", "xcomp", "acl"}:  # "foiled a plot to attack", "tried to plan"
            found.add(head.head.lemma_.lower())
    if infinitive(token) and token.dep_ == "advcl" and head.dep_ == "xcomp":
        found.add(head.head.lemma_.lower())  # "tried to plant an IED to target security forces": the purpose too
    return found


def _asked_for(token: Token) -> bool:
    """Whether the event noun ``token`` is what someone asks for: a demand's object ("demanded the arrest
    of"), what is called or offered for ("called for the release of", "a warrant for his arrest"), also
    through what leads to it ("a reward for information leading to the capture of")."""
    if token.pos_ not in {"NOUN", "PROPN"}:
        return False
    if token.dep_ == "dobj":
        return token.head.lemma_.lower() in _DEMAND_VERBS
    current = token
    for _ in range(2):
        prep = current.head
        if current.dep_ != "pobj" or prep.dep_ != "prep":
            return False
        if prep.lower_ == "for":
            return prep.head.lemma_.lower() in _ASKING_FOR
        leading = prep.head  # "information leading to the capture": on to the information
        if prep.lower_ != "to" or leading.dep_ != "acl" or leading.lemma_.lower() not in _LEADING:
            return False
        current = leading.head
    return False


def _purpose_of(token: Token, verbs: frozenset[str]) -> bool:
    """Whether ``token`` is the purpose clause ("to attack the base", "in order to attack") of one of ``verbs``,
    or hangs on their object ("gathered weapons to attack", which the parse reads as the weapons' clause)."""
    if not infinitive(token):
        return False
    head = token.head
    if token.dep_ in {"advcl", "xcomp"}:
        return head.lemma_.lower() in verbs
    return token.dep_ in {"acl", "relcl"} and head.dep_ == "dobj" and head.head.lemma_.lower() in verbs


def _told_by_its_side(token: Token) -> bool:
    """An attack told only by those who say they did it: in what a claim of responsibility says
    ("claimed responsibility for the blast, saying its fighters had killed nine soldiers"), or what a
    side says its own forces did ("the ministry said its forces had carried out a massive strike")."""
    clause = token if token.pos_ == "VERB" else token.head if token.dep_ == "dobj" else None  # "carried out strikes"
    if clause is None or clause.pos_ != "VERB":
        return False
    current = clause
    for _ in range(4):
        head = current.head
        if head is current:
            return False
        if current.dep_ in {"ccomp", "xcomp", "advcl", "conj"} and head.lemma_.lower() in SPEECH_VERBS:
            break
        current = head
    else:
        return False
    claims = (head, head.head)  # "claimed responsibility ..., saying": the claim governs the saying
    if any(c.dep_ == "dobj" and c.lemma_.lower() in RESPONSIBILITY_NOUNS for verb in claims for c in verb.children):
        return True
    subject = next((c for c in clause.children if c.dep_ == "nsubj"), None)
    if subject is not None and subject.lemma_.lower() in NOT_PEOPLE and not armament(subject):
        return False  # "their vehicle struck a roadside bomb": a vehicle tells nobody's deed ("its aircraft" does)
    return subject is not None and (
        subject.lower_ in _OWN_SUBJECTS or any(c.dep_ == "poss" and c.lower_ in _OWN_FORCES for c in subject.children)
    )


def _negated(token: Token) -> bool:
    """Said not to have happened or not to be theirs: "our forces do not strike civilian
    infrastructure", "has no hand in this attack", "was not behind the bombing"."""
    if token.pos_ == "VERB":
        return any(c.dep_ == "neg" for c in token.children)
    prep = token.head
    if token.dep_ != "pobj" or prep.lower_ not in _INVOLVEMENT:
        return False
    holder = prep.head
    holders = [holder, holder.head] if holder.dep_ in {"acomp", "attr"} else [holder]
    holders += [c for held in list(holders) for c in held.children if c.dep_ == "dobj"]  # "has no hand in"
    return any(c.dep_ == "neg" or (c.dep_ == "det" and c.lower_ in _NO) for held in holders for c in held.children)
