"""Event triggers: which words name an action, of which type, and which clauses tell no event.

A trigger is a verb or noun of an event class of the lexicon ("attacked", "strikes", "bombing", "spoke
with", "sanctions"), a verb that hands a message to someone ("delivered a message to the government"),
or a verb of throwing whose missile is a weapon ("threw stones at"). A clause that tells what happens
habitually, what would happen on a condition, or a record over years tells no event of the day. The type
is refined by the words that modify the trigger ("air strike", "rocket attack", "suicide attack").
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from summarizer.analysis.lexicon import (
    DEVICE_PHRASAL_VERBS,
    DEVICE_VERBS,
    EVENT_TRIGGERS,
    HABITUAL_ADVERBS,
    LIGHT_VERBS,
    MESSAGE_VERBS,
    RAISING_VERBS,
    STATEMENT_NOUNS,
    THROW_VERBS,
    WEAPON_NOUNS,
    dimension_table,
    words,
)
from summarizer.analysis.nlp import TIME_LABELS
from summarizer.extraction import ActionType
from summarizer.normalize import is_sentence
from summarizer.rules.engine import rule, search

if TYPE_CHECKING:
    from spacy.tokens import Token

_MODIFIER_TYPES: dict[str, ActionType] = dimension_table("attack-modifier", ActionType)
_INTERCEPT_VERBS = words("intercept-verb")
_INTERCEPT_PARTICLES = words("intercept-particle")
_MANNED = words("manned-craft")
_CONDITION_MARKS = words("condition-mark")
_PERFECT = words("perfect-auxiliary")
_PROGRESSIVE = words("progressive-auxiliary")
_ACT_NOUNS = words("act-noun")
_VIOLENCE_WORDS = words("violence-word")
_DISTRIBUTIVE = words("distributive-determiner")


def trigger_kind(token: Token) -> ActionType | None:
    """The action type a token names as a trigger (recording the rule that says so), else None."""
    if token.pos_ not in {"VERB", "NOUN"}:
        return None
    lemma = token.lemma_.lower()
    kind = EVENT_TRIGGERS.get(lemma) or EVENT_TRIGGERS.get(token.lower_)
    if kind is not None:
        return kind if rule("event.find.trigger-verb" if token.pos_ == "VERB" else "event.find.trigger-noun") else None
    if token.pos_ == "VERB" and rule("event.find.device-phrasal", phrasal(token) in DEVICE_PHRASAL_VERBS):
        return ActionType.bombing  # "some 21 bombs had gone off in Belfast"
    if token.pos_ == "VERB" and rule("event.find.message", delivers_a_message(token)):
        return ActionType.diplomatic_contact
    if token.pos_ == "VERB" and rule("event.find.throw-weapon", lemma in THROW_VERBS and _throws_a_weapon(token)):
        return ActionType.attack  # "threw stones at vehicles of the U.N. mission"
    if token.pos_ == "NOUN" and rule("event.find.act-of-violence", lemma in _ACT_NOUNS and _violent_act(token)):
        return ActionType.attack  # "a terrorist act ordered by Los Lobos", "an act of terrorism"
    return None


def _violent_act(act: Token) -> bool:
    """ "a terrorist act", "acts of violence": an act its modifier or its "of" says is violence."""
    said = [c for c in act.children if c.dep_ in {"amod", "compound"}]
    said += [o for c in act.children if c.dep_ == "prep" and c.lower_ == "of" and (o := object_of(c)) is not None]
    return any(t.lemma_.lower() in _VIOLENCE_WORDS or t.lower_ in _VIOLENCE_WORDS for t in said)


def infinitive(token: Token) -> bool:
    """ "to attack": a verb with its own "to"."""
    return token.pos_ == "VERB" and any(c.dep_ == "aux" and c.tag_ == "TO" for c in token.children)


def phrasal(verb: Token) -> str:
    """The verb's lemma with its particle ("go off"), or its lemma alone."""
    particle = next((c.lower_ for c in verb.children if c.dep_ == "prt"), None)
    return f"{verb.lemma_.lower()} {particle}" if particle else verb.lemma_.lower()


def device_verb(verb: Token) -> bool:
    """A verb whose subject, with no object, is a device going off ("exploded", "had gone off")."""
    return verb.lemma_.lower() in DEVICE_VERBS or phrasal(verb) in DEVICE_PHRASAL_VERBS


def raised_subject(verb: Token) -> Token | None:
    """The subject a raising verb lends the verb it governs: "the bombs" of "the bombs began to explode",
    "the student" of "the student appears to have been shot"."""
    if verb.dep_ != "xcomp" or any(c.dep_ in {"nsubj", "nsubjpass"} for c in verb.children):
        return None
    if verb.head.lemma_.lower() not in RAISING_VERBS:
        return None
    return next((c for c in verb.head.children if c.dep_ == "nsubj"), None)


def a_weapon(token: Token) -> bool:
    """What it was done with ("the device", "his explosives-laden vest", "long-range weapons")."""
    return token.lemma_.lower() in WEAPON_NOUNS or token.lower_.rstrip("s") in WEAPON_NOUNS


def object_of(prep: Token | None) -> Token | None:
    if prep is None:
        return None
    return next((c for c in prep.children if c.dep_ == "pobj"), None)


def _throws_a_weapon(verb: Token) -> bool:
    """ "threw stones at", "stones thrown by demonstrators", "pelted police with rocks", "threw fireworks
    and stones at"."""
    sent = [c for c in verb.children if c.dep_ in {"dobj", "nsubjpass"}]
    sent += [o for c in verb.children if c.dep_ == "prep" and c.lower_ == "with" and (o := object_of(c)) is not None]
    if verb.dep_ == "acl":
        sent.append(verb.head)
    sent += [c for t in list(sent) for c in t.conjuncts]  # "threw fireworks, stones and bottles"
    return any(a_weapon(t) for t in sent)


def recipient(verb: Token) -> Token | None:
    """Whom something was handed: "sent him a letter", "delivered a message to the government"."""
    for child in verb.children:
        if child.dep_ == "dative" or (child.dep_ == "prep" and child.lower_ == "to"):
            return object_of(child) or (child if child.pos_ in {"NOUN", "PROPN", "PRON"} else None)
    return None


def delivers_a_message(verb: Token) -> bool:
    """ "The US Ambassador delivered an important message to the Iraqi government": a diplomatic contact."""
    if verb.lemma_.lower() not in MESSAGE_VERBS:
        return False
    said = any(c.dep_ == "dobj" and c.lemma_.lower() in STATEMENT_NOUNS for c in verb.children)
    return said and recipient(verb) is not None


def conditional(token: Token) -> bool:
    """ "the threat of execution if he is convicted": what may happen, not what did."""
    return any(c.dep_ == "mark" and c.lower_ in _CONDITION_MARKS for c in token.children)


def _clause_verb(token: Token) -> Token | None:
    """The verb whose clause tells the trigger: itself, the verb a noun hangs on, or the verb a
    purpose or participle clause hangs on ("have been using IEDs ... to target security forces")."""
    verb = token if token.pos_ in {"VERB", "AUX"} else token.head
    for _ in range(3):
        infinitive = verb.dep_ == "ccomp" and any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children)
        if verb.pos_ not in {"VERB", "AUX"} or not (verb.dep_ in {"xcomp", "advcl", "conj", "acl"} or infinitive):
            break
        verb = verb.head
    return verb if verb.pos_ in {"VERB", "AUX"} else None


def habitual(token: Token) -> str | None:
    """The rule that makes the trigger's clause background, not an event, if one does: what is done
    often ("insurgents often attack convoys"), a record over years ("has carried out more than 300
    strikes in Yemen since 2002"), or what has been going on for a while by people in general
    ("Militants in Afghanistan have been using home-made IEDs ... to target security forces": a perfect
    progressive whose subject is a bare plural, in a sentence that names no day)."""
    verb = _clause_verb(token)
    # on the clause's verb, or on the trigger's own ("Shiites walk to Karbala, and militants have
    # repeatedly targeted them")
    own = token if token.pos_ in {"VERB", "AUX"} else token.head
    words_on = [w for v in {own, verb} if v is not None for w in (v, *v.children)]
    if any(c.dep_ == "advmod" and c.lower_ in HABITUAL_ADVERBS for c in words_on):
        return "event.drop.habitual-adverb"
    if _recurring(token):
        return "event.drop.recurring-time"
    if _simple_present(token):
        return "event.drop.simple-present"
    if verb is None:
        return None
    auxiliaries = {c.lower_ for c in verb.children if c.dep_ in {"aux", "auxpass"}}
    clause = verb.doc[verb.left_edge.i : verb.right_edge.i + 1].text
    if auxiliaries & _PERFECT and search("event.drop.record-over-years", clause):
        return "event.drop.record-over-years"
    if verb.tag_ != "VBG" or not auxiliaries & _PROGRESSIVE or not auxiliaries & _PERFECT:
        return None
    subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
    generic = (
        subject is not None
        and subject.tag_ == "NNS"
        and not subject.ent_type_
        and not any(c.dep_ in {"det", "poss", "nummod", "compound", "amod"} for c in subject.children)
    )
    if generic and not any(e.label_ in TIME_LABELS for e in token.sent.ents):
        return "event.drop.generic-progressive"
    return None


def _recurring(token: Token) -> bool:
    """The clause happens at every turn of a period ("attack convoys almost every week", "on each
    Friday"): a time expression with "every" or "each" on the trigger's verb, or on a preposition of
    it; not on a verb joined to it ("patrol the road every day, and on Tuesday they attacked")."""
    verb = token if token.pos_ in {"VERB", "AUX"} else token.head
    while verb.dep_ in {"xcomp", "advcl"} and verb.head is not verb:
        verb = verb.head
    times = [c for c in verb.children if c.dep_ in {"npadvmod", "advmod", "obl"}]
    times += [g for c in verb.children if c.dep_ == "prep" for g in c.children if g.dep_ == "pobj"]
    return any(t.ent_type_ in TIME_LABELS and any(d.lower_ in _DISTRIBUTIVE for d in t.children) for t in times)


def _simple_present(token: Token) -> bool:
    """A body sentence tells the day's events in the past; its simple present tells what is done
    habitually or in general ("insurgents who continue to ambush government forces", "a vigilante
    group that fights alongside the army", "militants launch attacks on convoys"). A headline, a
    caption or another title line (no final stop, or a handful of words) tells the day's events in the
    present and is left alone; so is a clause that names a day or a time."""
    verb = token if token.pos_ == "VERB" else token.head if token.dep_ == "dobj" else None
    if verb is None or verb.pos_ != "VERB" or (verb is not token and verb.lemma_.lower() not in LIGHT_VERBS):
        return False
    for _ in range(2):
        perfect = any(c.dep_ == "aux" and c.lower_ in _PERFECT for c in verb.children)  # "appears to have been shot"
        raised = verb.dep_ == "xcomp" and verb.head.lemma_.lower() in RAISING_VERBS and not perfect
        purpose = verb.dep_ == "advcl" and infinitive(verb)
        participle = verb.dep_ == "advcl" and verb.tag_ == "VBG"
        carried = verb.head.dep_ == "dobj" and verb.head.head.lemma_.lower() in LIGHT_VERBS
        if verb.dep_ == "acl" and verb.tag_ == "VBG" and carried:
            verb = verb.head.head  # "carries out frequent bombings in the capital, targeting hotels"
        elif raised or purpose or participle:
            verb = verb.head  # "continue to ambush", "raid villages to kidnap people": the tense is the verb's above
        else:
            break
    if verb.tag_ not in {"VBZ", "VBP"} or any(c.dep_ in {"aux", "auxpass", "det"} for c in verb.children):
        return False  # a determiner: a plural noun read as a verb ("the new US strikes targeted positions")
    if verb.tag_ == "VBP" and verb.dep_ in {"advcl", "conj"} and verb.head.tag_ == "VBD":
        return False  # "died when shells hit their houses": "hit" is as past as the verb it hangs on
    dated = any(t.ent_type_ in TIME_LABELS for t in verb.subtree)
    return is_sentence(token.sent.text.strip()) and not dated


def refined_type(token: Token, kind: ActionType) -> ActionType:
    """The trigger's type, made more specific by what modifies it ("air strike", "rocket attack")."""
    intercepted = token.lemma_.lower() in _INTERCEPT_VERBS and any(
        c.dep_ == "prt" and c.lower_ in _INTERCEPT_PARTICLES for c in token.children
    )
    downed = next((c for c in token.children if c.dep_ in {"dobj", "nsubjpass"}), None)
    # "shot down a government helicopter": an aircraft with its crew, downed; not missiles or drones
    intercepted = intercepted and not (downed is not None and downed.lemma_.lower() in _MANNED)
    if rule("event.type.interception", intercepted):
        return ActionType.other  # "air defenses shot down 29 of the missiles": an interception, not an attack
    if kind not in {ActionType.attack, ActionType.bombing}:
        return kind
    for child in token.children:
        refined = _MODIFIER_TYPES.get(child.lemma_.lower())
        if refined is not None and child.dep_ in {"compound", "amod", "nmod"} and rule("event.type.modifier"):
            return refined
    return kind
