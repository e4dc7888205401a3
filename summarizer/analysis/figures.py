"""Casualty figure candidates: a number that counts people, the outcome it counts, and who says so.

A number is a figure only when the parse ties it to an outcome word ("25 of their men were killed",
"killing six NATO service members", "the death of a U.S. contractor", "wounded 55 others") and
what it counts can be people: "more than 30 rockets", "150 km", "five facilities" are refused by
code, and "5,000 troops" with no outcome word is no casualty. One candidate per number, so a
sentence with "killed 25 and wounded 55" gives two. Each step is a rule of ``rules/figures.yaml``;
a candidate keeps the ids of the rules that found and shaped it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from summarizer.analysis.document import ArticleAnalysis
from summarizer.analysis.lexicon import (
    BODY_NOUNS,
    EVENT_TRIGGERS,
    LIFE_NOUNS,
    LIFE_VERBS,
    NOT_PEOPLE,
    OUTCOME_WORDS,
    PEOPLE_NOUNS,
    SPEECH_VERBS,
    kept_in_hospital,
    names_a_part,
    outcome_pattern,
    part_of_the,
    words,
)
from summarizer.analysis.phrases import phrase_tokens
from summarizer.analysis.traces import Dropped
from summarizer.analysis.triggers import a_weapon
from summarizer.counts import parse_count
from summarizer.extraction import Outcome
from summarizer.rules.engine import collect, drop, match, matched, rule, search

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

_NOT_COUNTS = frozenset({"DATE", "TIME", "PERCENT", "MONEY", "ORDINAL", "QUANTITY"})
_VAGUE = words("vague-count")
_ARTICLES = words("indefinite-article")
_NOT_NOUNS = words("more-word")
_PART_PRONOUNS = words("part-pronoun")
_OTHERS = words("others-word")
_SCALES = words("number-scale")
_LINKING_VERBS = words("linking-verb")
_NEGATORS = words("negator")
_EVENT_PREPOSITIONS = words("event-preposition")
_ABSOLUTE = words("absolute-preposition")
_OTHERS_BEFORE = words("other-word")
_REFLEXIVES = words("reflexive-pronoun")
# A number as written: digits with separators, or one word or a hyphenated pair ("twenty-five").
_NUMBER_SHAPE = re.compile(r"^(?:[\d,.]+|[a-z]+(?:-[a-z]+)?)$", re.IGNORECASE)
_MAX_UP = 4  # steps up the parse from the counted noun to its outcome word


@dataclass(frozen=True)
class FigureCandidate:
    start: int  # the number phrase ("more than 50", "a", "dozens") in the analysed text
    end: int
    phrase: str
    outcome: Outcome
    victims: str  # the people counted, as written ("militiamen", "Syrian pro-regime fighters"); "" unknown
    sentence: tuple[int, int]
    event: str | None
    rules: tuple[str, ...] = field(default=(), compare=False)


def find_figures(analysis: ArticleAnalysis, dropped: list[Dropped] | None = None) -> list[FigureCandidate]:
    found: dict[int, FigureCandidate] = {}
    for sentence in analysis.sentences:
        if not any(_outcome_word(t) is not None for t in sentence):
            continue
        earlier: list[FigureCandidate] = []  # this sentence's figures so far, in text order
        for token in sentence:
            if token.i in found:
                continue
            with collect() as trace:
                candidate = _figure(analysis, sentence, token, earlier)
            if candidate is not None:
                candidate = replace(candidate, rules=trace.ids())
                found[token.i] = candidate
                earlier.append(candidate)
            elif dropped is not None and trace.dropped_by is not None:
                dropped.append(Dropped.of("figure", analysis.text, token, trace))
        _fill_victims(analysis, sentence, found)
    return sorted(found.values(), key=lambda f: f.start)


def _outcome_word(token: Token) -> Outcome | None:
    lemma = token.lemma_.lower()
    if token.pos_ not in {"VERB", "ADJ", "NOUN"}:
        return None
    # only a life noun can start the pattern: other words skip the lookup
    if lemma in LIFE_NOUNS and matched("figure.outcome.lives-taken", "life", token) is not None:
        return Outcome.killed
    if rule("figure.outcome.bodies", lemma in BODY_NOUNS and token.pos_ == "NOUN" and _counted_bodies(token)):
        return Outcome.killed  # "collected four bodies", "three bodies were brought in"
    outcome = OUTCOME_WORDS.get(lemma) or OUTCOME_WORDS.get(token.lower_)
    if rule("figure.outcome.care-not-custody", outcome is Outcome.arrested and kept_in_hospital(token)):
        return Outcome.injured
    return outcome


def _figure(
    analysis: ArticleAnalysis, sentence: Span, token: Token, earlier: list[FigureCandidate]
) -> FigureCandidate | None:
    span = _number_span(token)
    if span is None:
        return None
    first, last = span
    part = _part_outcome(analysis.text, sentence, first, last, earlier)
    noun = _counted_noun(token, last)
    if rule(
        "figure.victims.named-after-pronoun", part is not None and noun is not None and noun.lower_ in _PART_PRONOUNS
    ):
        assert noun is not None
        noun = _named_after(noun)  # "seven people, two of them children": children
    if drop(
        "figure.drop.counts-things",
        noun is not None and (noun.lemma_.lower() in NOT_PEOPLE or noun.ent_type_ in _NOT_COUNTS or a_weapon(noun)),
    ):
        return None
    if drop("figure.drop.article-without-noun", noun is None and token.lower_ in _ARTICLES):
        return None
    if drop("figure.drop.others-are-things", noun is None and _others_are_things(sentence, last)):
        return None  # "14 combat vehicles were destroyed and 9 others were seized": vehicles, not people
    # "25 deaths", "claimed nine lives", "12 fatalities": the counted noun is the outcome itself
    noun_outcome = _outcome_word(noun) if noun is not None else None
    if drop("figure.drop.outcome-in-apposition", noun_outcome is not None and last.dep_ == "appos"):
        return None  # "the nine lives - one at the bus station": "one" is a bomb, not a tenth death
    counts_an_outcome = rule(
        "figure.outcome.counted-noun",
        noun is not None
        and noun_outcome is not None
        and noun.pos_ == "NOUN"
        and last.head.i == noun.i  # "nine lives", not "the nine lives - one at the bus station"
        and last.dep_ in {"nummod", "quantmod", "compound", "amod", "det"},
    )
    outcome = noun_outcome if counts_an_outcome else None
    outcome = outcome or _governing_outcome(noun if noun is not None else token) or _toll_at(last) or part
    if drop("figure.drop.no-outcome", outcome is None) or outcome is None:
        return None
    start, end = _with_modifiers(analysis.text, sentence, first.idx, last.idx + len(last.text))
    phrase = analysis.text[start:end]
    low, high = parse_count(phrase)
    if drop("figure.drop.no-number", low is None and high is None and token.lower_ not in _VAGUE):
        return None
    victims = ""
    if noun is not None and not counts_an_outcome:
        victims = _victims(analysis, noun, first, last)
        if not rule("figure.victims.counted-noun", bool(victims)):
            victims = ""
    if rule(
        "figure.victims.outcome-noun-people",
        counts_an_outcome
        and noun is not None
        and (noun.lemma_.lower() in BODY_NOUNS or noun.lemma_.lower() in PEOPLE_NOUNS),
    ):
        assert noun is not None
        victims = noun.text  # "three bodies were brought in", "recovered 18 martyrs": whose, the sentence does not say
    return FigureCandidate(
        start=start,
        end=end,
        phrase=phrase,
        outcome=outcome,
        victims=victims,
        sentence=(sentence.start_char, sentence.end_char),
        event=_event_of(analysis, noun if noun is not None else token),
    )


def _part_outcome(
    text: str, sentence: Span, first: Token, last: Token, earlier: list[FigureCandidate]
) -> Outcome | None:
    """The outcome a number counts as a part of the figure before it in its sentence (or of "the dead")."""
    before = text[sentence.start_char : first.idx]
    after = text[last.idx + len(last.text) : sentence.end_char]
    if not names_a_part(before, after):
        return None
    fronted = part_of_the(before)
    if fronted is not None:
        return fronted
    if rule("figure.outcome.part-of-toll", bool(earlier)):
        return earlier[-1].outcome
    return None


def _named_after(pronoun: Token) -> Token | None:
    """ "two of them children": the noun after the pronoun that says who the part are."""
    for token in pronoun.doc[pronoun.i + 1 : min(pronoun.i + 4, pronoun.sent.end)]:
        if token.pos_ in {"NOUN", "PROPN"}:
            return token
    return None


def _others_are_things(sentence: Span, last: Token) -> bool:
    """ "9 others", "three more": the same things as the count before them in the sentence."""
    after = last.doc[last.i + 1] if last.i + 1 < len(last.doc) else None
    if after is None or after.lower_ not in _OTHERS:
        return False
    for token in reversed(sentence.doc[sentence.start : last.i]):  # the nearest count before: "a man", "14 vehicles"
        counts = (token.like_num and token.dep_ == "nummod") or (token.lower_ in _ARTICLES and token.dep_ == "det")
        if counts and token.head.pos_ in {"NOUN", "PROPN"}:
            return token.head.lemma_.lower() in NOT_PEOPLE or token.head.lower_ in NOT_PEOPLE
    return False


def _number_span(token: Token) -> tuple[Token, Token] | None:
    """The first and last token of the number word(s) starting at ``token`` ("two dozen", "1,200")."""
    if token.ent_type_ in _NOT_COUNTS and not rule("figure.number.date-read-as-count", _count_read_as_a_date(token)):
        return None
    lower = token.lower_
    if lower in _ARTICLES:
        # "a U.S. contractor" only as the determiner of a person noun, and one ("a school housing
        # displaced families" is no count of families)
        if (
            token.dep_ != "det"
            or token.head.tag_ in {"NNS", "NNPS"}
            or (token.head.lemma_.lower() not in PEOPLE_NOUNS and token.head.ent_type_ != "NORP")
        ):
            return None
        if not rule("figure.find.one-person"):
            return None
        return token, token
    is_number = (token.like_num or token.pos_ == "NUM") and _NUMBER_SHAPE.match(token.text) is not None
    if not is_number and lower not in _VAGUE:
        return None
    if token.i > 0 and (token.doc[token.i - 1].like_num or token.doc[token.i - 1].pos_ == "NUM"):
        previous = token.doc[token.i - 1]
        if previous.ent_type_ not in _NOT_COUNTS and _NUMBER_SHAPE.match(previous.text):
            return None  # inside a longer number: "two dozen" is read from "two"
    if not rule("figure.find.number" if is_number else "figure.find.vague-count"):
        return None
    if drop("figure.drop.negated", any(c.dep_ in {"det", "neg"} and c.lower_ in _NEGATORS for c in token.children)):
        return None  # "no one was hurt" counts nobody
    last = token
    doc = token.doc
    while last.i + 1 < len(doc) and (doc[last.i + 1].like_num or doc[last.i + 1].lower_ in _SCALES):
        last = doc[last.i + 1]
    return token, last


def _count_read_as_a_date(token: Token) -> bool:
    """ "killing seven people and wounding 21": a bare number the parse calls a date, though an outcome
    verb takes it as its object."""
    return (
        token.ent_type_ == "DATE"
        and token.like_num
        and token.dep_ in {"dobj", "nsubjpass"}
        and (token.i + 1 >= len(token.doc) or token.doc[token.i + 1].ent_type_ != "DATE")
        and (token.i == 0 or token.doc[token.i - 1].ent_type_ != "DATE")
        and _outcome_word(token.head) is not None
    )


def _counted_noun(number: Token, last: Token) -> Token | None:
    """What the number counts: its head noun ("51 militiamen"), "of" + noun ("25 of their men")."""
    for candidate in (number, last):
        if candidate.head.lower_ in _NOT_NOUNS:  # "some 130 more were injured": no noun says what it counts
            return None
        if candidate.dep_ in {"nummod", "det", "quantmod", "compound", "amod"} and candidate.head.pos_ in {
            "NOUN",
            "PROPN",
        }:
            head = candidate.head
            while head.dep_ == "compound" and head.head.pos_ in {"NOUN", "PROPN"}:
                head = head.head
            return head
    for child in last.children:
        if child.dep_ == "prep" and child.lower_ == "of":
            obj = next((c for c in child.children if c.dep_ == "pobj"), None)
            if obj is not None and rule("figure.victims.of-phrase"):
                return obj
    if last.head.pos_ in {"NOUN", "PROPN"} and last.dep_ not in {"pobj", "nsubj", "nsubjpass", "dobj", "conj"}:
        return last.head  # a number joined to a noun by "and" counts no part of it ("the spot and 20")
    return None


def _counted_bodies(noun: Token) -> bool:
    """ "four bodies", not "government bodies" or "the bodies of water"."""
    children = list(noun.children)
    return any(c.dep_ == "nummod" for c in children) and not any(
        c.dep_ == "compound" or (c.dep_ == "prep" and c.lower_ == "of") for c in children
    )


def _toll_at(number: Token) -> Outcome | None:
    """ "put the death toll at 15", "the toll rose to 20", "raised the injury toll to 40"."""
    toll = matched("figure.outcome.toll-at", "number", number) if number.dep_ == "pobj" else None
    if toll is None:
        return None
    injury = matched("figure.outcome.injury-toll", "toll", toll["toll"])
    return Outcome.injured if injury is not None else Outcome.killed


def _coordinated(word: Token) -> list[Token]:
    """The word and the other members of the list it stands in (conjuncts and appositions)."""
    root = word
    while root.dep_ in {"conj", "appos"} and root.head is not root:
        root = root.head
    members, stack = [], [root]
    while stack:
        member = stack.pop()
        members.append(member)
        stack.extend(c for c in member.children if c.dep_ in {"conj", "appos"})
    return sorted(members, key=lambda t: t.i)


def _governing_outcome(word: Token) -> Outcome | None:
    """The outcome word the counted word hangs on, or that hangs on it ("25 dead", "members killed")."""
    # "two other Americans and an Afghani injured", "eight women, a girl and four men injured": the
    # outcome may hang on any member of the list the word stands in
    for near in _coordinated(word):
        for child in near.children:
            describes = child.dep_ in {"amod", "acl", "relcl"}
            if describes and (outcome := _outcome_word(child)) is not None and rule("figure.outcome.describing-word"):
                return outcome
    orphan = _subjectless_verb_after(word)
    if orphan is not None and (outcome := _outcome_word(orphan)) is not None and rule("figure.outcome.verb-after"):
        return outcome
    base = word
    while base.dep_ == "conj" and base.head is not base:  # "with two Americans and an Afghani injured"
        base = base.head
    if base.dep_ == "pobj" and base.head.lower_ in _ABSOLUTE:  # "killed with two others injured"
        for later in word.doc[word.i + 1 : min(word.i + 8, word.sent.end)]:
            if (outcome := _outcome_word(later)) is not None and rule("figure.outcome.with-clause"):
                return outcome
    current = word
    for _ in range(_MAX_UP):
        if current.head is current:
            return None
        if drop("figure.drop.doer-of-the-outcome", _does_it(current)):
            return None  # "Two gunmen killed three soldiers": the two killed, the three were killed
        current = current.head
        outcome = _outcome_word(current)
        if outcome is not None and rule("figure.outcome.governing-word"):
            return outcome
        for child in current.children:  # "nine people were dead": the copula's complement
            complement = child.dep_ in {"acomp", "attr", "oprd"}
            if (
                complement
                and (outcome := _outcome_word(child)) is not None
                and rule("figure.outcome.copula-complement")
            ):
                return outcome
        if current.lemma_.lower() in LIFE_VERBS and matched("figure.outcome.lost-lives", "verb", current) is not None:
            return Outcome.killed  # "three soldiers lost their lives"
        if current.pos_ == "VERB" and current.lemma_.lower() not in _LINKING_VERBS:
            return None  # a verb of its own ("fired 30 rockets") stands between the number and any outcome
    return None


def _verbs_over(verb: Token) -> list[Token]:
    """The verb and the verbs its participle or joined clause hangs on ("opened fire on a bus, killing 3")."""
    chain = [verb]
    while chain[-1].dep_ in {"advcl", "xcomp", "conj"} and chain[-1].head is not chain[-1]:
        chain.append(chain[-1].head)
    return chain


def _does_it(word: Token) -> bool:
    """Whether ``word`` is the subject of an active verb that has an object of its own ("Two gunmen
    killed three soldiers"), not of itself ("three attackers killed themselves", "lost their lives")."""
    objects = [c for c in word.head.children if c.dep_ == "dobj"]
    # not of itself, nor of the life it lost ("two firefighters lost their lives")
    own = [o for o in objects if o.lower_ in _REFLEXIVES or o.lemma_.lower() in LIFE_NOUNS]
    return word.dep_ == "nsubj" and len(objects) > len(own)


def _subjectless_verb_after(word: Token) -> Token | None:
    """The verb just after a number the parser joined to the noun before "and", when that verb has no
    subject of its own: the number is its subject ("died on the spot and more than 20 were injured")."""
    if word.dep_ != "conj":
        return None
    for later in word.doc[word.i + 1 : min(word.i + 4, word.sent.end)]:
        if later.pos_ == "VERB":
            subjects = any(c.dep_ in {"nsubj", "nsubjpass"} for c in later.children)
            return None if subjects else later
        if later.pos_ not in {"AUX", "ADV", "PART"}:
            return None
    return None


def _with_modifiers(text: str, sentence: Span, start: int, end: int) -> tuple[int, int]:
    """Widen the number to its phrase: "at least 25", "more than 50", "30-plus", "10 or more"."""
    before = search("figure.count.modifier-before", text, sentence.start_char, start)
    if before is not None and before.end() == start:
        start = before.start()
    after = match("figure.count.modifier-after", text, end, sentence.end_char)
    if after is not None:
        end = after.end()
    return start, end


def _victims(analysis: ArticleAnalysis, noun: Token, first: Token, last: Token) -> str:
    # "Iraq and Syria" is one name; "two other Americans and an Afghani" are two figures (each counted)
    counted_conjuncts = any(
        c.dep_ == "conj" and any(g.dep_ in {"nummod", "det"} for g in c.children) for c in noun.children
    )
    tokens = [
        t
        for t in phrase_tokens(noun, with_conj=noun.pos_ == "PROPN" and not counted_conjuncts)
        if not first.i <= t.i <= last.i and t.dep_ != "det" and t.lower_ not in _OTHERS_BEFORE
    ]
    tokens = [t for t in tokens if t.i > last.i or t.i >= noun.i] or [noun]
    text = analysis.text[tokens[0].idx : tokens[-1].idx + len(tokens[-1].text)]
    text = text.removeprefix("of ").removeprefix("the ").strip()
    return "" if all(t.like_num for t in tokens) else text  # "Of the 130 injured, 77 were": no noun


def _fill_victims(analysis: ArticleAnalysis, sentence: Span, found: dict[int, FigureCandidate]) -> None:
    """A figure with no noun ("killed 25 and wounded 55 others", "killing the three") counts the people
    of another figure of its sentence, else the people named just before it."""
    in_sentence = [f for f in found.values() if sentence.start_char <= f.start < sentence.end_char]
    for index, figure in list(found.items()):
        if figure.victims or not sentence.start_char <= figure.start < sentence.end_char:
            continue
        # a part counts the people of the nearest figure before it ("killing a man and wounding eight other
        # people, three of them"); "14 others" those of the first ("seven people, including five policemen")
        part = any(r.startswith("figure.part.") for r in figure.rules)
        nearest = (
            sorted(in_sentence, key=lambda f: (f.start > figure.start, abs(figure.start - f.start)))
            if part
            else in_sentence
        )
        with collect() as trace:
            named = next(
                (
                    f.victims
                    for f in nearest
                    if f.victims
                    and not _part_of(f, figure)
                    and _may_name(f.victims, figure)
                    and rule("figure.victims.other-figure")
                ),
                "",
            )
            if not named:
                low, _ = parse_count(figure.phrase)
                named = _people_before(analysis, figure.start, plural=low is not None and low > 1)
            if named and not _may_name(named, figure):
                named = ""
        found[index] = replace(figure, victims=named, rules=(*figure.rules, *trace.ids()))


def _may_name(victims: str, figure: FigureCandidate) -> bool:
    """Whether ``victims`` (named for another figure) may be ``figure``'s: not when another outcome names
    them ("collected four bodies and carried 11 wounded people": the dead are not "wounded people", nor
    the wounded "dead"; dead hostages are hostages)."""
    other = {Outcome.killed: Outcome.injured, Outcome.injured: Outcome.killed}.get(figure.outcome)
    return not drop("figure.victims.other-outcome", other is not None and bool(outcome_pattern(other).search(victims)))


def _part_of(part: FigureCandidate, total: FigureCandidate) -> bool:
    """ "Of the 130 injured, 77 were women or children": 77 names a part of the 130, not who they are."""
    low, _ = parse_count(part.phrase)
    whole, _ = parse_count(total.phrase)
    return rule(
        "figure.victims.part-is-not-who",
        part.outcome is total.outcome and low is not None and whole is not None and low < whole,
    )


def _people_before(analysis: ArticleAnalysis, position: int, *, plural: bool) -> str:
    """The nearest people noun within the two sentences before ``position`` ("Three militants ..."); for
    a figure above one, a plural noun (25 killed are not "an American contractor" named before)."""
    index = analysis.sentence_index(position)
    lo = analysis.sentences[max(index - 2, 0)].start
    hi = analysis.token_at(position).i
    for i in range(hi - 1, lo - 1, -1):
        token = analysis.doc[i]
        if token.lemma_.lower() in PEOPLE_NOUNS and token.pos_ == "NOUN" and (token.tag_ == "NNS" or not plural):
            if rule(
                "figure.victims.not-the-teller", token.dep_ == "nsubj" and token.head.lemma_.lower() in SPEECH_VERBS
            ):
                continue  # "officials said they were treating 17 injured": who tells, not who was hurt
            figure = analysis.token_at(position)
            # the word that takes it as an object (a headline's "police arrest five" may parse "arrest" a
            # noun), else the first verb above it ("put the toll at 15")
            verb = (
                figure.head if figure.dep_ == "dobj" else next((a for a in figure.ancestors if a.pos_ == "VERB"), None)
            )
            taken = figure.dep_ in {"dobj", "pobj"} and verb is not None  # an object, not a subject
            doer = taken and token.dep_ == "nsubj" and verb is not None and token.head in _verbs_over(verb)
            if rule("figure.victims.not-the-doer", doer):
                continue  # "Gunmen kill two in Kandahar": the two were not gunmen
            among = next((c for c in token.children if c.dep_ == "prep" and c.lower_ == "among"), None)
            if rule("figure.victims.not-a-part", among is not None and analysis.token_at(position) in among.subtree):
                continue  # "Five policemen among seven martyred": the seven are more than policemen
            if not rule("figure.victims.people-before"):
                return ""
            tokens = [t for t in phrase_tokens(token) if not t.like_num and t.dep_ != "det"]
            return analysis.text[tokens[0].idx : tokens[-1].idx + len(tokens[-1].text)] if tokens else token.text
    return ""


def _event_of(analysis: ArticleAnalysis, word: Token) -> str | None:
    """The attack the figure belongs to, when the sentence ties them: "killed by the US attack"."""
    for ancestor in [word, *word.ancestors][: _MAX_UP + 1]:
        for child in ancestor.children:
            if child.dep_ in {"agent", "prep"} and child.lower_ in _EVENT_PREPOSITIONS:
                obj = next((c for c in child.children if c.dep_ == "pobj"), None)
                if obj is not None and obj.lemma_.lower() in EVENT_TRIGGERS and rule("figure.event.attack-phrase"):
                    tokens = [t for t in phrase_tokens(obj) if t.dep_ != "det"]
                    return analysis.text[tokens[0].idx : tokens[-1].idx + len(tokens[-1].text)]
    return None
