"""Action candidates: who did what to whom, where and when, read from the parse.

A trigger is a verb or noun of the event lexicon ("attacked", "strikes", "bombing", "spoke with",
"sanctions"). For a verb, the actor is its subject (or the "by" agent of a passive) and the target
its object (or the subject of a passive, or the object of "against/on/at"). For a noun, the actor
is its possessor or an entity that modifies it ("KH's attacks", "U.S. air strikes", "attacks by
Iran") or the subject of the verb that carries it ("carried out strikes against X"), and the target
follows "against/on/at". Pronouns resolve like speakers do. A reading with only one side is kept
for a prompt that asks the model about it ("roles"); without an actor it makes no action.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from summarizer.analysis.attribution import Attributor
from summarizer.analysis.document import ArticleAnalysis, calls_itself
from summarizer.analysis.lexicon import (
    AIR_WORDS,
    CLAIM_WORDS,
    DENY_WORDS,
    DEVICE_VERBS,
    EVENT_TRIGGERS,
    HABITUAL_ADVERBS,
    LIGHT_VERBS,
    MESSAGE_VERBS,
    NOT_PEOPLE,
    PEOPLE_NOUNS,
    QUANTITY_WORDS,
    RESPONSIBILITY_NOUNS,
    ROLE_NOUNS,
    SPEECH_VERBS,
    STATEMENT_NOUNS,
    TARGET_PREPOSITIONS,
    THREAT_WORDS,
    THROW_VERBS,
    VERB_ONLY_TRIGGERS,
    WEAPON_NOUNS,
    kept_in_hospital,
    names_a_place,
    word_set,
)
from summarizer.analysis.phrases import Mention
from summarizer.extraction import ActionType, Modality
from summarizer.textfold import fold_words

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

_ACTOR_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP"})
_PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
_TIME_LABELS = frozenset({"DATE", "TIME"})
_RELATIVE = frozenset({"which", "that", "who"})
# A span of years that a present perfect sums up: "since 2002", "since the insurgency began in 2009",
# "in recent years", "so far this year".
_OVER_YEARS = re.compile(
    r"\bsince\b[^.;]{0,40}?\b(?:19|20)\d\d\b|\b(?:in|over)\s+(?:the\s+)?(?:recent|past|last)\s+"
    r"(?:\w+\s+)?(?:years|decades|months)\b|\bso far this year\b|\bfor (?:years|decades)\b",
    re.IGNORECASE,
)
_MODIFIER_TYPES: dict[str, ActionType] = {
    **dict.fromkeys(AIR_WORDS, ActionType.airstrike),
    **dict.fromkeys(word_set("rocket missile mortar katyusha shell artillery"), ActionType.shelling_or_rocket_attack),
    **dict.fromkeys(word_set("ied bomb suicide explosive car truck roadside"), ActionType.bombing),
}
# Verbs whose past participle after a noun says what was done to it ("nurses kidnapped").
_DONE_TO_PEOPLE = frozenset({"kidnap", "abduct", "sentence", "convict"})
# Verbs too general to be events by themselves: only with an attack-like object or a weapon subject.
_WEAK_VERBS = word_set("hit kill fire target call speak meet talk visit march thank crash")
# Entity labels that never act or suffer: dates, times, amounts.
_NOT_PARTICIPANTS = frozenset({"DATE", "TIME", "CARDINAL", "PERCENT", "QUANTITY", "MONEY", "ORDINAL"})
# Dependents that open a clause of their own: their names are not the phrase's. A participle stays
# ("enclaves used by the Kata'ib Hezbollah militia"): it names whose the thing is.
_CLAUSES = frozenset({"relcl", "advcl", "appos", "ccomp", "xcomp", "parataxis", "punct"})
# "accused X of carrying out attacks", "blame X for the attacks": X is the (claimed) actor.
_BLAME_VERBS = frozenset({"accuse", "blame", "hold"})
# Common nouns that can be what an attack is aimed at, or who carries it out, besides people.
_PARTICIPANT_NOUNS = word_set(
    """
    base embassy convoy patrol facility facilities headquarters checkpoint post camp compound village town
    militia militias group groups forces force army military coalition government ministry police brigade
    brigades faction factions network
    """
)


@dataclass(frozen=True)
class EventCandidate:
    start: int  # the trigger word
    end: int
    trigger: str
    type: ActionType
    actors: tuple[str, ...]
    targets: tuple[str, ...]
    location: str | None
    time: str | None
    modality: Modality
    sentence: tuple[int, int]
    options: tuple[str, ...]  # the sentence's mentions, for the model to choose among


def find_events(analysis: ArticleAnalysis, attributor: Attributor) -> list[EventCandidate]:
    found: list[EventCandidate] = []
    for sentence in analysis.sentences:
        seen: set[tuple[tuple[str, ...], tuple[str, ...]]] = set()
        options = _options(analysis, sentence)
        for token in sentence:
            candidate = _event(analysis, attributor, sentence, token, options)
            if candidate is None or not (candidate.actors or candidate.targets):
                continue
            key = (candidate.actors, candidate.targets)
            if key in seen or any(_covers(other, key) for other in seen):
                continue
            seen.add(key)
            found.append(candidate)
    return found


def _covers(seen: tuple[tuple[str, ...], tuple[str, ...]], key: tuple[tuple[str, ...], tuple[str, ...]]) -> bool:
    """A reading with only one side adds nothing to one of the same sentence that has it and more."""
    actors, targets = key
    return (not actors and set(targets) <= set(seen[1])) or (not targets and set(actors) <= set(seen[0]))


def _event(
    analysis: ArticleAnalysis, attributor: Attributor, sentence: Span, token: Token, options: tuple[str, ...]
) -> EventCandidate | None:
    lemma = token.lemma_.lower()
    kind = EVENT_TRIGGERS.get(lemma) or EVENT_TRIGGERS.get(token.lower_)
    if kind is None and token.pos_ == "VERB" and _delivers_a_message(token):
        kind = ActionType.diplomatic_contact
    if kind is None and token.pos_ == "VERB" and lemma in THROW_VERBS and _throws_a_weapon(token):
        kind = ActionType.attack  # "threw stones at vehicles of the U.N. mission"
    if kind is None or token.pos_ not in {"VERB", "NOUN"}:
        return None
    if token.pos_ == "NOUN" and lemma in VERB_ONLY_TRIGGERS:
        return None
    if kind is ActionType.other and token.pos_ != "VERB":
        return None  # "a death sentence", "the conviction": a court's act only as a verb
    if kind is ActionType.arrest and kept_in_hospital(token):
        return None
    if calls_itself(token):
        return None  # "a group calling itself X": a name, not a call
    if any(c.dep_ == "mark" and c.lower_ in {"if", "unless"} for c in token.children):
        return None  # "the threat of execution if he is convicted": what may happen, not what did
    if _habitual(token):
        return None
    if token.pos_ == "VERB":
        actor, target = _verb_roles(token)
        if kind is ActionType.protest and target is None:  # "rallied outside the defence ministry"
            target = next((_object_of(c) for c in token.children if c.dep_ == "prep" and c.lower_ == "outside"), None)
        armed = any(c.dep_ == "dobj" and _a_weapon(c) for c in token.children)  # "fired eight missiles"
        if lemma in _WEAK_VERBS and target is None and not armed:
            return None
        if kind is ActionType.diplomatic_contact and target is not None and not _someone(target):
            return None  # "to meet the objective of ...", "call a ceasefire", "visited the scene": no one met
        if lemma in {"neutralise", "neutralize"} and (target is None or not _someone(target)):
            return None  # "neutralised several bandits" kills; "neutralised the threat" attacks no one
    else:
        if token.ent_type_ in _TIME_LABELS:
            return None
        actor, target = _noun_roles(token)
    if kind is ActionType.armed_clash and actor is None:
        actor = _sides(token)  # "fighting broke out between M23 rebels and Congolese troops"
    actors = tuple(a for a in _names(analysis, attributor, actor) if not names_a_place(a))
    targets = _names(analysis, attributor, target)
    if set(actors) & set(targets):
        targets = tuple(t for t in targets if t not in actors)
    places = [t for t in targets if names_a_place(t)]  # "explosions at Oxford Street": where, not whom
    targets = tuple(t for t in targets if t not in places)
    if not targets and actor is not None and actor.dep_ == "nsubjpass" and _a_weapon(actor):
        return None  # "where the bombs were being detonated": a weapon stands for its user only against someone
    return EventCandidate(
        start=token.idx,
        end=token.idx + len(token.text),
        trigger=token.text,
        type=_refined_type(token, kind),
        actors=actors,
        targets=targets,
        location=places[0] if places else _location(sentence, token, actors),
        time=next((e.text for e in sentence.ents if e.label_ in _TIME_LABELS), None),
        modality=_modality(token, kind),
        sentence=(sentence.start_char, sentence.end_char),
        options=options,
    )


def _verb_roles(verb: Token) -> tuple[Token | None, Token | None]:
    actor = target = None
    passive = any(c.dep_ in {"nsubjpass", "auxpass"} for c in verb.children)
    for child in verb.children:
        if child.dep_ == "nsubj":
            actor = None if _device_subject(verb) else child
        elif child.dep_ == "agent":
            actor = _object_of(child) or actor
        elif child.dep_ == "nsubjpass" and _a_weapon(child):
            actor = actor or child  # "About 30 rockets were fired at a base": fired by whom the rockets say
        elif child.dep_ == "nsubjpass" or (
            child.dep_ == "dobj" and not passive and not _a_weapon(child) and verb.lemma_.lower() != "ram"
        ):
            target = child  # not the car of "rammed an explosives-laden car into the checkpost": into what
        elif child.dep_ == "prep" and child.lower_ in TARGET_PREPOSITIONS and target is None:
            obj = _object_of(child)
            if obj is not None and obj.ent_type_ not in _TIME_LABELS and not _a_weapon(obj):
                target = obj
    current = verb
    for _ in range(3):  # "militants tried to plant an IED to target security forces": the subject carries over
        if actor is not None or current.dep_ not in {"xcomp", "advcl", "conj", "acl"} or _device_subject(current):
            break  # "the device detonated, killing three, the police said": a device's act is nobody's
        head = current.head
        noun = _reduced_relative_noun(current)
        if noun is not None and current.tag_ == "VBN" and current.lemma_.lower() in _DONE_TO_PEOPLE:
            break  # "nurses kidnapped": the nurses were kidnapped, by someone the words do not name
        if noun is not None:
            # "rockets fired at a base", "attacks that targeted the embassy": the noun's, not the clause's
            actor = noun if noun.lemma_.lower() not in NOT_PEOPLE else None
            break
        actor = None if _device_subject(head) else next((c for c in head.children if c.dep_ == "nsubj"), None)
        current = head
    if actor is None and passive:  # "were killed in IS attacks": the actor of that attack
        for child in verb.children:
            obj = _object_of(child) if child.dep_ == "prep" and child.lower_ in {"in", "by"} else None
            if obj is not None and obj.pos_ == "NOUN" and obj.lemma_.lower() in EVENT_TRIGGERS:
                actor = _noun_roles(obj)[0] or obj
                break
            if obj is not None and _acronym_before_an_event(obj):
                actor = obj
                break
    headline_passive = verb.lemma_.lower() in _DONE_TO_PEOPLE and not passive
    if headline_passive and actor is not None and actor.dep_ == "nsubj" and target is None:
        actor, target = None, actor  # "nurses kidnapped": a headline's passive, no one named who did it
    if _delivers_a_message(verb):  # to whom, not the message
        target = _recipient(verb)
    elif verb.lemma_.lower() == "call" and target is None:  # "called the Deputy PM" read as "called X a Y"
        target = next((c for c in verb.children if c.dep_ == "oprd"), None)
    return actor, target


def _sides(token: Token) -> Token | None:
    """Who fought: the first of "between X and Y" on the clash, or on the verb it is the subject of
    ("fighting broke out between X and Y"); its conjuncts are the other sides."""
    holders = [token, token.head] if token.dep_ in {"nsubj", "nsubjpass"} else [token]
    for holder in holders:
        between = next((c for c in holder.children if c.dep_ == "prep" and c.lower_ == "between"), None)
        if between is not None:
            return _object_of(between)
    return None


def _someone(token: Token) -> bool:
    """Whether a phrase names someone who can be met: a name, a pronoun, people, an office, a body
    ("the Deputy PM and Foreign Minister of Qatar")."""
    for word in (token, *(c for c in token.children if c.dep_ in {"conj", "compound"})):
        lemma = word.lemma_.lower()
        if (
            word.pos_ in {"PROPN", "PRON"}
            or word.ent_type_ in _ACTOR_LABELS
            or lemma in PEOPLE_NOUNS | ROLE_NOUNS | _PARTICIPANT_NOUNS
            or lemma in {"delegation", "counterpart", "committee", "council", "team", "mission"}
        ):
            return True
    return False


def _a_weapon(token: Token) -> bool:
    """What it was done with ("the device", "his explosives-laden vest", "long-range weapons")."""
    return token.lemma_.lower() in WEAPON_NOUNS or token.lower_.rstrip("s") in WEAPON_NOUNS


def _throws_a_weapon(verb: Token) -> bool:
    """ "threw stones at", "stones thrown by demonstrators", "pelted police with rocks"."""
    sent = [c for c in verb.children if c.dep_ in {"dobj", "nsubjpass"}]
    sent += [o for c in verb.children if c.dep_ == "prep" and c.lower_ == "with" and (o := _object_of(c)) is not None]
    if verb.dep_ == "acl":
        sent.append(verb.head)
    return any(_a_weapon(t) for t in sent)


def _acronym_before_an_event(token: Token) -> bool:
    """ "IS attacks": the parse reads the group's acronym as the verb "is"; the event noun says otherwise."""
    text = token.text
    if not (text.isalpha() and text.isupper() and 2 <= len(text) <= 5):
        return False
    following = token.doc[token.i + 1] if token.i + 1 < len(token.doc) else None
    return following is not None and following.pos_ == "NOUN" and following.lemma_.lower() in EVENT_TRIGGERS


def _recipient(verb: Token) -> Token | None:
    """Whom something was handed: "sent him a letter", "delivered a message to the government"."""
    for child in verb.children:
        if child.dep_ == "dative" or (child.dep_ == "prep" and child.lower_ == "to"):
            return _object_of(child) or (child if child.pos_ in {"NOUN", "PROPN", "PRON"} else None)
    return None


def _delivers_a_message(verb: Token) -> bool:
    """ "The US Ambassador delivered an important message to the Iraqi government": a diplomatic contact."""
    if verb.lemma_.lower() not in MESSAGE_VERBS:
        return False
    said = any(c.dep_ == "dobj" and c.lemma_.lower() in STATEMENT_NOUNS for c in verb.children)
    return said and _recipient(verb) is not None


def _device_subject(verb: Token) -> bool:
    """ "it exploded, killing two soldiers": the subject is the bomb, which acts for nobody."""
    if verb.lemma_.lower() not in DEVICE_VERBS or any(c.dep_ == "dobj" for c in verb.children):
        return False
    subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
    return subject is None or not (subject.lemma_.lower() in PEOPLE_NOUNS or subject.ent_type_ in _ACTOR_LABELS)


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


def _habitual(token: Token) -> bool:
    """Background, not an event: what is done often ("insurgents often attack convoys"), or has been
    going on for a while by people in general ("Militants in Afghanistan have been using home-made
    IEDs ... to target security forces"): a perfect progressive whose subject is a bare plural (no
    name, number or determiner) in a sentence that names no day."""
    verb = _clause_verb(token)
    if verb is None:
        return False
    if any(c.dep_ == "advmod" and c.lower_ in HABITUAL_ADVERBS for c in (verb, *verb.children)):
        return True
    auxiliaries = {c.lower_ for c in verb.children if c.dep_ in {"aux", "auxpass"}}
    if auxiliaries & {"have", "has"} and _OVER_YEARS.search(verb.doc[verb.left_edge.i : verb.right_edge.i + 1].text):
        return True  # "has carried out more than 300 strikes in Yemen since 2002": a record, not an event
    if verb.tag_ != "VBG" or "been" not in auxiliaries or not auxiliaries & {"have", "has"}:
        return False
    subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
    generic = (
        subject is not None
        and subject.tag_ == "NNS"
        and not subject.ent_type_
        and not any(c.dep_ in {"det", "poss", "nummod", "compound", "amod"} for c in subject.children)
    )
    return generic and not any(e.label_ in _TIME_LABELS for e in token.sent.ents)


def _reduced_relative_noun(verb: Token) -> Token | None:
    """The noun a participle describes: its head when the parse says so (acl), or the noun right
    before an active participle the parse hung on the main verb ("... from rockets fired at a base")."""
    if verb.dep_ == "acl" and verb.head.pos_ in {"NOUN", "PROPN"}:
        return verb.head
    if (
        verb.tag_ == "VBN"
        and verb.i > 0
        and not any(c.dep_ in {"nsubj", "nsubjpass", "auxpass"} for c in verb.children)
    ):
        before = verb.doc[verb.i - 1]
        if before.pos_ in {"NOUN", "PROPN"}:
            return before
    return None


def _noun_roles(noun: Token) -> tuple[Token | None, Token | None]:
    actor = target = None
    for child in noun.children:
        if child.ent_type_ in _TIME_LABELS:  # "today's Taliban attack", "Sunday's bombing": when, not who
            continue
        if child.dep_ == "poss" or (child.dep_ in {"compound", "amod", "nmod"} and child.ent_type_ in _ACTOR_LABELS):
            actor = actor or child
        elif child.dep_ == "prep" and child.lower_ == "by":
            actor = _object_of(child) or actor
        elif child.dep_ == "prep" and child.lower_ in TARGET_PREPOSITIONS and target is None:
            obj = _object_of(child)
            if obj is not None and obj.ent_type_ not in _TIME_LABELS and not _a_weapon(obj):
                target = obj
        elif child.dep_ == "acl" and child.lemma_.lower() == "target":
            target = next((c for c in child.children if c.dep_ == "dobj"), target)
        elif child.dep_ == "relcl":
            for grand in child.children:
                if grand.dep_ == "dobj" and child.lemma_.lower() in {"target", "hit", "kill"}:
                    target = target or grand
    head = noun.head
    if actor is None and noun.dep_ == "dobj" and (head.lemma_.lower() in LIGHT_VERBS | CLAIM_WORDS):
        actor = next((c for c in head.children if c.dep_ == "nsubj"), None)
        if target is None:
            prep = next((c for c in head.children if c.dep_ == "prep" and c.lower_ in TARGET_PREPOSITIONS), None)
            target = _object_of(prep) if prep is not None else None
    if actor is None:
        actor = _responsible(noun)
    if actor is None:
        actor = _blamed(noun)
    if actor is None and noun.dep_ == "pobj" and head.lower_ in {"in", "with"}:
        # "He made this remark in a meeting with X", "blocked the highway for six hours in protest":
        # the subject of the clause the phrase hangs on
        holder = head.head  # the verb, or a phrase of time on it ("for six hours"), not its object
        adverbial = holder.dep_ == "pobj" and holder.head.dep_ == "prep" and holder.head.head.pos_ == "VERB"
        verb = holder if holder.pos_ == "VERB" else holder.head.head if adverbial else None
        actor = next((c for c in verb.children if c.dep_ == "nsubj"), None) if verb is not None else None
    return actor, target


def _responsibility_verb(noun: Token) -> Token | None:
    """ "claimed / accepted / denied responsibility for the bombings": the verb, for the noun."""
    prep = noun.head
    if noun.dep_ != "pobj" or prep.lower_ != "for" or prep.head.lemma_.lower() not in RESPONSIBILITY_NOUNS:
        return None
    verb = prep.head.head
    return verb if verb.pos_ == "VERB" and prep.head.dep_ == "dobj" else None


def _responsible(noun: Token) -> Token | None:
    """Who claimed (or denied) the act: the subject of "... responsibility for" it."""
    verb = _responsibility_verb(noun)
    return _claimant(verb) if verb is not None else None


def _claimant(verb: Token) -> Token | None:
    """The subject of a verb of responsibility; "No group has claimed" names nobody."""
    subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
    if subject is None or any(c.dep_ == "det" and c.lower_ == "no" for c in subject.children):
        return None
    return subject


def _blamed(noun: Token) -> Token | None:
    """X in "accused X of carrying out the attacks", "blame X for the attacks", "blamed the attack on X"."""
    for ancestor in list(noun.ancestors)[:4]:
        if ancestor.lemma_.lower() in _BLAME_VERBS:
            blamed = next((c for c in ancestor.children if c.dep_ == "dobj"), None)
            if blamed is not None and blamed.lemma_.lower() in EVENT_TRIGGERS:  # "blamed the attack on X"
                on = next((c for c in (*ancestor.children, *blamed.children) if c.lower_ == "on"), None)
                return _object_of(on)
            return blamed
        if ancestor.pos_ == "VERB" and ancestor.lemma_.lower() not in LIGHT_VERBS:
            return None
    return None


def _object_of(prep: Token | None) -> Token | None:
    if prep is None:
        return None
    return next((c for c in prep.children if c.dep_ == "pobj"), None)


def _names(analysis: ArticleAnalysis, attributor: Attributor, token: Token | None, depth: int = 0) -> tuple[str, ...]:
    """The mention a role token names, resolved ("He" -> the person), with its conjuncts ("Iraq and Syria")."""
    if token is None or depth > 2:  # an attack whose actor is an attack whose actor is...: give up
        return ()
    if token.lower_ in _RELATIVE and token.head.dep_ == "relcl":
        token = token.head.head
    token = _counted(token)
    trigger = token.lemma_.lower() in EVENT_TRIGGERS and token.lemma_.lower() not in VERB_ONLY_TRIGGERS
    if trigger and (token.pos_ == "NOUN" or token.tag_ == "VBG"):
        if _a_weapon(token):
            return _names_of_weapon(analysis, attributor, token, depth)
        # "the attacks that targeted the embassy": whose attacks; "fighting between X and Y killed": X and Y
        actor = _noun_roles(token)[0] or _sides(token)
        return _names(analysis, attributor, actor, depth + 1) if actor is not None and actor is not token else ()
    if token.ent_type_ in _NOT_PARTICIPANTS or token.like_num:
        return ()
    names: list[str] = []
    titled: list[tuple[int, int]] = []  # the words of people named with their titles
    for part in [token, *(c for c in token.children if c.dep_ == "conj")]:
        mention = analysis.mention(part)
        if mention.label == "PERSON":
            titled.append((mention.start, mention.end))
        resolved, _ = attributor.resolve(mention, mention.start)
        chosen: Mention = resolved or mention
        if chosen.pronoun or part.ent_type_ in _NOT_PARTICIPANTS:
            continue
        if chosen.text.startswith("@"):
            names.append(analysis.handle_owner(chosen.text[1:].split()[0]))
        else:
            names.append(chosen.name if chosen.label == "PERSON" else chosen.text)
    # A name inside the phrase ("three leaders and supporters of Kata'ib Hezbollah"): that body is a
    # participant. Not a name in a person's title ("Secretary of State") or in a clause that describes
    # the participant ("Multitud Popular, which fought the Islamic State").
    folded = [fold_words(n) for n in names]
    phrase = _phrase_indices(token)
    for ent in token.doc.ents:
        inside = all(i in phrase for i in range(ent.start, ent.end))
        if not inside or ent.label_ not in {"ORG", "PERSON"} or any(s <= ent.start_char < e for s, e in titled):
            continue
        name = ent.text.removeprefix("the ").removeprefix("The ")
        if not any(fold_words(name) in f for f in folded):
            names.append(name)
            folded.append(fold_words(name))
    return tuple(dict.fromkeys(names))[:4]


def _counted(token: Token) -> Token:
    """ "Thousands of people", "29 of the missiles", "most of the rockets": the people or things
    counted, not the count."""
    if token.lower_ in QUANTITY_WORDS or token.like_num:
        of = next((c for c in token.children if c.dep_ == "prep" and c.lower_ == "of"), None)
        counted = _object_of(of)
        if counted is not None and counted.pos_ in {"NOUN", "PROPN"}:
            return counted
    return token


def _names_of_weapon(analysis: ArticleAnalysis, attributor: Attributor, weapon: Token, depth: int) -> tuple[str, ...]:
    """Who used a weapon that acts in the sentence: "shells fired by suspected al-Shabaab militants",
    "Hezbollah's rockets"; else the weapon stands for an attacker the sentence does not name ("Russian
    missiles struck", "About 30 rockets were fired at a base", "an IED struck a convoy")."""
    for child in weapon.children:
        if child.dep_ == "acl":
            agent = next((c for c in child.children if c.dep_ == "agent"), None)
            user = _object_of(agent) if agent is not None else None
            if user is not None:
                return _names(analysis, attributor, user, depth + 1)
        if child.dep_ == "poss":
            return _names(analysis, attributor, child, depth + 1)
    return (analysis.mention(weapon).text,)


def _phrase_indices(token: Token) -> set[int]:
    """The tokens of ``token``'s phrase with its conjuncts and prepositions, but not its clauses."""
    kept: set[int] = set()
    stack = [token]
    while stack:
        current = stack.pop()
        kept.add(current.i)
        stack.extend(c for c in current.children if c.dep_ not in _CLAUSES)
    return kept


def _refined_type(token: Token, kind: ActionType) -> ActionType:
    if token.lemma_.lower() == "shoot" and any(c.dep_ == "prt" and c.lower_ == "down" for c in token.children):
        return ActionType.other  # "air defenses shot down 29 of the missiles": an interception, not an attack
    if kind not in {ActionType.attack, ActionType.bombing}:
        return kind
    for child in token.children:
        refined = _MODIFIER_TYPES.get(child.lemma_.lower())
        if refined is not None and child.dep_ in {"compound", "amod", "nmod"}:
            return refined
    if token.lemma_.lower() in {"airstrike"} or token.lower_ in {"airstrikes", "air-strikes"}:
        return ActionType.airstrike
    return kind


def _modality(token: Token, kind: ActionType) -> Modality:
    lemmas = {token.lemma_.lower(), token.head.lemma_.lower()}
    responsibility = _responsibility_verb(token)
    if responsibility is not None and _claimant(responsibility) is not None:  # by their own word, or denied
        return Modality.denied if responsibility.lemma_.lower() in DENY_WORDS else Modality.claimed
    if lemmas & CLAIM_WORDS or (kind in _COMBAT_TYPES and _told_by_its_side(token)):
        return Modality.claimed
    if lemmas & DENY_WORDS or _negated(token):
        return Modality.denied
    if lemmas & THREAT_WORDS or any(c.lower_ in {"will", "would", "could"} for c in token.children):
        return Modality.threatened
    return Modality.actual


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
_OWN_SUBJECTS = frozenset({"we"})  # not "they": "They shot anyone who tried to run," a witness said
_OWN_FORCES = frozenset({"its", "their", "our"})  # "its forces", "their fighters", "our troops"


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
    return subject is not None and (
        subject.lower_ in _OWN_SUBJECTS or any(c.dep_ == "poss" and c.lower_ in _OWN_FORCES for c in subject.children)
    )


def _negated(token: Token) -> bool:
    """Said not to have happened or not to be theirs: "our forces do not strike civilian
    infrastructure", "has no hand in this attack", "was not behind the bombing"."""
    if token.pos_ == "VERB":
        return any(c.dep_ == "neg" for c in token.children)
    prep = token.head
    if token.dep_ != "pobj" or prep.lower_ not in {"in", "behind", "for", "with"}:
        return False
    holder = prep.head
    holders = [holder, holder.head] if holder.dep_ in {"acomp", "attr"} else [holder]
    holders += [c for held in list(holders) for c in held.children if c.dep_ == "dobj"]  # "has no hand in"
    return any(c.dep_ == "neg" or (c.dep_ == "det" and c.lower_ == "no") for held in holders for c in held.children)


def _location(sentence: Span, trigger: Token, actors: tuple[str, ...] = ()) -> str | None:
    """The nearest place the sentence names after (else before) the trigger, not one of its actors."""
    places = [e for e in sentence.ents if (e.label_ in _PLACE_LABELS or names_a_place(e.text)) and e.text not in actors]
    after = [e for e in places if e.start > trigger.i]
    chosen = after[0] if after else (places[-1] if places else None)
    return chosen.text if chosen is not None else None


def _options(analysis: ArticleAnalysis, sentence: Span) -> tuple[str, ...]:
    """The sentence's mentions that could act or be acted on (names, people, groups, places that are
    attacked), for a model to choose from."""
    names: list[str] = []
    for mention in analysis.mentions:
        if sentence.start_char <= mention.start < sentence.end_char and not mention.pronoun:
            names.append(mention.name if mention.label == "PERSON" else mention.text)
    for chunk in sentence.noun_chunks:
        root = chunk.root
        lemma = root.lemma_.lower()
        if root.pos_ == "PRON" or root.ent_type_ in _NOT_PARTICIPANTS:
            continue
        if not (
            root.ent_type_ in _ACTOR_LABELS | _PLACE_LABELS or lemma in PEOPLE_NOUNS or lemma in _PARTICIPANT_NOUNS
        ):
            continue
        text = chunk.text
        for article in ("the ", "The ", "a ", "an ", "A ", "An "):
            text = text.removeprefix(article)
        names.append(text)
    return tuple(dict.fromkeys(n for n in names if n))
