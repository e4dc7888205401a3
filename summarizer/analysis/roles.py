"""Who did what to whom, read from the parse around a trigger: the actor's token and the target's.

For a verb, the actor is its subject (or the "by" agent of a passive) and the target its object (or the
subject of a passive, or the object of "against/on/at"); a subject carries over into a purpose or
participle clause ("militants tried to plant an IED to target security forces"). For a noun, the actor is
its possessor or an entity that modifies it ("KH's attacks", "U.S. air strikes", "attacks by Iran"), the
subject of the light verb that carries it ("carried out strikes against X"), who claimed or was blamed
for it; the target follows "against/on/at". Each reading is a rule of ``rules/events.yaml``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from summarizer.analysis.circumstances import a_site, driven_into, fire_source, outcome_owner, suffered_under
from summarizer.analysis.lexicon import (
    CLAIM_WORDS,
    EVENT_TRIGGERS,
    LIFE_NOUNS,
    LIGHT_VERBS,
    NOT_PEOPLE,
    OUTCOME_WORDS,
    PEOPLE_NOUNS,
    RESPONSIBILITY_NOUNS,
    SPEECH_VERBS,
    STATEMENT_NOUNS,
    TARGET_PREPOSITIONS,
    words,
)
from summarizer.analysis.nlp import PLACE_LABELS, TIME_LABELS
from summarizer.analysis.timeframe import set_earlier
from summarizer.analysis.triggers import (
    a_weapon,
    delivers_a_message,
    device_verb,
    infinitive,
    object_of,
    raised_subject,
    recipient,
)
from summarizer.rules.engine import matched, rule

if TYPE_CHECKING:
    from spacy.tokens import Token

ACTOR_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP"})
# Verbs whose past participle after a noun says what was done to it ("nurses kidnapped").
_DONE_TO_PEOPLE = words("done-to-people-verb")
_ORDER_VERBS = words("order-verb")
_LYING_DEVICES = words("lying-device")
_STRIKE_VERBS = words("strike-into-verb")
# "accused X of carrying out attacks", "blame X for the attacks": X is the (claimed) actor.
_BLAME_VERBS = words("blame-verb")
_AIMING_VERBS = words("aiming-verb")
_TARGETING_VERBS = words("targeting-verb")
_DRIVE_INTO = words("drive-into-verb")
_CALL_VERBS = words("call-verb")
_PROTEST_PLACES = words("protest-place-preposition")
_BETWEEN = words("between-preposition")
_AGENT_PREPOSITIONS = words("event-agent-preposition")
_CLAUSE_PREPOSITIONS = words("clause-preposition")
_NO = words("no-determiner")
_PATIENT_OF = words("patient-of-noun")
_ATTEMPT_NOUNS = words("attempt-word") | words("plan-word")
_PLAN_VERBS = words("plan-word")
_PART_NOUNS = words("part-noun")
_LAW_VERBS = words("law-verb")
_SEARCHES = words("search-operation-word")
_CLASH_WORDS = words("event-clash")
_DETONATE_VERBS = words("detonate-verb")
_PATIENT_POSSESSOR = words("patient-possessor-noun")
_SOURCE_PREPOSITIONS = words("source-preposition")
_COURT_VERBS = words("event-court")
_OWN_CLAUSE_MARKS = words("own-clause-mark")


def verb_roles(verb: Token) -> tuple[Token | None, Token | None]:
    """The actor's token and the target's token of a trigger verb."""
    actor = target = None
    passive = any(c.dep_ in {"nsubjpass", "auxpass"} for c in verb.children)
    for child in verb.children:
        if child.dep_ == "nsubj":
            if rule("event.role.device-not-actor", device_subject(verb)):
                actor = None
            elif rule("event.role.verb-subject"):
                actor = child
        elif child.dep_ == "agent":
            agent = object_of(child)
            if rule("event.role.passive-agent", agent is not None):
                actor = agent
        elif (
            child.dep_ in {"dobj", "nsubjpass"}
            and verb.lemma_.lower() in _DETONATE_VERBS
            and rule("event.role.detonated-device")
        ):
            continue  # "detonated at least 20 bombs", "explosive devices were detonated": the device, not whom
        elif child.dep_ == "nsubjpass" and a_weapon(child):
            if rule("event.role.weapon-for-its-user", actor is None):
                actor = child  # "About 30 rockets were fired at a base": fired by whom the rockets say
        elif child.dep_ == "nsubjpass" or (
            child.dep_ == "dobj"
            and not passive
            and not any(a_weapon(t) for t in (child, *child.conjuncts))  # "threw fireworks and stones at"
            and verb.lemma_.lower() not in _DRIVE_INTO
        ):
            # not the car of "rammed an explosives-laden car into the checkpost": into what
            if rule("event.role.passive-subject-target" if child.dep_ == "nsubjpass" else "event.role.object-target"):
                target = child
        elif child.dep_ == "prep" and child.lower_ in TARGET_PREPOSITIONS and target is None:
            charge = child.lower_ == "with" and verb.lemma_.lower() in _COURT_VERBS  # "charged with treason"
            aimed = None if charge else aimed_at(child)
            if rule("event.role.preposition-target", aimed is not None):
                target = aimed
    driven = driven_into(verb) if target is None else None
    if driven is not None:
        # "rammed a car packed with explosives into a checkpoint": the parse hangs "into" on the car's clause
        aimed = aimed_at(driven[1])
        if rule("event.role.driven-into", aimed is not None):
            target = aimed
    # "their vehicle struck a roadside bomb": the bomb hit the vehicle, which did nothing
    device = next((c for c in verb.children if c.dep_ == "dobj" and c.lemma_.lower() in _LYING_DEVICES), None)
    if rule("event.role.struck-a-device", device is not None and verb.lemma_.lower() in _STRIKE_VERBS and not passive):
        actor, target = None, next((c for c in verb.children if c.dep_ == "nsubj"), None)
    by_someone = verb.dep_ == "acl" and any(c.dep_ == "agent" for c in verb.children)
    # "two men arrested in Kabul": the men were arrested, by someone the words do not name
    participle = verb.tag_ == "VBN" or verb.dep_ == "acl"  # an "acl" is no finite verb, whatever its tag
    by_someone = by_someone or (participle and verb.lemma_.lower() in _DONE_TO_PEOPLE and not passive)
    described = reduced_relative_noun(verb) if by_someone else None
    if target is None and described is not None and rule("event.role.reduced-passive-target"):
        target = described  # "the alleged killer, Cherif Chekatt - shot dead by police": the killer was shot
    raised = raised_subject(verb)
    if raised is not None and passive and rule("event.role.raised-passive-subject"):
        target = raised  # "the student appears to have been shot": the student was shot
    else:
        actor = _carried_subject(verb, actor)
    if actor is None and passive:  # "were killed in IS attacks": the actor of that attack
        for child in verb.children:
            obj = object_of(child) if child.dep_ == "prep" and child.lower_ in _AGENT_PREPOSITIONS else None
            attack = obj is not None and obj.pos_ == "NOUN" and obj.lemma_.lower() in EVENT_TRIGGERS
            if attack and rule("event.role.in-an-attack"):
                assert obj is not None
                actor = noun_roles(obj)[0] or obj
                break
            acronym = obj is not None and obj.is_upper and matched("event.role.acronym-before-event", "acronym", obj)
            if acronym:
                actor = obj
                break
    headline_passive = verb.lemma_.lower() in _DONE_TO_PEOPLE and not passive
    headline_passive = headline_passive and not any(c.dep_ == "dobj" for c in verb.children)  # "police seized knives"
    if rule(
        "event.role.headline-passive",
        headline_passive and actor is not None and actor.dep_ == "nsubj" and target is None,
    ):
        actor, target = None, actor  # "nurses kidnapped": a headline's passive, no one named who did it
    if rule("event.role.message-recipient", delivers_a_message(verb)):  # to whom, not the message
        target = recipient(verb)
    elif verb.lemma_.lower() in _CALL_VERBS and target is None:  # "called the Deputy PM" read as "called X a Y"
        called = next((c for c in verb.children if c.dep_ == "oprd"), None)
        if rule("event.role.called-whom", called is not None):
            target = called
    return actor, target


def aimed_at(prep: Token) -> Token | None:
    """What a target preposition's object names when it can be a target: not a day ("on Sunday"), not a
    weapon ("with rockets")."""
    obj = object_of(prep)
    whose = next((c for c in obj.children if c.dep_ == "poss"), None) if obj is not None else None
    if obj is not None and obj.lemma_.lower() in LIFE_NOUNS and rule("event.role.attempt-on-life", whose is not None):
        return whose  # "an attack on his life": on him
    return obj if obj is not None and obj.ent_type_ not in TIME_LABELS and not a_weapon(obj) else None


def _carried_subject(verb: Token, actor: Token | None) -> Token | None:
    """A subject that carries into the trigger's clause ("militants tried to plant an IED to target
    security forces"), or the noun a participle describes ("rockets fired at a base")."""
    current = verb
    if rule("event.role.passive-carries-no-doer", actor is None and _passive_clause(verb)):
        return None  # "17 people had died and more than 30 had been wounded": no one named hurt the 30
    owner = outcome_owner(verb) if actor is None else None
    owner_subject = next((c for c in owner.children if c.dep_ == "nsubj"), None) if owner is not None else None
    by_device = owner is not None and device_subject(owner)
    # "hunting a suspect who left a device that exploded, wounding 13": the device's, so no one's
    if rule("event.role.trailing-participle", by_device or owner_subject is not None):
        return None if by_device else owner_subject
    for _ in range(3):
        if actor is not None or current.dep_ not in {"xcomp", "advcl", "conj", "acl"} or device_subject(current):
            break  # "the device detonated, killing three, the police said": a device's act is nobody's
        subordinate = any(c.dep_ == "mark" and c.lower_ in _OWN_CLAUSE_MARKS for c in current.children)
        if subordinate and any(c.dep_ in {"nsubj", "nsubjpass"} for c in current.children):
            break  # "remained in prison as they were charged": a clause of its own, with its own subject
        head = current.head
        noun = reduced_relative_noun(current)
        fired = noun is not None and infinitive(current) and noun.dep_ == "dobj" and a_weapon(noun)
        if rule("event.role.purpose-of-the-weapon", fired):
            assert noun is not None  # "police fired tear gas and live ammunition to disperse protesters"
            return _user_of(noun)
        if rule(
            "event.role.done-to-people",
            noun is not None
            and (current.tag_ == "VBN" or current.dep_ == "acl")
            and current.lemma_.lower() in _DONE_TO_PEOPLE,
        ):
            break  # "nurses kidnapped": the nurses were kidnapped, by someone the words do not name
        if noun is not None and rule("event.role.reduced-relative"):
            # "rockets fired at a base", "attacks that targeted the embassy": the noun's, not the clause's
            # not "a statement that teams had been deployed ... and that a man had been arrested"
            return noun if noun.lemma_.lower() not in NOT_PEOPLE | STATEMENT_NOUNS else None
        # not a device's, nor a speaker's ("... attack areas in Baghdad, injuring civilians," Pompeo said)
        spoken = head.lemma_.lower() in SPEECH_VERBS and current.i < head.i
        spoken = spoken and any(t.is_quote for t in current.doc[current.sent.start : current.i])  # in the quote
        subject = next((c for c in head.children if c.dep_ == "nsubj"), None)
        subject = None if device_subject(head) or spoken else subject
        if rule("event.role.carried-subject", subject is not None):
            actor = subject
        current = head
    return actor


def _user_of(weapon: Token) -> Token | None:
    """Who used the weapon: the subject of the verb whose object it is, or of the verb that one is joined to
    ("Police fired tear gas and live ammunition": the parse joins "live" to "fired")."""
    verb = weapon.head
    for _ in range(2):
        subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
        if subject is not None or verb.dep_ != "conj":
            return subject
        verb = verb.head
    return None


def _ordered_by(noun: Token) -> Token | None:
    """Who had the act done: the subject of the verb of ordering that takes it ("the gang leader ordered
    the attack"), the one accused or suspected of ordering it ("accused Ferreira of ordering the murder"),
    or the agent of an ordering participle on it ("an attack ordered by Los Lobos")."""
    verb = noun.head if noun.dep_ == "dobj" else None
    if verb is not None and verb.lemma_.lower() in _ORDER_VERBS:
        subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
        if subject is not None:
            return subject
        of = verb.head  # "accused Ferreira of ordering", "is suspected of ordering"
        if verb.dep_ == "pcomp" and of.dep_ == "prep":
            return next((c for c in of.head.children if c.dep_ in {"dobj", "nsubjpass"}), None)
        return None
    participle = next((c for c in noun.children if c.dep_ == "acl" and c.lemma_.lower() in _ORDER_VERBS), None)
    agent = next((c for c in participle.children if c.dep_ == "agent"), None) if participle is not None else None
    return object_of(agent) if agent is not None else None


def _passive_clause(verb: Token) -> bool:
    """A passive verb joined to a clause that tells a toll or a state ("17 people had died and more than 30
    had been wounded", "nine were dead and 130 more were mutilated, injured", "Lindao was unhurt, but two
    officers were wounded"): the subject there did nothing ("police dispersed the crowd, and five were
    detained" carries the police)."""
    if verb.dep_ != "conj":
        return False
    chain = [verb]
    while chain[-1].dep_ == "conj" and chain[-1].tag_ == "VBN" and chain[-1].head is not chain[-1]:
        chain.append(chain[-1].head)  # "were mutilated, injured and maimed": the passive of the first
    if not any(c.dep_ in {"auxpass", "nsubjpass"} for v in chain for c in v.children):
        return False
    told = chain[-1].head if chain[-1].dep_ == "conj" else chain[-1]
    state = told.pos_ == "AUX"  # "Lindao was unhurt, but two officers were wounded": a state does nothing
    outcome = told.lemma_.lower() in OUTCOME_WORDS or any(
        c.dep_ == "acomp" and c.lower_ in OUTCOME_WORDS for c in told.children
    )
    return (state or outcome) and not any(c.dep_ == "dobj" for c in told.children)


def clash_sides(token: Token) -> Token | None:
    """Who fought: the first of "between X and Y" on the clash, or on the verb it is the subject of
    ("fighting broke out between X and Y"); its conjuncts are the other sides."""
    holders = [token, token.head] if token.dep_ in {"nsubj", "nsubjpass"} else [token]
    for holder in holders:
        between = next((c for c in holder.children if c.dep_ == "prep" and c.lower_ in _BETWEEN), None)
        if between is not None and rule("event.role.clash-sides"):
            return object_of(between)
    with_ = next((c for c in token.children if c.dep_ == "prep" and c.lower_ == "with"), None)
    side = object_of(with_) if token.pos_ == "NOUN" else None
    if side is not None and not a_weapon(side) and rule("event.role.clash-with-side"):
        return side  # "killed in a gun battle with police": the police fought it
    return None


def device_subject(verb: Token) -> bool:
    """ "it exploded, killing two soldiers": the subject is the bomb, which acts for nobody."""
    if not device_verb(verb) or any(c.dep_ == "dobj" for c in verb.children):
        return False
    subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
    return subject is None or not (subject.lemma_.lower() in PEOPLE_NOUNS or subject.ent_type_ in ACTOR_LABELS)


def reduced_relative_noun(verb: Token) -> Token | None:
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


def noun_roles(noun: Token) -> tuple[Token | None, Token | None]:
    """The actor's token and the target's token of a trigger noun."""
    actor = target = None
    has_of = any(c.dep_ == "prep" and c.lower_ == "of" for c in noun.children)
    for child in noun.children:
        whose = child.dep_ == "poss" and noun.lemma_.lower() in _PATIENT_POSSESSOR and not has_of
        if whose and rule("event.role.possessor-patient"):  # "following his arrest": he was arrested
            target = child
            continue
        if child.ent_type_ in TIME_LABELS:  # "today's Taliban attack", "Sunday's bombing": when, not who
            continue
        if child.dep_ == "poss" or (child.dep_ in {"compound", "amod", "nmod"} and child.ent_type_ in ACTOR_LABELS):
            if rule("event.drop.site-as-actor", a_site(child, violent=True)):
                continue  # "the Mogadishu attack": where, not whose
            if rule("event.role.noun-possessor", actor is None):
                actor = child
        elif child.dep_ == "prep" and child.lower_ == "by":
            agent = object_of(child)
            if rule("event.role.noun-by-agent", agent is not None):
                actor = agent
        elif child.dep_ == "prep" and child.lower_ in _SOURCE_PREPOSITIONS and actor is None:
            source = object_of(child)
            if rule("event.role.noun-from-source", source is not None and _a_doer(source)):
                actor = source  # "mortar fire from the Islamic State": the Islamic State fired
        elif child.dep_ == "prep" and child.lower_ in TARGET_PREPOSITIONS and target is None:
            aimed = aimed_at(child)
            if rule("event.role.noun-preposition-target", aimed is not None):
                target = aimed
        elif child.dep_ == "prep" and child.lower_ == "of" and noun.lemma_.lower() in _PATIENT_OF and target is None:
            patient = aimed_at(child)  # "the killing of two journalists", "the bombing of the market"
            if rule("event.role.noun-of-target", patient is not None):
                target = patient
        elif child.dep_ == "acl" and child.lemma_.lower() in _TARGETING_VERBS:
            aimed = next((c for c in child.children if c.dep_ == "dobj"), None)
            at = next((c for c in child.children if c.dep_ == "prep" and c.lower_ in TARGET_PREPOSITIONS), None)
            if aimed is None and at is not None:
                aimed = aimed_at(at)  # "bombings targeted at the Russian military"
            if rule("event.role.noun-aimed-at", aimed is not None):
                target = aimed
        elif child.dep_ == "relcl":
            # "attacks that targeted the embassy"; "bombings which seemed to be aimed at civilians"
            clause = [child, *(c for c in child.children if c.dep_ == "xcomp")]
            for aiming in (v for v in clause if v.lemma_.lower() in _AIMING_VERBS):
                for grand in aiming.children:
                    aimed = grand if grand.dep_ == "dobj" else None
                    if grand.dep_ == "prep" and grand.lower_ in TARGET_PREPOSITIONS:
                        aimed = aimed_at(grand)
                    if aimed is not None and rule("event.role.noun-relative-object", target is None):
                        target = aimed
    head = noun.head
    if target is None and noun.dep_ == "compound" and head.lemma_.lower() in _ATTEMPT_NOUNS:
        # "the assassination attempt on the governor": the attempt or plot it names carries its target
        prep = next((c for c in head.children if c.dep_ == "prep" and c.lower_ in TARGET_PREPOSITIONS), None)
        aimed = aimed_at(prep) if prep is not None else None
        if rule("event.role.compound-head-target", aimed is not None):
            target = aimed
    under = suffered_under(noun)
    if under is not None:
        # "an army patrol came under fire from 40 guerrillas": the patrol was attacked, by the guerrillas
        subject = next((c for c in under.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
        if target is None and rule("event.role.came-under", subject is not None):
            target = subject
        source = fire_source(noun)
        if actor is None and rule("event.role.noun-from-source", source is not None and _a_doer(source)):
            actor = source
    if actor is None and noun.dep_ == "dobj" and (head.lemma_.lower() in LIGHT_VERBS | CLAIM_WORDS):
        subject = next((c for c in head.children if c.dep_ == "nsubj"), None)
        if rule("event.role.light-verb-subject", subject is not None):
            actor = subject
        if target is None:
            preps = [c for c in head.children if c.dep_ == "prep" and c.lower_ in TARGET_PREPOSITIONS]
            # "opened fire with machine guns on the crowd": the crowd; a weapon or a day is no target
            aimed = next((a for a in map(aimed_at, preps) if a is not None), None)
            if rule("event.role.light-verb-target", aimed is not None):
                target = aimed
    if actor is None and noun.dep_ == "dobj" and head.lemma_.lower() in _PLAN_VERBS:
        planner = _planner(head)
        if rule("event.role.planner", planner is not None):
            actor = planner  # "three men suspected of planning a knife attack": the men would have done it
    if actor is None:
        orderer = _ordered_by(noun)
        if rule("event.role.ordered-by", orderer is not None):
            actor = orderer
    if target is None and noun.dep_ == "pobj" and head.dep_ == "agent":
        # "the building was shattered by an explosion": what the blast struck
        struck = next((c for c in head.head.children if c.dep_ == "nsubjpass"), None)
        if rule("event.role.struck-by-event", struck is not None):
            target = struck
    if actor is None and noun.dep_ == "nsubjpass":
        # "the attack was carried out by ETA", "the attack is believed to have been carried out by ETA"
        carriers = [head, *(c for c in head.children if c.dep_ == "xcomp")]
        agent = next(
            (
                object_of(a)
                for v in carriers
                if v.lemma_.lower() in LIGHT_VERBS
                for a in v.children
                if a.dep_ == "agent"
            ),
            None,
        )
        if rule("event.role.light-verb-agent", agent is not None):
            actor = agent
    if actor is None and noun.dep_ == "nsubjpass" and head.lemma_.lower() in CLAIM_WORDS:
        agent = next((object_of(c) for c in head.children if c.dep_ == "agent"), None)
        if rule("event.role.claimed-by", agent is not None):  # "the bombing was claimed by al-Shabaab"
            actor = agent
    if actor is None and noun.dep_ == "pobj" and head.lower_ == "in" and head.head.lemma_.lower() in _PART_NOUNS:
        # "sentenced two men for their role in a 2014 car bombing": whose part it was did it
        owner = next((c for c in head.head.children if c.dep_ == "poss"), None)
        if owner is not None and rule("event.role.part-in"):
            actor = _partaker(owner, head.head)
    if actor is None:
        claimant = responsible(noun)
        if rule("event.role.responsibility", claimant is not None):
            actor = claimant
    if actor is None:
        blamed = _blamed(noun)
        if rule("event.role.blamed", blamed is not None):
            actor = blamed
    if actor is None and noun.dep_ == "pobj" and head.lower_ in _CLAUSE_PREPOSITIONS:
        # "He made this remark in a meeting with X", "blocked the highway for six hours in protest":
        # the subject of the clause the phrase hangs on
        holder = head.head  # the verb, or a phrase of time on it ("for six hours"), not its object
        adverbial = holder.dep_ == "pobj" and holder.head.dep_ == "prep" and holder.head.head.pos_ == "VERB"
        verb = holder if holder.pos_ == "VERB" else holder.head.head if adverbial else None
        subject = next((c for c in verb.children if c.dep_ in {"nsubj", "nsubjpass"}), None) if verb else None
        if subject is not None and verb is not None and rule("event.drop.subject-suffered", _suffered(verb)):
            # "Scores died in the attacks", "a service member was killed in a bomb attack": its victims, whom
            # it was done to (not the sides of a clash)
            clash = noun.lemma_.lower() in _CLASH_WORDS
            if target is None and rule("event.role.suffered-in", not clash):
                target = subject
            subject = None
        if subject is not None and rule("event.drop.earlier-event-no-clause-subject", set_earlier(noun)):
            subject = None  # "relayed reports ... in an earlier drone strike": another, earlier event
        # a raid or a sweep is the arresting body's own operation ("arrested twelve in a raid on a hostel")
        by_law = verb is not None and verb.lemma_.lower() in _LAW_VERBS and noun.lemma_.lower() not in _SEARCHES
        if subject is not None and rule("event.drop.clause-subject-of-law", by_law):
            subject = None  # "Police arrested two men in the bombing": who arrests is not who bombed
        if rule("event.role.clause-subject", subject is not None and subject.dep_ == "nsubj"):
            actor = subject
    return actor, target


def _partaker(owner: Token, part: Token) -> Token:
    """Whose part it was: the owner, or for "their"/"his", the one the clause sentenced, convicted or
    charged for it ("sentenced two men to death for their role in": the men), when the number agrees."""
    verb = part.head.head if part.dep_ == "pobj" else None
    if owner.pos_ != "PRON" or verb is None or verb.pos_ != "VERB":
        return owner
    plural = _plural(owner)
    for held in (c for c in verb.children if c.dep_ in {"dobj", "nsubjpass"}):
        if _plural(held) == plural:
            return held
    return owner


def _plural(token: Token) -> bool:
    """Whether a noun or pronoun counts more than one, by its tag or morphology ("men", "their")."""
    return token.tag_ in {"NNS", "NNPS"} or "Plur" in token.morph.get("Number", [])


def _planner(verb: Token) -> Token | None:
    """Who plans: the subject of "plan", or the people "suspected of planning" or "arrested on suspicion
    of plotting" describe."""
    subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
    if subject is not None:
        return subject
    if verb.dep_ == "acl" and verb.head.pos_ in {"NOUN", "PROPN"}:
        return verb.head  # "men planning attacks"
    if verb.dep_ != "pcomp" or verb.head.dep_ != "prep":
        return None
    holder = verb.head.head  # "suspected" of "men suspected of planning", "suspicion" of "on suspicion of"
    if holder.dep_ == "acl" and holder.head.pos_ in {"NOUN", "PROPN"}:
        return holder.head
    if holder.pos_ == "NOUN" and holder.dep_ == "pobj" and holder.head.head.pos_ == "VERB":
        held = holder.head.head  # "arrested three men on suspicion of plotting": the men arrested
        return next((c for c in held.children if c.dep_ in {"dobj", "nsubjpass"}), None)
    return None


def _a_doer(token: Token) -> bool:
    """A body or people that can act, not a place nor a direction ("from the Islamic State", "from
    government troops"; not "from Gaza", "from the north")."""
    if token.ent_type_ in PLACE_LABELS | TIME_LABELS:
        return False
    return token.ent_type_ in ACTOR_LABELS or token.pos_ == "PROPN" or token.lemma_.lower() in PEOPLE_NOUNS


def _suffered(verb: Token) -> bool:
    """A verb of an outcome whose subject underwent it: intransitive ("died") or passive ("was wounded")."""
    if verb.lemma_.lower() not in OUTCOME_WORDS and verb.lower_ not in OUTCOME_WORDS:
        return False
    return any(c.dep_ in {"auxpass", "nsubjpass"} for c in verb.children) or not any(
        c.dep_ == "dobj" for c in verb.children
    )


def protest_place(verb: Token) -> Token | None:
    """ "rallied outside the defence ministry": what a protest stood before is what it was against."""
    place = next((object_of(c) for c in verb.children if c.dep_ == "prep" and c.lower_ in _PROTEST_PLACES), None)
    return place if rule("event.role.protest-outside", place is not None) else None


def responsibility_verb(noun: Token) -> Token | None:
    """ "claimed / accepted / denied responsibility for the bombings": the verb, for the noun."""
    prep = noun.head
    if noun.dep_ != "pobj" or prep.lower_ != "for" or prep.head.lemma_.lower() not in RESPONSIBILITY_NOUNS:
        return None
    verb = prep.head.head
    return verb if verb.pos_ == "VERB" and prep.head.dep_ == "dobj" else None


def responsible(noun: Token) -> Token | None:
    """Who claimed (or denied) the act: the subject of "... responsibility for" it."""
    verb = responsibility_verb(noun)
    return claimant(verb) if verb is not None else None


def claimant(verb: Token) -> Token | None:
    """The subject of a verb of responsibility; "No group has claimed" names nobody."""
    subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
    if subject is None or any(c.dep_ == "det" and c.lower_ in _NO for c in subject.children):
        return None
    return subject


def _blamed(noun: Token) -> Token | None:
    """X in "accused X of carrying out the attacks", "blame X for the attacks", "blamed the attack on X"."""
    for ancestor in list(noun.ancestors)[:4]:
        if ancestor.lemma_.lower() in _BLAME_VERBS:
            blamed = next((c for c in ancestor.children if c.dep_ == "dobj"), None)
            if blamed is not None and blamed.lemma_.lower() in EVENT_TRIGGERS:  # "blamed the attack on X"
                on = next((c for c in (*ancestor.children, *blamed.children) if c.lower_ == "on"), None)
                return object_of(on)
            passive = next((c for c in ancestor.children if c.dep_ == "nsubjpass"), None)
            if blamed is None and rule("event.role.blamed-passive", passive is not None):
                return passive  # "JAD has been blamed for a string of attacks"
            return blamed
        if ancestor.pos_ == "VERB" and ancestor.lemma_.lower() not in LIGHT_VERBS:
            return None
    return None
