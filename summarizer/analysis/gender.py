"""Who of an article's people it tells as a man and who as a woman, from its own words only.

A pronoun ("he", "her") goes only to a person it agrees with (``Attributor.resolve``). No list of first
names is used: a name says nothing here that the article does not. The article tells a person's gender
by an honorific before the name ("Mrs. Ramírez"), a gendered noun in the words that name them ("the
spokeswoman Jane Doe", "his wife, Ana Ruiz"), or a pronoun that the person, as the subject of a verb,
governs ("Ramírez, who carries a constitution in her purse, is ...", "Maduro defends the assembly,
saying it will fortify what he hails"). A person told both ways is told neither way.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from functools import cached_property
from typing import TYPE_CHECKING, Literal

from summarizer.analysis.lexicon import SPEECH_VERBS, words
from summarizer.rules.engine import rule

if TYPE_CHECKING:
    from spacy.tokens import Token

    from summarizer.analysis.document import ArticleAnalysis
    from summarizer.analysis.phrases import Mention

Gender = Literal["masculine", "feminine"]

_PRONOUNS: dict[str, Gender] = {
    **dict.fromkeys(words("masculine-pronoun"), "masculine"),
    **dict.fromkeys(words("feminine-pronoun"), "feminine"),
}
_WORDS: dict[str, Gender] = {
    **dict.fromkeys(words("masculine-word"), "masculine"),
    **dict.fromkeys(words("feminine-word"), "feminine"),
}
_SUBJECTS = frozenset({"nsubj", "nsubjpass"})


def pronoun_gender(word: str) -> Gender | None:
    """The gender a person pronoun speaks of ("his" -> masculine); None for any other word."""
    return _PRONOUNS.get(word.lower().strip(".,"))


def name_key(mention: Mention) -> str:
    """A person's name as one key: "nicolás maduro" for "President Nicolás Maduro"."""
    return " ".join(mention.name.casefold().removesuffix("'s").removesuffix("’s").split())


class Genders:
    """The gender the article tells of each of its people, by full name. A bare surname ("Maduro") is the
    one person of that surname; when two share it (a mother and her son), it is told neither way."""

    def __init__(self, analysis: ArticleAnalysis):
        self.analysis = analysis

    def of(self, mention: Mention) -> Gender | None:
        key = name_key(mention)
        bearers = [full for full in self._told if full.endswith(" " + key)] if " " not in key else []
        if len(bearers) > 1:
            return None  # "Anderson" where the article names Zoe Anderson and Chris Anderson
        if bearers:
            full, bare = self._told[bearers[0]], self._told.get(key)
            return bare if full is None else full if bare in (None, full) else None
        return self._told.get(key)

    def agrees(self, mention: Mention, pronoun: str) -> bool:
        """Whether ``pronoun`` can stand for ``mention``: a person the article tells the other way cannot."""
        wanted = pronoun_gender(pronoun)
        if wanted is None:
            return True
        # someone named, by what the article tells of them; anyone else by their noun ("his wife")
        told = self.of(mention) if mention.is_person else _WORDS.get(mention.head.lower())
        return told is None or told == wanted

    @cached_property
    def _told(self) -> dict[str, Gender | None]:
        """Every person named, with the gender told (None: untold, or told both ways); read on first use."""
        votes: dict[str, Counter[Gender]] = defaultdict(Counter)
        for token in self.analysis.doc:
            if token.ent_type_ != "PERSON" or token.ent_iob_ != "B":
                continue
            head = _phrase_head(token)
            mention = self.analysis.mention(head)
            if not mention.is_person or mention.pronoun:
                continue
            counted = votes[name_key(mention)]  # every person named has an entry, told or not
            named = _named_gender(mention) or _apposed_gender(head)
            if rule("gender.named", named is not None):
                assert named is not None
                counted[named] += 2
            governed = _governed_pronoun(head)
            if rule("gender.governed-pronoun", governed is not None):
                assert governed is not None
                counted[governed] += 1
        return {key: next(iter(counted)) if len(counted) == 1 else None for key, counted in votes.items()}


def _named_gender(mention: Mention) -> Gender | None:
    """The gender the words naming the person say: an honorific or a gendered noun in its title."""
    return _told_by((mention.title or "").lower().replace(".", " ").split())


def _apposed_gender(head: Token) -> Gender | None:
    """The gender of the noun a name stands in apposition with: "his wife, Tamar Gelashvili", "Ali Omar,
    her brother"."""
    apposed = [head.head] if head.dep_ == "appos" else []
    apposed += [c for c in head.children if c.dep_ == "appos"]
    return _told_by(t.lower_ for t in apposed)


def _told_by(words: Iterable[str]) -> Gender | None:
    """The one gender the gendered ones of ``words`` tell; None when they tell none, or both."""
    found = {_WORDS[w] for w in words if w in _WORDS}
    return found.pop() if len(found) == 1 else None


def _reported(token: Token, verb: Token) -> bool:
    """Whether ``token`` is in the words a speech verb reports, between it and ``verb``."""
    while token.i != verb.i and token.head is not token:
        if token.dep_ == "ccomp" and token.head.lemma_.lower() in SPEECH_VERBS:
            return True
        token = token.head
    return False


def _phrase_head(token: Token) -> Token:
    """The head of the name's phrase ("Maduro" in "President Nicolás Maduro")."""
    while token.dep_ == "compound" and token.head is not token:
        token = token.head
    return token


def _governed_pronoun(head: Token) -> Gender | None:
    """The gender of the person pronouns in the words of the verb whose subject ``head`` is, when they all
    agree and nothing else is named between, but as an owner: "Yanelis Banco said her boss called her",
    "Ramírez, who carries Chávez's constitution in her purse, is ..."; not "Judge Ana Ruiz ordered Matanov
    held, after his attorney noted ..." (Matanov stands between)."""
    if head.dep_ not in _SUBJECTS or head.head is head:
        return None
    verb = head.head
    found: set[Gender] = set()
    name = {t.i for t in head.subtree if t.ent_type_ == "PERSON" and t.i <= head.i}
    for token in verb.subtree:
        if token.i <= head.i:
            continue
        if _reported(token, verb):
            continue  # "the chief said officers searched his mother's home": whose, the words do not say
        named = token.pos_ == "PROPN" or token.ent_type_ == "PERSON"  # the parser reads some names as places
        if named and token.i not in name and _phrase_head(token).dep_ != "poss":
            break  # someone else named there could be whom the pronouns after stand for
        gender = pronoun_gender(token.lower_) if token.pos_ == "PRON" else None
        if gender is not None:
            found.add(gender)
    return found.pop() if len(found) == 1 else None
