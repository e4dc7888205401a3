"""Action candidates: who did what to whom, where and when, read from the parse.

A trigger (``triggers.py``) names the action and its type; the parse gives the actor's and the target's
tokens (``roles.py``), which are read as the names they stand for (``participants.py``); the nearest
place entity is where, a date entity of the sentence when, and the words around the trigger its
modality (``modality.py``). A reading with only one side is kept for a prompt that asks the model about
it ("roles"); without an actor it makes no action. Every step is a rule of ``rules/events.yaml``, and
each candidate keeps the ids of the rules that found and shaped it.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from summarizer.analysis.attribution import Attributor, antecedent
from summarizer.analysis.circumstances import (
    a_place,
    a_site,
    armament,
    named_for_a_body,
    names_a_site,
    place_holders,
    place_of,
    place_words,
    weapon_of,
    weapon_words,
    witnessed_at,
)
from summarizer.analysis.document import ArticleAnalysis, calls_itself
from summarizer.analysis.lexicon import (
    EVENT_TRIGGERS,
    SPEECH_VERBS,
    country_as_person,
    kept_in_hospital,
    names_a_country,
    names_a_place,
    words,
)
from summarizer.analysis.modality import modality
from summarizer.analysis.nlp import PLACE_LABELS, TIME_LABELS
from summarizer.analysis.participants import counted, included, names, options, someone
from summarizer.analysis.phrases import bare_words
from summarizer.analysis.roles import clash_sides, noun_roles, protest_place, verb_roles
from summarizer.analysis.timeframe import dates_another_event, modifies
from summarizer.analysis.traces import Dropped
from summarizer.analysis.triggers import a_weapon, conditional, device_verb, habitual, refined_type, trigger_kind
from summarizer.extraction import ActionType, Modality
from summarizer.rules.engine import collect, drop, rule
from summarizer.textfold import has_words

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

# Verbs too general to be events by themselves: only with an attack-like object or a weapon subject.
_WEAK_VERBS = words("weak-event-verb")
_NEUTRALISE = words("neutralise-verb")
_HARM = words("harm-verb")
_DISMISS = words("dismiss-verb")
_AIMED_FIRE = words("fire-preposition")
_BUILDING_PARTS = words("building-part")
_ILLS = words("ill-noun")
_DETONATE_VERBS = words("detonate-verb")
_SANCTION_WORDS = words("event-sanction")
_AIMED_AT = words("aimed-preposition")
_VERB_ONLY = words("verb-only-trigger")
_SEARCH_WORDS = words("search-operation-word")
_LAW_ENFORCERS = words("law-enforcement-noun")
_LOCATION_PREPOSITIONS = words("location-preposition")
_HOSTAGES = words("hostage-noun")
_SEIZE = words("seize-verb")
_MARCHERS = words("marcher-noun")
_ABDUCTORS = words("abductor-noun")
# Kinds of action a place or a site cannot do: violence and protest.
_VIOLENT = frozenset(
    {
        ActionType.attack,
        ActionType.bombing,
        ActionType.airstrike,
        ActionType.shelling_or_rocket_attack,
        ActionType.armed_clash,
        ActionType.protest,
    }
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
    rules: tuple[str, ...] = field(default=(), compare=False)
    instrument: str | None = None
    lemma: str = ""
    sited: bool = False  # the place is one the parse ties to the trigger, not the sentence's nearest
    went_off: bool = False  # the trigger tells a device going off ("exploded", "had gone off")

    @property
    def placed_act(self) -> bool:
        """A weapon, or an act of violence, at a place the parse ties to it ("an explosion at the bus
        station", "shootings in Belfast"): an act done somewhere though the words name no doer and no
        target."""
        return self.sited and (self.instrument is not None or self.type in _VIOLENT - {ActionType.protest})

    @property
    def exploded(self) -> bool:
        """A device that went off ("the bombs began to explode"): a bombing though no one is named."""
        return self.went_off and self.instrument is not None


def find_events(
    analysis: ArticleAnalysis, attributor: Attributor, dropped: list[Dropped] | None = None
) -> list[EventCandidate]:
    found: list[EventCandidate] = []
    for sentence in analysis.sentences:
        seen: set[tuple[tuple[str, ...], tuple[str, ...]]] = set()
        seen_places: set[tuple[str | None, str | None]] = set()  # of readings that name no one
        unarmed: set[tuple[tuple[str, ...], tuple[str, ...]]] = set()  # readings with no doer, weapon or place
        sentence_options = options(analysis, sentence)
        for token in sentence:
            with collect() as trace:
                candidate = _event(analysis, attributor, sentence, token, sentence_options)
                if candidate is not None:
                    key = (candidate.actors, candidate.targets)
                    told = candidate.actors or candidate.targets or candidate.placed_act or candidate.exploded
                    where = (candidate.location, candidate.instrument)
                    # a reading that names no one is the same as another only at the same place with the
                    # same weapon ("killed in an attack on the market in Strasbourg": the attack's place)
                    nameless = not key[0] and not key[1]
                    same = where in seen_places if nameless else key in seen or any(_covers(o, key) for o in seen)
                    # "a service member was killed in a bomb attack", "killed in two explosions in Kandahar
                    # province": the attack with its weapon or its place is more than the killing that named
                    # neither (a toll), though both name the same victims
                    fuller = (candidate.instrument is not None or candidate.sited) and key in unarmed
                    if same and rule("event.find.fuller-reading", fuller):
                        same = False
                    if drop("event.drop.no-participant", not told) or drop("event.drop.same-reading", same):
                        candidate = None
                    elif nameless:
                        seen_places.add(where)
                    else:
                        seen.add(key)
                        if not key[0] and candidate.instrument is None and not candidate.sited:
                            unarmed.add(key)
            if candidate is not None:
                found.append(replace(candidate, rules=trace.ids()))
            elif dropped is not None and trace.dropped_by is not None:
                dropped.append(Dropped.of("action", analysis.text, token, trace))
    return found


def _enforces_law(actor: Token) -> bool:
    """Police, officers, agents or detectives, alone or with others of their kind ("police and counter-terror
    officers")."""
    heads = [actor, *(c for c in actor.conjuncts)]
    return all(t.lemma_.lower() in _LAW_ENFORCERS or t.lower_ in _LAW_ENFORCERS for t in heads)


def _covers(seen: tuple[tuple[str, ...], tuple[str, ...]], key: tuple[tuple[str, ...], tuple[str, ...]]) -> bool:
    """A reading with only one side adds nothing to one of the same sentence that has it and more."""
    actors, targets = key
    return (not actors and set(targets) <= set(seen[1])) or (not targets and set(actors) <= set(seen[0]))


def _event(
    analysis: ArticleAnalysis, attributor: Attributor, sentence: Span, token: Token, sentence_options: tuple[str, ...]
) -> EventCandidate | None:
    kind = trigger_kind(token)
    if kind is None:
        return None
    lemma = token.lemma_.lower()
    if drop("event.drop.verb-only-noun", token.pos_ == "NOUN" and lemma in _VERB_ONLY):
        return None
    if drop("event.drop.court-noun", kind is ActionType.other and token.pos_ != "VERB"):
        return None  # "a death sentence", "the conviction": a court's act only as a verb
    if drop("event.drop.care-not-custody", kind is ActionType.arrest and kept_in_hospital(token)):
        return None
    if drop("event.drop.calls-itself", calls_itself(token)):
        return None  # "a group calling itself X": a name, not a call
    if drop("event.drop.conditional", conditional(token)):
        return None  # "the threat of execution if he is convicted": what may happen, not what did
    background = habitual(token)
    if background is not None and drop(background):
        return None
    weak_attack = kind is ActionType.attack and lemma in _WEAK_VERBS
    sanctions = weak_attack and any(
        t.lemma_.lower() in _SANCTION_WORDS or t.lower_ in _SANCTION_WORDS for t in sentence
    )
    if weak_attack and rule("event.type.sanction-context", sanctions):
        kind = ActionType.sanction  # "targeted 13 more officials ... hits 13 Venezuelans with sanctions"
    if token.pos_ == "VERB":
        actor, target = verb_roles(token)
        if kind is ActionType.protest and target is None:  # "rallied outside the defence ministry"
            target = protest_place(token)
        armed = any(c.dep_ == "dobj" and a_weapon(c) for c in token.children)  # "fired eight missiles"
        weak = lemma in _WEAK_VERBS and target is None and not armed
        if kind is ActionType.protest and lemma in _WEAK_VERBS:
            # "hundreds of people marched through Khartoum": a protest; "troops marched into the town": none
            marchers = actor is not None and counted(antecedent(actor)).lemma_.lower() in _MARCHERS
            weak = not rule("event.find.people-marching", marchers)
        if drop("event.drop.weak-verb-alone", weak):
            return None
        if drop(
            "event.drop.met-no-one",
            kind is ActionType.diplomatic_contact and target is not None and not someone(target),
        ):
            return None  # "to meet the objective of ...", "call a ceasefire", "visited the scene": no one met
        dismissed = lemma in _DISMISS and any(
            c.dep_ in {"dobj", "nsubjpass"} and someone(c) and not a_weapon(c) for c in token.children
        )
        dismissed = dismissed and not any(c.dep_ == "prep" and c.lower_ in _AIMED_FIRE for c in token.children)
        if drop("event.drop.dismissed", dismissed):
            return None  # "they'll fire us": dismissed from a job, not shot at ("fired at us", "fired rockets")
        if drop("event.drop.neutralised-no-one", lemma in _NEUTRALISE and (target is None or not someone(target))):
            return None  # "neutralised several bandits" kills; "neutralised the threat" attacks no one
    else:
        if drop("event.drop.time-noun", token.ent_type_ in TIME_LABELS):
            return None
        actor, target = noun_roles(token)
        if target is None and kind in _VIOLENT and kind not in {ActionType.armed_clash, ActionType.protest}:
            # "the Pattani market bombing", "a school shooting": the site the noun is about was attacked
            # (not the ground of "border clashes" nor of "street protests")
            site = next((c for c in token.children if c.dep_ == "compound" and c.pos_ == "NOUN" and a_place(c)), None)
            if rule("event.role.compound-site-target", site is not None):
                target = site
    harm = lemma in _HARM
    harmed = harm and target is not None and not any(c.dep_ == "prt" for c in token.children) and someone(target)
    if drop("event.drop.harmed-no-one", harm and not harmed):
        return None  # "beat the deadline", "kicked off the talks": no one hurt
    if target is not None and kind in _VIOLENT:
        aimed_at = antecedent(target)  # "her shop window, which was damaged": the window
        if drop("event.drop.figurative-target", aimed_at.lemma_.lower() in _ILLS):
            return None  # "to attack the virus", "fighting inflation": no violence done
        whole = any(c.dep_ == "prep" and c.lower_ == "of" for c in aimed_at.children)
        if rule("event.drop.damage-as-target", aimed_at.lemma_.lower() in _BUILDING_PARTS and not whole):
            target = None  # "the windows were blown out": what the blast broke, not whom it was aimed at
    if kind is ActionType.armed_clash and actor is None:
        actor = clash_sides(token)  # "fighting broke out between M23 rebels and Congolese troops"
    raid_by_police = lemma in _SEARCH_WORDS and actor is not None and _enforces_law(actor)
    if rule("event.type.law-enforcement-raid", raid_by_police):
        kind = ActionType.other  # "police launched raids in east London": a search, not an attack
    companions = kind is ActionType.protest and target is not None and target.head.lower_ == "with"
    if rule("event.drop.protest-companions", companions):
        target = None  # "a rally with public energy workers": who marched along, not what it was against
    sides: tuple[str, ...] = ()
    with_side = kind is ActionType.armed_clash and target is not None and target.head.lower_ == "with"
    if with_side and rule("event.role.clash-with-side"):  # "a gun battle with police": police fought too
        sides, target = names(analysis, attributor, target), None
    # "briefly seized Goma": a name taken that is no person is a place, whatever the parse labels it
    named_place = (
        lemma in _SEIZE
        and target is not None
        and target.pos_ == "PROPN"
        and (target.ent_type_ != "PERSON" or target.lower_ in analysis.place_words)
    )
    seized_place = kind is ActionType.arrest and target is not None and (a_place(target) or named_place)
    if rule("event.type.captured-place", seized_place):
        kind = ActionType.attack  # "captured the police station in Wereta": taken by force, no one arrested
    taken_thing = target or next((c for c in token.children if c.dep_ == "dobj"), None)  # a weapon is no target
    seized_arms = kind is ActionType.arrest and taken_thing is not None and armament(taken_thing)
    if drop("event.drop.captured-no-one", seized_arms):
        return None  # "capturing drones": no one arrested
    held = counted(target) if target is not None else None  # "hundreds of hostages": the hostages
    seized_thing = held is not None and held.pos_ == "NOUN" and not someone(held) and not a_place(held)
    if drop("event.drop.seized-nothing-human", kind is ActionType.arrest and lemma in _SEIZE and seized_thing):
        return None  # "the army seized power", "police seized drugs": no one taken
    taken = kind is ActionType.arrest and (
        (held is not None and held.lemma_.lower() in _HOSTAGES)
        or (actor is not None and (actor.lemma_.lower() in _ABDUCTORS or actor.lower_ in _ABDUCTORS))
    )
    if rule("event.type.taken-by-force", taken):
        kind = ActionType.attack  # "gunmen seized 20 passengers", "seized hundreds of hostages": an abduction
    if actor is not None and rule("event.drop.site-as-actor", a_site(actor, violent=kind in _VIOLENT)):
        actor = None  # "Manchester", "the Boston Marathon", "the Rolando cafe" were where, not who
    if actor is not None and drop("event.drop.named-place-as-actor", _named_place(analysis, token, actor)):
        actor = None  # "the Manchester suicide bombing", "the Rolando bombing": the article's places
    actors = tuple(
        a
        for a in (*names(analysis, attributor, actor), *sides)
        if not rule("event.drop.place-as-actor", names_a_place(a))
        and not rule("event.drop.country-protesting", kind is ActionType.protest and names_a_country(a))
        # "which" -> "the cafe"; not a body's name that ends in a site word ("Islamic State Sahel Province")
        and not rule(
            "event.drop.site-as-actor",
            kind in _VIOLENT and names_a_site(a) and not (actor is not None and named_for_a_body(actor)),
        )
    )
    actors = tuple(dict.fromkeys(actors))  # "a gunfight with police" after "police": one side, once
    targets = names(analysis, attributor, target)
    if target is not None:
        named = [n for n in included(analysis, token, target) if n not in targets]
        if named and rule("event.participant.including"):  # "Leftists were arrested, including Eva Forest"
            targets = (*targets, *named)[:4]
    if set(actors) & set(targets):
        targets = tuple(t for t in targets if t not in actors)
    # "an attack on the Christmas market", "bombed the market": aimed at the place, which is where too;
    # "explosions at Oxford Street": only where
    # "the bombing of the market", "the market bombing": the event noun's object, aimed at as a verb's is
    of_noun = target is not None and target.head.lower_ == "of" and target.head.head == token
    patient = of_noun or (target is not None and target.dep_ == "compound" and target.head == token)
    aimed = target is not None and (target.dep_ in {"dobj", "nsubjpass"} or target.head.lower_ in _AIMED_AT or patient)
    # "protesting outside parliament": a place preposition the parse read as the object's modifier
    misread = target is not None and any(
        c.i < target.i and c.dep_ in {"amod", "advmod"} and c.lower_ in _LOCATION_PREPOSITIONS for c in target.children
    )
    places = [t for t in targets if not aimed and rule("event.place.target-is-a-place", names_a_place(t))]
    if not places and targets and rule("event.place.preposition-read-as-modifier", misread):
        places = list(targets)
    went_off_at = (
        target is not None
        and target.head.head == token
        and target.head.lower_ in _LOCATION_PREPOSITIONS
        and (device_verb(token) or lemma in _DETONATE_VERBS)
    )
    if not places and targets and rule("event.place.device-went-off-at", went_off_at and not aimed):
        places = list(targets)  # "devices were detonated at places certain to be thronged": where, not whom
    targets = tuple(t for t in targets if t not in places)  # "explosions at Oxford Street": where, not whom
    place = target if places and target is not None else place_of(token, actor, target)
    cause = actor if actor is not None and actor is not token and actor.lemma_.lower() in EVENT_TRIGGERS else None
    if place is None and cause is not None and cause.pos_ == "NOUN":
        place = place_of(cause, clash_sides(cause))  # "wounded in a battle between troops and gunmen in X"
    # "attacked Camp Shorabak", "an attack at the Rolando cafe in Calle del Correo": where it was done, too
    struck = bool(targets) and target is not None and a_place(target)
    if struck and (place is None or place.head.head == target) and rule("event.place.struck-place"):
        place = target
    weapon = weapon_of(token, actor, target)
    used = token.pos_ == "VERB" and any(
        c.dep_ == "nsubjpass" and (a_weapon(c) or lemma in _DETONATE_VERBS) for c in token.children
    )
    by_the_weapon = actor is None or actor.dep_ == "nsubjpass"  # no doer but the weapon itself
    if drop("event.drop.weapon-against-no-one", not targets and used and by_the_weapon and place is None):
        return None  # "where the bombs were being detonated": a weapon stands for its user only against someone
    return EventCandidate(
        start=token.idx,
        end=token.idx + len(token.text),
        trigger=token.text,
        type=refined_type(token, kind),
        actors=actors,
        targets=targets,
        location=place_words(place)
        if place is not None
        else (places[0] if places else _location(analysis, sentence, token, actors)),
        instrument=weapon_words(weapon) if weapon is not None else None,
        lemma=lemma,
        sited=place is not None
        and (place is target or place is witnessed_at(token) or place.head.head in place_holders(token, own=True)),
        went_off=device_verb(token) and not any(c.dep_ == "auxpass" for c in token.children),
        time=_time(sentence, token),
        modality=modality(token, kind),
        sentence=(sentence.start_char, sentence.end_char),
        options=sentence_options,
    )


def _named_place(analysis: ArticleAnalysis, trigger: Token, actor: Token) -> bool:
    """A name that modifies the event noun and that the article uses as a place ("Manchester" of "in
    Manchester", "Rolando" of "the Rolando cafe", "the Boston Marathon"), never a country's ("Russian
    airstrikes")."""
    if trigger.pos_ != "NOUN" or actor.head != trigger or actor.dep_ not in {"compound", "nmod", "poss"}:
        return False
    if actor.pos_ != "PROPN" or names_a_country(actor.text):
        return False
    return actor.lower_ in analysis.place_words


def _where_said(place: Span, trigger: Token) -> bool:
    """Whether the place tells where words were said ("..., Santoso told reporters in Jakarta", "said in
    Kabul"): a preposition after a speech verb, on it or on whom it addresses; not the speaker's own place
    ("Kandahar officials said", "officials in Kandahar said": they tell of their place)."""
    if place.root.dep_ != "pobj":
        return False
    holder = place.root.head.head
    verb = holder.head if holder.dep_ in {"dobj", "dative"} else holder
    after = place.start > verb.i  # "On the West Bank, the ministry says ...": the scene of what it says
    return after and verb != trigger and verb.pos_ == "VERB" and verb.lemma_.lower() in SPEECH_VERBS


def _location(analysis: ArticleAnalysis, sentence: Span, trigger: Token, actors: tuple[str, ...] = ()) -> str | None:
    """The nearest place the sentence names after (else before) the trigger, not one of its actors, nor
    a name the article gives a person ("Tamerlan" of "Tamerlan Tsarnaev", whatever the parse labels it)."""
    places = [
        e
        for e in sentence.ents
        if e.label_ in PLACE_LABELS or names_a_place(e.text) or (e.label_ == "PERSON" and country_as_person(e.text))
    ]
    doers = [" ".join(bare_words(actor)) for actor in actors]  # a doer's name, or a part of it ("Sahel Province")
    places = [
        e
        for e in places
        if not rule("event.place.not-an-actor", any(has_words(d, " ".join(bare_words(e.text))) for d in doers))
    ]
    places = [e for e in places if not rule("event.place.not-a-person", e.text.lower() in analysis.person_words)]
    # "struck what New Delhi said was a camp": a place that says or does something is who, not where
    places = [e for e in places if not rule("event.place.not-a-subject", e.root.dep_ in {"nsubj", "nsubjpass"})]
    places = [e for e in places if not rule("event.place.where-said", _where_said(e, trigger))]
    after = [e for e in places if e.start > trigger.i]
    chosen = after[0] if after else (places[-1] if places else None)
    return chosen.text if chosen is not None and rule("event.place.nearest-place") else None


def _time(sentence: Span, trigger: Token) -> str | None:
    """The event word's own date ("last week's attack"), else the first date or time the sentence names
    ("on Sunday", "last night") that is not another event's."""
    dates = [e for e in sentence.ents if e.label_ in TIME_LABELS and not dates_another_event(e, trigger)]
    own = next((e for e in dates if modifies(e, trigger)), None)
    if rule("event.time.own-modifier", own is not None):
        assert own is not None
        start = own.start
        while start > sentence.start and sentence.doc[start - 1].ent_type_ in TIME_LABELS:
            start -= 1  # "Yesterday afternoon": the parse's two entities, one date
        return sentence.doc[start : own.end].text
    when = dates[0].text if dates else None
    return when if when is not None and rule("event.time.sentence-date") else None
