"""Where and with what an action was done, read from the parse around its trigger.

Where: the object of a place preposition on the trigger, or on the verb that carries a trigger noun
("ambushed at a checkpoint near Kandahar", "carried out an attack in Helmand province"), when it names a
place: a place entity or a noun of a place class ("the market", "the border"). The phrase is the
object's words up to a clause of its own ("a checkpoint near Kandahar", not "... where soldiers were").
With what: a weapon the words tie to the act: "with" or "using" a weapon, a weapon the verb acts on or
that acts ("detonated a car bomb", "a car bomb exploded"), a weapon that modifies the trigger noun ("a
drone strike"), or the weapon of the doer ("men armed with knives"). Each reading is a rule of
``rules/events.yaml``.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from summarizer.analysis.lexicon import (
    EVENT_TRIGGERS,
    LIGHT_VERBS,
    OUTCOME_WORDS,
    country_as_person,
    head_in,
    iso_country,
    names_a_country,
    words,
)
from summarizer.analysis.nlp import PLACE_LABELS, TIME_LABELS
from summarizer.analysis.phrases import postposed_clause
from summarizer.analysis.triggers import a_weapon, infinitive, object_of, raised_subject
from summarizer.normalize import article_dateline
from summarizer.rules.engine import rule

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

_SITE_LABELS = frozenset({"FAC", "LOC", "EVENT"})
_SITE_HEADS = words("site-noun")
_GROUP_WORDS = words("kind-armed-group")
_LOCATION_PREPOSITIONS = words("location-preposition")
_PLACE_HEADS = words("place-noun") | words("settlement-noun") | words("site-noun") | words("settlement-kind")
_INSTRUMENT_PREPOSITIONS = words("instrument-preposition")
_INSTRUMENT_VERBS = words("instrument-verb")
_ARMED = words("armed-verb")
_BEARING = words("bearing-verb")
_DETONATE_VERBS = words("detonate-verb")
_RELATIVE = words("relative-pronoun")
_WHEN_MARKS = words("when-mark")
_CAUSE_PREPOSITIONS = words("event-agent-preposition")
_SERIES = words("series-noun")
_WITNESS_VERBS = words("witness-verb")
_OCCURRENCE_VERBS = words("occurrence-verb") | LIGHT_VERBS
# Craft an act is done with ("using drones", "a drone strike"), besides weapons.
_CRAFT = words("craft-noun")
_UNDER = words("under-preposition")
_DRIVE_INTO = words("drive-into-verb")
_AIMED_AT = words("aimed-preposition")
_SOURCE_PREPOSITIONS = words("source-preposition")
# Dependents that open a clause or an aside of their own: not part of the place's or the weapon's words.
_OWN_CLAUSE = frozenset({"relcl", "acl", "advcl", "appos", "ccomp", "xcomp", "parataxis", "punct", "cc", "conj"})
_MAX_WORDS = 8
# Words a phrase cut short must not end on.
_FUNCTION_POS = frozenset({"ADP", "DET", "CCONJ", "SCONJ", "PART", "PRON"})
# How a noun trigger stands in the clause of the verb that carries it ("carried out an attack in X").
_CARRIED = frozenset({"dobj", "nsubj", "nsubjpass", "attr"})


def a_place(token: Token) -> bool:
    """A place entity, or a noun whose head word names a place ("the market", "Helmand province"), or a
    name a place noun stands beside ("The Velvet Room, a bar and dance club")."""
    if token.ent_type_ in TIME_LABELS:
        return False
    if _placed_word(token):
        return True
    described = token.pos_ == "PROPN" and any(c.dep_ == "appos" and _placed_word(c) for c in token.children)
    return rule("event.place.described-as-a-place", described)


def _placed_word(token: Token) -> bool:
    lemma = token.lemma_.lower()
    return (
        token.ent_type_ in PLACE_LABELS
        or lemma in _PLACE_HEADS
        or token.lower_ in _PLACE_HEADS
        or (token.ent_type_ == "PERSON" and country_as_person(_entity_text(token)))
    )


def _entity_text(token: Token) -> str:
    span = _entity_of(token)
    return span.text if span is not None else token.text


def _entity_of(token: Token) -> Span | None:
    """The named entity that holds ``token``, if one does."""
    return next((e for e in token.doc.ents if e.start <= token.i < e.end), None)


def a_site(token: Token, *, violent: bool) -> bool:
    """A doer that is a place: a facility, a location or an event ("the Boston Marathon"), a city or
    region that modifies the event noun ("the Manchester bombing": a place entity that names no country
    and no government by its capital), and, for violence or a protest, a noun of a site ("the Rolando
    cafe")."""
    if token.pos_ == "PROPN" and token.ent_type_ in _SITE_LABELS:
        return True
    if token.pos_ == "PROPN" and token.ent_type_ == "GPE" and token.dep_ in {"compound", "nmod", "poss"}:
        span = _entity_of(token)
        if span is None:
            return False
        # "Moscow's strikes": the government by its capital; "the Kabul hotel attack": the city itself
        return not (names_a_country(span.text) if token.dep_ == "poss" else iso_country(span.text))
    site_head = violent and token.pos_ in {"NOUN", "PROPN"} and token.lemma_.lower() in _SITE_HEADS
    return site_head and not rule("event.role.body-named-with-site-word", named_for_a_body(token))


def named_for_a_body(token: Token) -> bool:
    """A proper name ending in a site word that begins with an organisation's or an armed group's name
    is that body's ("Islamic State Sahel Province", "Islamic State Khorasan Province"), not a site."""
    if token.pos_ != "PROPN":
        return False
    name = [t for t in token.subtree if t.i < token.i and t.dep_ in {"compound", "amod"} and t.pos_ == "PROPN"]
    return any(t.ent_type_ == "ORG" or t.lower_ in _GROUP_WORDS for t in name)


def home_place(text: str) -> tuple[str, int] | None:
    """The dateline's place as the lede spells it, and where the dateline ends, when the lede (the rest of
    the dateline's paragraph) names that place again: the article then tells its day's events there
    ("HARARE (Reuters) - Zimbabwean police have arrested 47 activists in raids across Harare"); not a
    capital the report was only filed from ("BAMAKO (Reuters) - ... on the road between Gao and Ansongo")."""
    found = article_dateline(text)
    if found is None:
        return None
    city = found.place.split(",")[0].strip()
    lede_start = len(text) - len(text[found.end :].lstrip())  # normalizing sets the dateline apart
    lede_end = text.find("\n", lede_start)
    lede = text[lede_start : lede_end if lede_end >= 0 else len(text)]
    named = re.search(rf"\b{re.escape(city)}\b", lede, re.IGNORECASE)
    return (lede[named.start() : named.end()], found.end) if named else None


def names_a_site(name: str) -> bool:
    """Whether a name's head word is a site noun ("Rolando cafe", "the mosque")."""
    return head_in(name, _SITE_HEADS)


def place_of(trigger: Token, actor: Token | None = None, target: Token | None = None) -> Token | None:
    """The place a preposition on the trigger names, or on the verb that carries a trigger noun, or on
    a participle clause of the trigger ("exploded, wounding 13 people on a busy street"), or on its doer
    or target ("ambushed by militants at a checkpoint"); not the target itself ("attacked at the
    market": the market is whom, as the target's reading says)."""
    witness = witnessed_at(trigger)
    if witness is not None:
        return witness
    holders = place_holders(trigger)
    holders.extend(t for t in (actor, target) if t is not None and (t.head == trigger or _object_on(t, trigger)))
    for holder in holders:
        for child in holder.children:
            if child.dep_ != "prep" or child.lower_ not in _LOCATION_PREPOSITIONS:
                continue
            place = object_of(child)
            if place is None or place in {target, actor}:  # "blamed the attack on X": X did it, X is no place
                continue
            if rule("event.place.preposition", a_place(place)):
                return place
    return None


def place_holders(trigger: Token, *, own: bool = False) -> list[Token]:
    """The words whose place can be the act's: the trigger, the verb that carries a trigger noun, and a
    participle clause of the trigger. ``own``: only where the place is surely the act's own, so the
    carrying verb only when it tells the act happening or carries it ("the explosion was at the
    station", "carried out an attack in Helmand"; not "an explosion was heard across the city")."""
    holders = [trigger]
    standing = series_of(trigger) or trigger  # "a wave of shooting broke out in X": the wave stands for it
    carrier = standing.head
    carried = trigger.pos_ == "NOUN" and standing.dep_ in _CARRIED and carrier.pos_ in {"VERB", "AUX"}
    if carried and (not own or carrier.lemma_.lower() in _OCCURRENCE_VERBS):
        holders.append(carrier)
    under = suffered_under(trigger)
    if under is not None:
        holders.append(under)  # "came under fire in Cauca": where the fire was
    holders.extend(c for c in trigger.children if c.dep_ == "advcl" and c.tag_ == "VBG")
    trailing = _trailing_outcome(trigger)
    if trailing is not None and rule("event.place.trailing-participle"):
        holders.append(trailing)
    act = _act_of_participle(trigger)
    if act is not None and rule("event.place.participle-of-the-act"):
        holders.append(act)
    if not own and trigger.pos_ == "VERB":
        for child in trigger.children:
            led = child.dep_ in {"prep", "agent"} and child.lower_ in _CAUSE_PREPOSITIONS
            cause = object_of(child) if led else None
            if cause is not None and cause.pos_ == "NOUN" and cause.lemma_.lower() in EVENT_TRIGGERS:
                holders.append(cause)  # "killed in IS attacks in Badia al-Sukhnah": the attacks' place
    return holders


def series_of(trigger: Token) -> Token | None:
    """The noun of a run of events that stands for the trigger noun in its clause ("a wave of shooting
    broke out", "a spate of bombings hit the city"), if there is one."""
    of = trigger.head
    if trigger.pos_ != "NOUN" or trigger.dep_ != "pobj" or of.lower_ != "of" or of.head.lemma_.lower() not in _SERIES:
        return None
    return of.head if rule("event.place.series-stands-for-event") else None


def witnessed_at(trigger: Token) -> Token | None:
    """A place that saw or witnessed the event noun ("Dagestan sees frequent attacks", "the republic
    has seen numerous bombings"); not a person or a body ("the minister saw the attack")."""
    verb = trigger.head
    if trigger.pos_ != "NOUN" or trigger.dep_ != "dobj" or verb.lemma_.lower() not in _WITNESS_VERBS:
        return None
    subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
    if subject is None or subject.ent_type_ in {"PERSON", "ORG"} or subject.pos_ == "PRON":
        return None
    named_land = subject.pos_ == "PROPN" and subject.tag_ == "NNP" and subject.ent_type_ in {"NORP", ""}
    return subject if rule("event.place.witnessing-place", a_place(subject) or named_land) else None


def _trailing_outcome(trigger: Token) -> Token | None:
    """A participle of an outcome right after the trigger's clause, which the parse hung higher up
    ("hunting a suspect who left a device that exploded on Friday, wounding 13 people on a busy street":
    the device wounded them, not the hunt)."""
    if trigger.pos_ != "VERB" or trigger.dep_ not in {"relcl", "acl", "ccomp", "xcomp"}:
        return None
    after = trigger.right_edge.i + 1
    doc = trigger.doc
    if after < len(doc) and doc[after].text == ",":
        after += 1
    if after >= len(doc):
        return None
    word = doc[after]
    hung_higher = word.dep_ == "advcl" and word.head.i < trigger.i and word.head in trigger.ancestors
    outcome = word.tag_ == "VBG" and (word.lemma_.lower() in OUTCOME_WORDS or word.lower_ in OUTCOME_WORDS)
    return word if hung_higher and outcome else None


def outcome_owner(participle: Token) -> Token | None:
    """The verb whose clause the outcome participle trails, when the parse hung it higher up ("a device that
    exploded on Friday, wounding 13 people": "exploded", not the hunt the sentence is about)."""
    if participle.dep_ != "advcl" or participle.tag_ != "VBG":
        return None
    before = [t for t in participle.sent if t.i < participle.i]
    return next((t for t in reversed(before) if _trailing_outcome(t) == participle), None)  # the innermost


def _act_of_participle(trigger: Token) -> Token | None:
    """The act an outcome participle follows, where the outcome took place too ("opened fire inside a
    nightclub, killing three people and wounding nine": killed and wounded inside the nightclub)."""
    if trigger.tag_ != "VBG" or not (trigger.lemma_.lower() in OUTCOME_WORDS or trigger.lower_ in OUTCOME_WORDS):
        return None
    base = trigger
    while base.dep_ == "conj" and base.head.tag_ == "VBG":
        base = base.head  # "killing three people and wounding nine": both follow the act
    if base.dep_ != "advcl" or base.head.pos_ != "VERB":
        return None
    return outcome_owner(base) or base.head


def _object_on(token: Token, trigger: Token) -> bool:
    """The object of a phrase on the trigger: its "by" ("ambushed by militants at a checkpoint"), or its
    "between" ("a battle between troops and terrorists in the Markets area"), or the "from" of the verb
    one came under it with ("came under fire from guerrillas near Toribio")."""
    holder = token.head.head
    return token.head.dep_ in {"agent", "prep"} and (holder == trigger or holder == suffered_under(trigger))


def place_words(place: Token) -> str:
    """The place's phrase: its words up to a clause of their own, at most a few, with no leading article
    ("a checkpoint near Kandahar" -> "checkpoint near Kandahar"), with the places it is joined to or
    set in ("Helmand Province, Afghanistan", "Badia al-Sukhnah and Badia al-Sham")."""
    start, end = _span(place)
    joined = [c for c in place.children if c.dep_ in {"appos", "conj"} and a_place(c)]
    if joined and rule("event.place.joined-places"):
        end = max(_span(c)[1] for c in joined)
    return place.doc.text[start:end].strip()


def armament(token: Token) -> bool:
    """A weapon, or a craft that carries one ("drones", "fighter jets")."""
    return a_weapon(token) or token.lemma_.lower() in _CRAFT or token.lower_.rstrip("s") in _CRAFT


def weapon_of(trigger: Token, actor: Token | None = None, target: Token | None = None) -> Token | None:
    """The weapon the words tie to the act, or None; never its target ("shot down a drone")."""
    purpose = infinitive(trigger)
    # "fired tear gas and live ammunition to disperse protesters", "used water cannon to disperse"
    used = [trigger.head] if trigger.dep_ == "acl" and trigger.head.dep_ == "dobj" else []
    if trigger.dep_ in {"xcomp", "advcl"}:
        used = [c for c in trigger.head.children if c.dep_ == "dobj"]
    fired = next((w for u in used for w in (u, *u.conjuncts) if armament(w)), None) if purpose else None
    if rule("event.instrument.fired-for", fired is not None):
        return fired
    objects = [c for c in trigger.children if c.dep_ == "dobj"]  # where the parse may hang "with X"
    if trigger.pos_ == "NOUN" and trigger.dep_ == "dobj" and trigger.head.lemma_.lower() in LIGHT_VERBS:
        objects.append(trigger.head)  # "opened fire with machine guns": the verb that carries the fire
    for child in (c for holder in (trigger, *objects) for c in holder.children):
        if child.dep_ == "prep" and child.lower_ in _INSTRUMENT_PREPOSITIONS:
            weapon = object_of(child)
            if rule("event.instrument.with", weapon is not None and armament(weapon)):
                return weapon
    for child in _using_clauses(trigger):
        weapon = next((c for c in child.children if c.dep_ == "dobj"), None)
        if rule("event.instrument.using", weapon is not None and armament(weapon)):
            return weapon
    driven = driven_into(trigger)  # "rammed a car packed with explosives into a checkpoint": the car
    if driven is not None and rule("event.instrument.driven", driven[0] != target):
        return driven[0]
    detonated = trigger.lemma_.lower() in _DETONATE_VERBS
    for child in trigger.children:
        said = child.pos_ != "PRON"  # "before detonating them": the pronoun names no weapon itself
        if child.dep_ in {"dobj", "nsubjpass"} and detonated and said and rule("event.instrument.detonated"):
            return child  # "explosive devices were detonated": what was detonated, whatever its word
    raised = raised_subject(trigger)
    if (
        raised is None
        and trigger.dep_ == "relcl"
        and any(c.dep_ == "nsubj" and c.lower_ in _RELATIVE for c in trigger.children)
    ):
        raised = trigger.head  # "a device that exploded": the device
    if (
        raised is None
        and trigger.dep_ == "conj"
        and not any(c.dep_ in {"nsubj", "nsubjpass"} for c in trigger.children)
    ):
        shared = next((c for c in trigger.head.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
        if rule("event.instrument.shared-subject", shared is not None and armament(shared)):
            raised = shared  # "the bomb was placed at the entrance and exploded": the bomb exploded
    for child in [*trigger.children, *([raised] if raised is not None else [])]:
        if child == target:
            continue
        # "threw fireworks, stones and bottles at them": the weapon among what was thrown
        arms = next((t for t in (child, *child.conjuncts) if armament(t)), None) if child.dep_ == "dobj" else None
        acted = child.dep_ in {"dobj", "nsubj", "nsubjpass"} and (armament(child) or arms is not None)
        if rule("event.instrument.argument", acted):
            return arms or child
        modifies = trigger.pos_ == "NOUN" and child.dep_ in {"compound", "nmod", "amod"} and armament(child)
        if rule("event.instrument.modifier", modifies):
            return child
    subject = next((c for c in trigger.children if c.dep_ == "nsubj"), None)
    if subject is not None and subject.pos_ == "NOUN" and subject.lemma_.lower() in EVENT_TRIGGERS:
        # "a drone strike killed three militants": the strike's own weapon killed them
        own = next((c for c in subject.children if c.dep_ in {"compound", "nmod", "amod"} and armament(c)), None)
        if rule("event.instrument.event-subject", own is not None):
            return own
    for clause in (c for c in trigger.children if c.dep_ == "advcl"):
        # "were killed when a vehicle touched off an IED", "died when a bomb exploded": the clause's weapon
        when_ = any(m.dep_ in {"mark", "advmod"} and m.lower_ in _WHEN_MARKS for m in clause.children)
        weapon = next((c for c in clause.children if c.dep_ in {"nsubj", "dobj"} and a_weapon(c)), None)
        # a clause with a target of its own ("when a shell hit a bus") is the action; the toll is its figure
        struck = any(c.dep_ == "dobj" and not a_weapon(c) for c in clause.children)
        if rule("event.instrument.when-clause", when_ and weapon is not None and not struck):
            return weapon
    source = fire_source(trigger)
    if rule("event.instrument.fire-from", source is not None and armament(source)):
        return source  # "came under attack from an improvised explosive device"
    if trigger.pos_ == "NOUN" and rule("event.instrument.weapon-named", a_weapon(trigger)):
        return trigger  # "a car bomb ripped through a market": the bomb it was done with
    if actor is not None:
        for child in actor.children:
            if child.dep_ == "acl" and (child.lemma_.lower() in _ARMED | _BEARING or child.lower_ in _BEARING):
                weapon = _borne(child)
                if rule("event.instrument.armed-with", weapon is not None):
                    return weapon
    return None


def suffered_under(noun: Token) -> Token | None:
    """The verb of "came under attack", "were under fire": whose subject suffered the event noun."""
    head = noun.head
    if noun.dep_ == "pobj" and head.lower_ in _UNDER and head.head.pos_ in {"VERB", "AUX"}:
        return head.head
    return None


def fire_source(noun: Token) -> Token | None:
    """What the attack one came under came from: the "from" of "came under fire from 40 guerrillas", "came
    under attack from an improvised explosive device" (a doer or a weapon)."""
    under = suffered_under(noun)
    if under is None:
        return None
    return next((object_of(c) for c in under.children if c.dep_ == "prep" and c.lower_ in _SOURCE_PREPOSITIONS), None)


def driven_into(trigger: Token) -> tuple[Token, Token] | None:
    """The vehicle a drive-into verb's object names and the preposition that says into what ("rammed a car
    packed with explosives into a checkpoint", wherever the parse hangs "into"); None for "rammed the gate"."""
    driven = next((c for c in trigger.children if c.dep_ == "dobj"), None)
    if trigger.lemma_.lower() not in _DRIVE_INTO or driven is None:
        return None
    into = next((t for t in (*trigger.children, *driven.subtree) if t.dep_ == "prep" and t.lower_ in _AIMED_AT), None)
    return (driven, into) if into is not None else None


def _borne(clause: Token) -> Token | None:
    """The weapon a doer's participle gives it: "armed with knives", "carrying a bomb", "riding a
    motorcycle loaded with explosives" (what it rides is loaded with it)."""
    for token in clause.subtree:
        with_ = token.dep_ == "pobj" and token.head.lower_ in _INSTRUMENT_PREPOSITIONS
        carried = token.dep_ == "dobj" and token.head == clause
        if (with_ or carried) and a_weapon(token):
            return token
    return None


def _using_clauses(trigger: Token) -> list[Token]:
    """ "using X" on the trigger, or on its object where the parse hangs it ("attacked positions using drones")."""
    objects = [c for c in trigger.children if c.dep_ == "dobj"]
    return [
        c
        for holder in (trigger, *objects)
        for c in holder.children
        if c.pos_ == "VERB" and c.lemma_.lower() in _INSTRUMENT_VERBS and c.dep_ in {"advcl", "acl", "xcomp", "conj"}
    ]


def weapon_words(weapon: Token) -> str:
    """The weapon's phrase: the noun and the words that say which ("a car bomb", "explosives-laden
    vest"), with no article, and not where it was ("explosive packages", not "... near the bridge"); with
    the weapons joined to it ("rifles and homemade explosives", "rockets and mortars")."""
    start, end = _span(weapon, placed=False)
    joined = [c for c in weapon.conjuncts if c.i > weapon.i and armament(c)]
    if joined and rule("event.instrument.joined-weapons"):
        end = max(_span(c, placed=False)[1] for c in joined)
    return weapon.doc.text[start:end].strip()


def _phrase(head: Token, *, placed: bool = True) -> str:
    start, end = _span(head, placed=placed)
    return head.doc.text[start:end].strip()


def _span(head: Token, *, placed: bool = True) -> tuple[int, int]:
    """Where the head's phrase stands: its words up to a clause of their own (and, unless ``placed``,
    up to a place preposition), at most a few, with no leading article or punctuation."""
    tokens = sorted(_words(head, placed), key=lambda t: t.i)
    while tokens and (tokens[0].dep_ in {"det", "predet", "poss", "case"} or tokens[0].is_punct):
        tokens = tokens[1:]
    if len(tokens) > _MAX_WORDS:  # a long phrase: the head, the words right before it, then what follows
        before = [t for t in tokens if t.i <= head.i][-_MAX_WORDS:]
        tokens = before + [t for t in tokens if t.i > head.i][: _MAX_WORDS - len(before)]
    while tokens and (tokens[-1].is_punct or tokens[-1].pos_ in _FUNCTION_POS):
        tokens = tokens[:-1]  # "house in Nuseirat in the centre of the" -> "... in the centre"
    if not tokens:
        return head.idx, head.idx + len(head.text)
    return tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)


def _words(token: Token, placed: bool) -> list[Token]:
    found = [token]
    for child in token.children:
        if child.dep_ in _OWN_CLAUSE or child.ent_type_ in TIME_LABELS or postposed_clause(child, token):
            continue
        if not placed and child.dep_ == "prep" and child.lower_ in _LOCATION_PREPOSITIONS:
            continue
        found.extend(_words(child, placed))
    return found
