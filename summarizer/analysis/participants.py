"""The names of an action's participants: a role token read as the mention it names, resolved.

"He" becomes the person it stands for, "Iraq and Syria" two names, "Thousands of people" the people,
"the attacks that targeted the embassy" whose attacks they were, "shells fired by militants" the
militants; a weapon no one is said to use stands for an attacker the sentence does not name. Also the
sentence's mentions a model may choose among when the parse cannot decide the roles.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from summarizer.analysis.attribution import Attributor, antecedent
from summarizer.analysis.circumstances import a_place
from summarizer.analysis.document import ArticleAnalysis
from summarizer.analysis.lexicon import (
    EVENT_TRIGGERS,
    OUTCOME_WORDS,
    PEOPLE_NOUNS,
    QUANTITY_WORDS,
    ROLE_NOUNS,
    STATEMENT_NOUNS,
    VERB_ONLY_TRIGGERS,
    country_as_person,
    head_in,
    names_a_place,
    words,
)
from summarizer.analysis.nlp import PLACE_LABELS
from summarizer.analysis.phrases import Mention
from summarizer.analysis.roles import ACTOR_LABELS, clash_sides, noun_roles
from summarizer.analysis.triggers import a_weapon, object_of
from summarizer.counts import parse_count
from summarizer.rules.engine import rule
from summarizer.textfold import fold_words

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

_ARTICLES = words("article-prefix")
# Entity labels that never act or suffer: dates, times, amounts.
_NOT_PARTICIPANTS = frozenset({"DATE", "TIME", "CARDINAL", "PERCENT", "QUANTITY", "MONEY", "ORDINAL"})
# Dependents that open a clause of their own: their names are not the phrase's. A participle stays
# ("enclaves used by the Kata'ib Hezbollah militia"): it names whose the thing is.
_CLAUSES = frozenset({"relcl", "advcl", "appos", "ccomp", "xcomp", "parataxis", "punct"})
# Common nouns that can be what an attack is aimed at, or who carries it out, besides people.
PARTICIPANT_NOUNS = words("participant-noun")
_MEETING_PARTIES = words("meeting-party-noun")
_INCLUDING = words("including-preposition")
_INCLUDED_LABELS = frozenset({"PERSON", "ORG"})
_LANDS = words("settlement-kind") | words("land-noun")
_REGIONS = words("region-noun")
_RELATIVES = words("relation-noun")
_LOCATION_PREPOSITIONS = words("location-preposition")


def names(analysis: ArticleAnalysis, attributor: Attributor, token: Token | None, depth: int = 0) -> tuple[str, ...]:
    """The mention a role token names, resolved ("He" -> the person), with its conjuncts ("Iraq and Syria")."""
    if token is None or depth > 2:  # an attack whose actor is an attack whose actor is...: give up
        return ()
    noun = antecedent(token)
    if rule("event.participant.relative-pronoun", noun is not token):
        event = _event_holding(noun) if token.dep_ == "nsubj" and token.head.lemma_.lower() in OUTCOME_WORDS else None
        # "a car bombing at a market in Pattani's Muang district that killed four people": the bombing killed
        token = event if event is not None and rule("event.participant.relative-to-the-event") else noun
    token = _named_by_apposition(token)
    token = counted(token)
    trigger = token.lemma_.lower() in EVENT_TRIGGERS and token.lemma_.lower() not in VERB_ONLY_TRIGGERS
    if trigger and (token.pos_ == "NOUN" or token.tag_ == "VBG"):
        if a_weapon(token):
            return _names_of_weapon(analysis, attributor, token, depth)
        # "the attacks that targeted the embassy": whose attacks; "fighting between X and Y killed": X and Y
        actor = noun_roles(token)[0] or clash_sides(token)
        if rule("event.participant.event-actor", actor is not None and actor is not token):
            return names(analysis, attributor, actor, depth + 1)
        return ()
    if token.ent_type_ in _NOT_PARTICIPANTS or token.like_num:
        return ()
    found: list[str] = []
    titled: list[tuple[int, int]] = []  # the words of people named with their titles
    conjuncts = _conjuncts(token)
    conjuncts = [c for c in conjuncts if not rule("event.participant.conjunct-opens-clause", _opens_clause(c))]
    events = [c for c in conjuncts if c.pos_ == "NOUN" and c.lemma_.lower() in EVENT_TRIGGERS]
    conjuncts = [c for c in conjuncts if not (c in events and rule("event.participant.conjunct-event"))]
    if conjuncts and rule("event.participant.breakdown", _breakdown(token, conjuncts)):
        conjuncts = []  # "12 people, seven women and five men": the twelve, told again by kind
    for part in [token, *conjuncts]:
        mention = analysis.mention(part)
        if mention.label == "PERSON":
            titled.append((mention.start, mention.end))
        # "an attack on a military post": the post itself; "the statement said" names its author, as a speaker
        as_such = rule("event.participant.statement-noun-as-such", mention.head in STATEMENT_NOUNS)
        resolved = None if as_such else attributor.resolve(mention, mention.start)[0]
        chosen: Mention = resolved or mention
        if chosen.pronoun or part.ent_type_ in _NOT_PARTICIPANTS:
            continue
        if rule("event.participant.handle-owner", chosen.text.startswith("@")):
            found.append(analysis.handle_owner(chosen.text[1:].split()[0]))
        else:
            found.append(chosen.name if chosen.label == "PERSON" else chosen.text)
    # A name inside the phrase ("three leaders and supporters of Kata'ib Hezbollah"): that body is a
    # participant. Not a name in a person's title ("Secretary of State") or in a clause that describes
    # the participant ("Multitud Popular, which fought the Islamic State").
    folded = [fold_words(n) for n in found]
    left_out = {c.i for c in token.children if c.dep_ == "conj"} - {c.i for c in conjuncts}
    phrase = _phrase_indices(token, skipped=left_out)
    for ent in token.doc.ents:
        inside = all(i in phrase for i in range(ent.start, ent.end))
        if not inside or ent.label_ not in {"ORG", "PERSON"} or any(s <= ent.start_char < e for s, e in titled):
            continue
        name = ent.text.removeprefix("the ").removeprefix("The ")
        holder = ent.root.head if ent.root.dep_ in {"compound", "nmod", "amod", "poss"} else None
        # "Gool" of "the Gool–Sangaldan road", whether the parse hangs the name on the road or the road on it;
        # "Pattani" of "Pattani's Muang district"
        in_place = (holder is not None and _land(holder)) or any(
            c.dep_ == "appos" and names_a_place(c.text) for c in ent.root.children
        )
        # "near the town of Toribio", "in Djibo": named where a place is, whatever the parse labels it
        where = ent.root.head if ent.root.dep_ == "pobj" else None
        sited = where is not None and (
            where.lower_ in _LOCATION_PREPOSITIONS or (where.lower_ == "of" and _land(where.head))
        )
        in_place = in_place or rule("event.participant.name-where", sited)
        country = ent.label_ == "PERSON" and country_as_person(name)
        if in_place or country or names_a_place(name) or head_in(name, _LANDS):
            continue  # "abducted at a church in Kajuru Local Government Area": where, not who
        if _whose(ent) or (holder is not None and holder.lemma_.lower() in EVENT_TRIGGERS):
            continue  # "a friend of bombing suspect Dzhokhar Tsarnaev", "the Boston Marathon bombing"
        if not any(fold_words(name) in f for f in folded) and rule("event.participant.name-inside"):
            found.append(name)
            folded.append(fold_words(name))
    return tuple(dict.fromkeys(found))[:4]


def _event_holding(place: Token) -> Token | None:
    """The event noun whose place phrase ``place`` ends ("bombing" of "a car bombing at a market in
    Pattani's Muang district"), when the parse hung a relative clause on the place."""
    if not a_place(place):
        return None
    node = place
    for _ in range(4):
        if node.dep_ not in {"pobj", "prep", "compound", "poss"} or node.head.i == node.i:
            return None
        node = node.head
        if node.pos_ == "NOUN" and node.lemma_.lower() in EVENT_TRIGGERS:
            return node
    return None


def _whose(ent: Span) -> bool:
    """A person named after "of" that follows someone ("a friend of X", "the wife of X") says whose
    relative, not another participant."""
    root = ent.root
    while root.dep_ in {"compound", "appos"} and root.head.pos_ in {"NOUN", "PROPN"}:
        root = root.head  # "bombing suspect Dzokhar Tsarnaev": the suspect
    of = root.head
    if ent.label_ != "PERSON" or root.dep_ != "pobj" or of.lower_ != "of":
        return False
    return of.head.lemma_.lower() in PEOPLE_NOUNS | ROLE_NOUNS or of.head.lemma_.lower() in _RELATIVES


def _land(word: Token) -> bool:
    """A word that makes the name before it a place: "road" of "the Gool–Sangaldan road", "state" of
    "Mexico's Guerrero state"."""
    lemma = word.lemma_.lower()
    return names_a_place(word.text) or lemma in _LANDS or lemma in _REGIONS


def included(analysis: ArticleAnalysis, trigger: Token, target: Token) -> list[str]:
    """The people and bodies named after "including" on the trigger or its target: "Leftists were
    arrested, including Eva Forest, wife of the playwright Alfonso Sastre, and Lidia Falcon" gives Eva
    Forest and Lidia Falcon (not the husband a phrase of "of" names)."""
    prep = next((c for c in (*trigger.children, *target.children) if c.dep_ == "prep" and c.lower_ in _INCLUDING), None)
    if prep is None:
        return []
    inside = {t.i for t in prep.subtree}
    found: list[str] = []
    for ent in trigger.doc.ents:
        if ent.label_ not in _INCLUDED_LABELS or ent.start not in inside:
            continue
        root = ent.root
        while root.dep_ == "appos":
            root = root.head
        if root.dep_ == "pobj" and root.head != prep:
            continue  # "wife of the playwright Alfonso Sastre": whose wife, not one of them
        mention = analysis.mention(ent.root)
        found.append(mention.name if mention.label == "PERSON" else ent.text)
    return list(dict.fromkeys(found))


def _conjuncts(token: Token) -> list[Token]:
    """The words joined to ``token``, in a chain ("men, women and children")."""
    found: list[Token] = []
    stack = [c for c in token.children if c.dep_ == "conj"]
    while stack:
        current = stack.pop(0)
        found.append(current)
        stack.extend(c for c in current.children if c.dep_ == "conj")
    return found


def _named_by_apposition(token: Token) -> Token:
    """The name a description stands beside: "Salman Abedi" of "Salman Abedi, the British-Libyan who
    carried out the bombing", "Tamerlan and Dzhokhar Tsarnaev" of "two brothers, Tamerlan and Dzhokhar
    Tsarnaev, carried the bombs"."""
    if token.pos_ == "PROPN":
        return token
    if token.dep_ == "appos" and token.head.pos_ == "PROPN" and rule("event.participant.apposed-name"):
        return token.head
    name = next((c for c in token.children if c.dep_ == "appos" and c.pos_ == "PROPN"), None)
    return name if name is not None and rule("event.participant.apposed-name") else token


def _opens_clause(conjunct: Token) -> bool:
    """A conjunct the parse joined to the phrase though it is the subject of the next clause: "Dzhokhar"
    of "killed in a gun battle with police and Dzhokhar was found hiding"."""
    after = conjunct.doc[conjunct.i + 1] if conjunct.i + 1 < len(conjunct.doc) else None
    if after is None or after.pos_ not in {"AUX", "VERB"} or after.dep_ not in {"aux", "auxpass", "ROOT", "conj"}:
        return False
    verb = after if after.dep_ in {"ROOT", "conj"} else after.head
    return verb.pos_ in {"VERB", "AUX"} and not any(c.dep_ in {"nsubj", "nsubjpass"} for c in verb.children)


def _count_of(token: Token) -> int | None:
    number = next((c for c in token.children if c.dep_ == "nummod"), None)
    return parse_count(number.text)[0] if number is not None else None


def _breakdown(token: Token, conjuncts: list[Token]) -> bool:
    """Counted groups joined after a counted group whose count they add up to say what it was made of
    ("12 people, seven women and five men"), not more participants."""
    whole = _count_of(token)
    parts = [_count_of(c) for c in conjuncts]
    return whole is not None and len(parts) > 1 and None not in parts and sum(p or 0 for p in parts) == whole


def counted(token: Token) -> Token:
    """ "Thousands of people", "29 of the missiles", "most of the rockets": the people or things
    counted, not the count."""
    if token.lower_ in QUANTITY_WORDS or token.like_num:
        of = next((c for c in token.children if c.dep_ == "prep" and c.lower_ == "of"), None)
        counted = object_of(of)
        if rule("event.participant.counted", counted is not None and counted.pos_ in {"NOUN", "PROPN"}):
            assert counted is not None
            return counted
    return token


def _names_of_weapon(analysis: ArticleAnalysis, attributor: Attributor, weapon: Token, depth: int) -> tuple[str, ...]:
    """Who used a weapon that acts in the sentence: "shells fired by suspected al-Shabaab militants",
    "Hezbollah's rockets"; else the weapon stands for an attacker the sentence does not name ("Russian
    missiles struck", "About 30 rockets were fired at a base", "an IED struck a convoy")."""
    for child in weapon.children:
        if child.dep_ == "acl":
            agent = next((c for c in child.children if c.dep_ == "agent"), None)
            user = object_of(agent) if agent is not None else None
            if rule("event.participant.weapon-user", user is not None):
                return names(analysis, attributor, user, depth + 1)
        if rule("event.participant.weapon-owner", child.dep_ == "poss"):
            return names(analysis, attributor, child, depth + 1)
    if not rule("event.participant.weapon-stands-for-user"):
        return ()
    return (analysis.mention(weapon).text,)


def _phrase_indices(token: Token, skipped: set[int] | frozenset[int] = frozenset()) -> set[int]:
    """The tokens of ``token``'s phrase with its conjuncts and prepositions, but not its clauses, nor the
    ``skipped`` words and theirs."""
    kept: set[int] = set()
    stack = [token]
    while stack:
        current = stack.pop()
        kept.add(current.i)
        # not a list after "including": ``included`` reads it, leaving out whose wife one is
        stack.extend(
            c
            for c in current.children
            if c.dep_ not in _CLAUSES and c.i not in skipped and not (c.dep_ == "prep" and c.lower_ in _INCLUDING)
        )
    return kept


def someone(token: Token) -> bool:
    """Whether a phrase names someone who can be met: a name, a pronoun, people, an office, a body
    ("the Deputy PM and Foreign Minister of Qatar")."""
    for word in (token, *(c for c in token.children if c.dep_ in {"conj", "compound"})):
        lemma = word.lemma_.lower()
        if (
            word.pos_ in {"PROPN", "PRON"}
            or word.ent_type_ in ACTOR_LABELS
            or lemma in PEOPLE_NOUNS | ROLE_NOUNS | PARTICIPANT_NOUNS
            or lemma in _MEETING_PARTIES
        ):
            return True
    return False


def options(analysis: ArticleAnalysis, sentence: Span) -> tuple[str, ...]:
    """The sentence's mentions that could act or be acted on (names, people, groups, places that are
    attacked), for a model to choose from."""
    found: list[str] = []
    for mention in analysis.mentions:
        if sentence.start_char <= mention.start < sentence.end_char and not mention.pronoun:
            found.append(mention.name if mention.label == "PERSON" else mention.text)
    for chunk in sentence.noun_chunks:
        root = chunk.root
        lemma = root.lemma_.lower()
        if root.pos_ == "PRON" or root.ent_type_ in _NOT_PARTICIPANTS:
            continue
        if not (root.ent_type_ in ACTOR_LABELS | PLACE_LABELS or lemma in PEOPLE_NOUNS or lemma in PARTICIPANT_NOUNS):
            continue
        text = chunk.text
        for article in sorted(_ARTICLES):
            text = text.removeprefix(article + " ").removeprefix(article.capitalize() + " ")
        found.append(text)
    return tuple(dict.fromkeys(n for n in found if n))
