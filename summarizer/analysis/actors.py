"""Actors: one per referent, with the names the article uses for it.

Candidates come from speakers, action participants, victims and the named entities of the parse;
they merge when one is another's alias: a surname ("Pompeo" of "Mike Pompeo"), an acronym given
in parentheses ("Kata'ib Hezbollah (KH)"), the same words up to case and punctuation, or a common
short form of a state ("U.S." of "United States"). Every step is a rule of ``rules/actors.yaml``, and
each actor keeps the ids of the rules that found, named and merged it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from summarizer.analysis.document import ArticleAnalysis
from summarizer.analysis.lexicon import (
    PEOPLE_NOUNS,
    ROLE_NOUNS,
    SPEECH_VERBS,
    STATEMENT_NOUNS,
    WEAPON_NOUNS,
    alternative,
    names_a_place,
    table,
    values,
    words,
)
from summarizer.extraction import ActorKind
from summarizer.normalize import is_dateline
from summarizer.rules.engine import collect, match, rule
from summarizer.textfold import fold_words, name_key

# "Kata'ib Hezbollah (KH)": capitalised words (with the particles of names) and an acronym in parentheses.
_ACRONYM = re.compile(
    rf"([A-Z][\w'’.-]*(?:\s+(?:{alternative('name-particle')}|[A-Z][\w'’.-]*)){{0,7}})"
    r"\s+\(([A-Z][A-Za-z-]{1,9})\)"
)
# Short forms everyone writes for a few states and bodies (the only world knowledge kept here).
_SHORT_FORMS: dict[str, tuple[str, ...]] = table("state-short-forms")
_KIND_WORDS: list[tuple[ActorKind, frozenset[str]]] = [
    (kind, frozenset(c.words)) for kind, c in values("actor-kind", ActorKind)
]
_CRAFT_NOUNS = words("craft-noun")
_GROUP_NOUNS = words("group-noun")
_OF_PLACE = frozenset({"in", "of"})
_TELL_VERBS = words("tell-verb")
_CHANNEL_PREPOSITIONS = words("channel-preposition")
_ARTICLE_PREFIXES = ("the ", "The ", "a ", "an ")


@dataclass
class ActorRecord:
    name: str
    kind: ActorKind
    title: str | None = None
    aliases: list[str] = field(default_factory=list)
    evidence: tuple[int, int] | None = None  # where it is first named (a sentence)
    weight: int = 0  # how much it does in the article: speaks, acts, is hurt
    mentions: int = 0  # how often the article names it: breaks ties between actors that do as much
    rules: list[str] = field(default_factory=list, compare=False)

    def names(self) -> list[str]:
        return [self.name, *self.aliases]


class ActorBook:
    """Collects actor names as the finders meet them, merging the names of one referent."""

    def __init__(self, analysis: ArticleAnalysis, *, skip: list[tuple[int, int]] | None = None):
        """``skip``: spans whose named entities are no actors (passages that address the summarizer)."""
        self.analysis = analysis
        self.records: list[ActorRecord] = []
        self._acronyms = _acronyms(analysis.text)
        self._skip = skip or []

    def add(
        self,
        name: str,
        *,
        label: str | None = None,
        title: str | None = None,
        at: int | None = None,
        weight: int = 1,
        because: str | None = None,
    ) -> ActorRecord | None:
        """Add a name found by the rule ``because`` (and the rules of the current trace)."""
        with collect() as trace:
            if because is not None and not rule(because):
                return None
            record = self._add(name, label=label, title=title, at=at, weight=weight)
        if record is not None:
            record.rules.extend(r for r in trace.ids() if r not in record.rules)
        return record

    def _add(
        self, name: str, *, label: str | None, title: str | None, at: int | None, weight: int
    ) -> ActorRecord | None:
        name = _uncounted(_clean(name))
        if not name or not any(ch.isalpha() for ch in name):
            return None
        record = self.find(name)
        if record is None:
            record = ActorRecord(name=name, kind=_kind(name, label, title), title=title)
            self.records.append(record)
        else:
            if name != record.name and name not in record.aliases:
                if rule("actor.name.fuller-name", _better_name(name, record.name)):
                    record.aliases.append(record.name)
                    record.name = name
                else:
                    record.aliases.append(name)
            if record.kind is ActorKind.other:  # a later mention may say what it is (a person's name)
                record.kind = _kind(record.name, label, title)
        if title and not record.title:
            record.title = title
        if at is not None and record.evidence is None:
            sentence = self.analysis.sentence_at(at)
            record.evidence = (sentence.start_char, sentence.end_char)
        record.weight += weight
        record.mentions += 1
        return record

    def find(self, name: str) -> ActorRecord | None:
        # "Audu said" where the article names Mary Audu and John Audu: the surname names neither
        shared = self.analysis.shared_surnames
        if rule("actor.merge.shared-surname", name_key(name) in shared):
            return None
        for record in self.records:
            names = [known for known in record.names() if name_key(known) not in shared]
            if any(same_referent(name, known, self._acronyms) for known in names):
                return record
        return None

    def canonical(self, name: str) -> str:
        """The actor name a finder's name stands for (itself when unknown, or when it counts: the
        target "three young men" keeps its count, though the actor is "young men")."""
        cleaned = _clean(name)
        record = self.find(cleaned) if _uncounted(cleaned) == cleaned else None
        return record.name if record is not None else cleaned

    def add_entities(self) -> None:
        """Named people and organisations that the parse finds as subjects or objects of a clause."""
        for mention in self.analysis.mentions:
            if any(s <= mention.start < e for s, e in self._skip):
                continue
            if mention.label not in {"PERSON", "ORG"} or mention.pronoun:
                continue
            if rule("actor.drop.place-name", names_a_place(mention.name)):
                continue
            if rule("actor.drop.channel", self._channel(mention.end)) or rule(
                "actor.drop.dateline", self._in_dateline(mention.start)
            ):
                continue
            self.add(
                mention.name,
                label=mention.label,
                title=mention.title,
                at=mention.start,
                weight=0,
                because="actor.find.named-entity",
            )

    def _in_dateline(self, position: int) -> bool:
        """ "KABUL, Dec 3 (Xinhua) --": where and by whom the story was filed, no part in it."""
        start, end = self.analysis.paragraph_bounds(position)
        return is_dateline(self.analysis.text[start:end])

    def _channel(self, end: int) -> bool:
        """Where words were said, not who took part: "told AFP", "told the BBC", "said on Twitter"."""
        token = self.analysis.token_at(max(end - 1, 0))
        head = token.head
        if token.dep_ in {"dobj", "dative"} and head.lemma_.lower() in _TELL_VERBS:
            return True
        said = head.head.lemma_.lower()  # "said on Twitter", "in a statement on Telegram"
        return token.dep_ == "pobj" and head.lower_ in _CHANNEL_PREPOSITIONS and said in SPEECH_VERBS | STATEMENT_NOUNS

    def ranked(self, limit: int, *, first: Sequence[Iterable[str]] = ()) -> list[ActorRecord]:
        """At most ``limit`` records, in the order the article names them. Those named in the tiers of
        ``first`` (the doers of the actions kept, then the speakers of the statements kept) go before the
        rest, tier by tier; within a tier, those that do most."""
        with_acronyms = [self._with_acronym(r) for r in self.records]
        tier: dict[int, int] = {}
        for rank, names in enumerate(first):
            for record in map(self.find, {_uncounted(_clean(n)) for n in names}):
                if record is not None:
                    tier.setdefault(id(record), rank)
        chosen = sorted(with_acronyms, key=lambda r: (tier.get(id(r), len(first)), -r.weight, -r.mentions))[:limit]
        return [r for r in with_acronyms if r in chosen]

    def _with_acronym(self, record: ActorRecord) -> ActorRecord:
        for long, short in self._acronyms.items():
            named = any(name_key(n) == long for n in record.names()) and short not in record.names()
            if rule("actor.alias.acronym", named):
                record.aliases.append(short)
                if "actor.alias.acronym" not in record.rules:
                    record.rules.append("actor.alias.acronym")
        return record


def actor_like(name: str) -> bool:
    """Whether a participant's words can name an actor: a proper name, or people or a body by their
    head word ("Iraqi demonstrators", "coalition forces"); not "ability", "headquarters", "three shelters"."""
    folded = fold_words(name).split()
    if not folded or names_a_place(name):
        return False
    if any(w[:1].isupper() for w in name.split()):
        return True
    vocabulary = (PEOPLE_NOUNS | ROLE_NOUNS).union(*(v for _, v in _KIND_WORDS))  # "a federal judge" too
    return bool(_head_forms(folded) & vocabulary) or folded[-1].endswith("men")


def _head_forms(folded: list[str]) -> set[str]:
    """A phrase's head word as written and without a plural s ("forces" -> {"forces", "force"})."""
    head = folded[-1]
    return {head, head[:-1] if head.endswith("s") else head}


def _initials_of(short: str, long: str) -> bool:
    """Whether ``short``, one word in capitals, spells the initials of ``long``'s capitalised words
    ("IS" of "Islamic State"; "of", "the" and "for" leave no letter)."""
    short = short.removeprefix("the ").strip()
    if " " in short or not (2 <= len(short) <= 6) or not short.isalpha() or not short.isupper():
        return False
    return len(long.split()) >= 2 and _capitals(long.split()) == short


def _capitals(words: list[str]) -> str:
    """The initials of the capitalised ones of ``words`` ("Islamic State" -> "IS")."""
    return "".join(w[0] for w in words if w[:1].isupper())


def _acronyms(text: str) -> dict[str, str]:
    """ "Kata'ib Hezbollah (KH)" -> {"kataib hezbollah": "KH"} (the long form under its ``name_key``, and the
    acronym)."""
    found: dict[str, str] = {}
    for found_match in _ACRONYM.finditer(text):
        long, short = found_match.group(1), found_match.group(2)
        parts = long.split()
        initials = _capitals(parts)
        # The long form is the last words of the match whose initials spell the acronym.
        for start in range(len(parts)):
            tail = parts[start:]
            letters = _capitals(tail)
            if letters and (letters == short.upper() or short.upper().startswith(letters[:2])):
                found[name_key(" ".join(tail))] = short
                break
        else:
            if initials:
                found[name_key(long)] = short
    return found


def same_referent(a: str, b: str, acronyms: dict[str, str] | None = None) -> bool:
    """Whether two spellings name the same actor: equal words, an acronym given in the article, a
    short form of a state, a surname, or one name ending with the other."""
    acronyms = acronyms or {}
    fa, fb = name_key(a), name_key(b)
    if not fa or not fb:
        return False
    if rule("actor.merge.same-words", fa == fb):
        return True
    for long, short in acronyms.items():
        fshort = name_key(short)
        if rule(
            "actor.merge.acronym",
            {fa, fb} == {long, fshort} or (fa == fshort and long in fb) or (fb == fshort and long in fa),
        ):
            return True
    for full, shorts in _SHORT_FORMS.items():
        forms = {full, *(name_key(s) for s in shorts)}
        if rule("actor.merge.short-form", fa in forms and fb in forms):
            return True
    if rule("actor.merge.initials", _initials_of(a, b) or _initials_of(b, a)):
        return True
    wa, wb = fa.split(), fb.split()
    # A surname alone ("Pompeo") or a name with its title ("Secretary of State Mike Pompeo").
    if rule(
        "actor.merge.surname",
        (len(wa) == 1 and len(wb) >= 2 and wa[0] == wb[-1] and a[:1].isupper() and b.split()[-1][:1].isupper())
        or (len(wb) == 1 and len(wa) >= 2 and wb[0] == wa[-1] and b[:1].isupper() and a.split()[-1][:1].isupper()),
    ):
        return True
    if rule(
        "actor.merge.ends-with",
        len(wa) >= 2 and len(wb) >= 2 and (_ends_with(wa, wb) or _ends_with(wb, wa)) and a[-1:].isupper() is False,
    ):
        return True
    core_a, core_b = _body_core(a), _body_core(b)
    same = False
    if core_a is not None and core_b is not None:
        # where both say the place they are in, it is one place ("Democratic Republic of Congo" is not "of Korea")
        same = core_a[0] == core_b[0] and (not core_a[1] or not core_b[1] or core_a[1] == core_b[1])
    return rule("actor.merge.same-core", same)


def _body_core(name: str) -> tuple[list[str], str] | None:
    """A body's own name without the words any body has, and the place it is in: ("islamic resistance",
    "") of "Islamic resistance militia group", ("islamic resistance", "iraq") of "Islamic Resistance in
    Iraq"; None unless two words or more of a capitalised name are left."""
    words_ = name.split()
    if words_ and words_[0].lower() == "the":
        words_ = words_[1:]
    if not words_ or not words_[0][:1].isupper():
        return None
    cut = next((i for i, w in enumerate(words_) if w.lower() in _OF_PLACE), len(words_))
    if cut < len(words_) and not all(w[:1].isupper() for w in words_[cut + 1 :]):
        return None  # "Minister of defence": no place after "of"
    core = [w for w in fold_words(" ".join(words_[:cut])).split() if w not in _GROUP_NOUNS]
    return (core, fold_words(" ".join(words_[cut + 1 :]))) if len(core) >= 2 else None


def _ends_with(longer: list[str], shorter: list[str]) -> bool:
    return len(longer) > len(shorter) and longer[-len(shorter) :] == shorter and shorter[0][:1].isalpha()


def _better_name(candidate: str, current: str) -> bool:
    """A fuller proper name is the better main name ("Mike Pompeo" over "Pompeo"; not a long phrase)."""
    candidate_words, current_words = candidate.split(), current.split()
    if not candidate[:1].isupper():
        return False
    if _capitalised(candidate) and not _capitalised(current) and len(candidate_words) <= 5:
        return True  # "Islamic Resistance of Iraq" over "Islamic resistance militia group"
    return len(current_words) < len(candidate_words) <= 4 and not current.isupper()


def _capitalised(name: str) -> bool:
    """A proper name's form: every word but the short joining ones capitalised."""
    return all(w[:1].isupper() for w in name.split() if len(w) > 3 or w[:1].isupper())


# A wiki citation mark glued to a name ("Louis M. Bonocasa[902]"): the text keeps it, the name does not.
_CITATION = re.compile(r"\[\d{1,4}\]?$")


def _clean(name: str) -> str:
    name = _CITATION.sub("", " ".join(name.split())).strip(" ,;:“”\"'")
    while name.endswith(".") and not (len(name) >= 2 and name[-2].isupper()):  # keep "U.S."
        name = name[:-1]
    for article in _ARTICLE_PREFIXES:
        name = name.removeprefix(article)
    if name.count("(") > name.count(")"):  # "Bolivarian National Armed Forces (FANB": the name before
        name = name[: name.rindex("(")].rstrip()
    return name.removesuffix("'s").removesuffix("’s")


def _uncounted(name: str) -> str:
    """ "six civilians", "more than 30 villagers", "One protester": the group, not the count (the
    count is a casualty figure's). A name after a number ("Four Seasons") stays as written."""
    counted = match("actor.name.uncounted", name)
    return name[counted.end() :] if counted is not None else name


def _kind(name: str, label: str | None, title: str | None) -> ActorKind:
    if rule("actor.kind.person", label == "PERSON" or bool(title)):
        return ActorKind.person
    folded = set(fold_words(name).split())
    for kind, vocabulary in _KIND_WORDS:
        if rule("actor.kind.head-word", bool(folded & vocabulary)):
            return kind
    if rule(
        "actor.kind.state",
        label == "GPE" or any(fold_words(name) in {full, *map(fold_words, s)} for full, s in _SHORT_FORMS.items()),
    ):
        return ActorKind.state
    return ActorKind.other


def instrument_like(name: str) -> bool:
    """Whether a participant's words name a weapon or craft by their head word ("two missiles",
    "roadside bomb", "army drone"): the subject of a strike whose attacker goes unnamed."""
    folded = fold_words(name).split()
    return bool(folded) and bool(_head_forms(folded) & (WEAPON_NOUNS | _CRAFT_NOUNS))
