"""Noun phrases from the parse: the words of a mention, and its name and title.

"State Department spokesperson Morgan Ortagus" is one mention whose name is "Morgan Ortagus" and
whose title is "State Department spokesperson"; "the Pentagon" is the mention "Pentagon", a name
with no title; "He" is a pronoun that someone else's name must stand for.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from summarizer.analysis.lexicon import ROLE_NOUNS, TITLE_WORDS, country_as_person, words
from summarizer.rules.engine import rule
from summarizer.textfold import words as folded_words

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

# Dependents that belong to a noun phrase; prepositional phrases join only as "of" after a role or group.
_PHRASE_DEPS = frozenset({"compound", "amod", "det", "poss", "nummod", "quantmod", "nmod", "case", "flat", "npadvmod"})
_WITH_CONJ = frozenset({"cc", "conj"})
_LEADING_DROP = words("leading-determiner")
_PRONOUNS = words("pronoun-word")
_OF_HEADS = ROLE_NOUNS | words("of-head-noun")
_OF_TO = words("title-preposition")
_ENTITY_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP", "FAC", "LOC"})


def bare_words(text: str) -> tuple[str, ...]:
    """A mention's folded words without its leading determiners: "the United States" and "United States"
    are the same words, as the parse's entities and the project's trimmed mentions give them."""
    found = folded_words(text)
    start = 0
    while start < len(found) - 1 and found[start] in _LEADING_DROP:
        start += 1
    return found[start:]


@dataclass(frozen=True)
class Mention:
    """A noun phrase that names (or stands for) an actor; offsets into the analysed text."""

    start: int
    end: int
    text: str  # as written, without a leading article ("Pentagon" for "The Pentagon")
    name: str  # the proper name if there is one, else ``text``
    title: str | None  # the words before the name that say its role
    label: str | None  # the spaCy entity label of the name, if any (PERSON, ORG, GPE, NORP, ...)
    head: str  # lemma of the phrase's head word, lower case
    pronoun: bool
    plural: bool = False

    @property
    def is_person(self) -> bool:
        if self.label == "PERSON":
            return not country_as_person(self.name)  # "Burkina Faso", read as a person's name
        return self.title is not None and self.name != self.text

    @property
    def is_role(self) -> bool:
        """A person named by office only ("the spokeswoman"), whom a name elsewhere must stand for."""
        if self.label == "PERSON" or self.head not in ROLE_NOUNS or self.plural:
            return False
        before_of = self.text.split(" of ")[0].split(" to ")[0]
        return not any(w[:1].isupper() for w in before_of.split()[1:])


def phrase_tokens(token: Token, *, with_conj: bool = False) -> list[Token]:
    """The tokens of the noun phrase headed by ``token``, in order and contiguous."""
    keep = {token.i}
    stack = [token]
    while stack:
        current = stack.pop()
        for child in current.children:
            dep = child.dep_
            take = dep in _PHRASE_DEPS or (with_conj and dep in _WITH_CONJ)
            if dep == "prep" and child.lower_ in _OF_TO and current.lemma_.lower() in _OF_HEADS:
                take = child.lower_ == "of" or current.lemma_.lower() in ROLE_NOUNS  # "Ambassador to X"
            if dep == "pobj" and current.dep_ == "prep" and current.i in keep:
                take = True
            if dep == "punct" and child.text in {"-", "'", "’", "'s"}:
                take = True
            if take and postposed_clause(child, current):
                take = False  # "places certain to be thronged with people": the places
            if take:
                keep.add(child.i)
                stack.append(child)
    doc = token.doc
    lo = hi = token.i
    while lo - 1 in keep:
        lo -= 1
    while hi + 1 in keep:
        hi += 1
    if lo >= 1 and doc[lo].text == "-" and not doc[lo - 1].whitespace_:  # "far-right": the whole word
        lo -= 1
    while lo >= 2 and doc[lo - 1].text == "-" and not doc[lo - 2].whitespace_:
        lo -= 2
    if token.ent_type_:  # the whole name: "Syrian Observatory for Human Rights", "Kata'ib Hezbollah"
        for ent in doc.ents:
            if ent.start <= token.i < ent.end:
                lo, hi = min(lo, ent.start), max(hi, ent.end - 1)
                break
    tokens = [doc[i] for i in range(lo, hi + 1)]
    while tokens and (tokens[0].lower_ in _LEADING_DROP or tokens[0].is_punct) and len(tokens) > 1:
        tokens = tokens[1:]
    while tokens and (tokens[-1].is_punct or tokens[-1].lower_ in {"'s", "'"}) and len(tokens) > 1:
        tokens = tokens[:-1]
    return tokens


def mention_of(token: Token, *, with_conj: bool = False) -> Mention:
    """The mention whose head is ``token``."""
    tokens = phrase_tokens(token, with_conj=with_conj)
    doc = token.doc
    start, end = tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)
    text = doc.text[start:end]
    name, title, label = _name_and_title(doc, tokens)
    return Mention(
        start=start,
        end=end,
        text=text,
        name=name,
        title=title,
        label=label,
        head=token.lemma_.lower(),
        pronoun=token.pos_ == "PRON" or token.lower_ in _PRONOUNS,
        plural=token.tag_ in {"NNS", "NNPS"},
    )


def postposed_clause(child: Token, head: Token) -> bool:
    """An adjective after its noun with a clause of its own says something of the noun, outside its
    phrase ("places certain to be thronged", "men ready to fight"); not "the president elect"."""
    opens = child.dep_ == "amod" and child.i > head.i and any(c.dep_ in {"xcomp", "ccomp"} for c in child.children)
    return rule("mention.postposed-adjective", opens)


def _name_and_title(doc: Doc, tokens: list[Token]) -> tuple[str, str | None, str | None]:
    start, end = tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)
    text = doc.text[start:end]
    indices = {t.i for t in tokens}
    head = max(tokens, key=lambda t: t.i)
    for ent in doc.ents:
        if ent.label_ == "PERSON" and ent.start in indices and ent.end - 1 in indices:
            owner = any(t.dep_ in {"case", "poss"} for t in doc[ent.start : min(ent.end + 1, head.i)])
            if rule("mention.name-modifies-noun", ent.end <= head.i and head.pos_ == "NOUN" and not owner):
                break  # "Riot police", "Thit Seint Gyi village": the noun says what it is; not "Meadows' retirement"
            return _person(doc, tokens, ent.start, ent.end, text)
    # A role noun followed by capitalised words: "spokesperson Morgan Ortagus", "Speaker al-Halbousi".
    for position in range(len(tokens) - 1, -1, -1):
        token = tokens[position]
        if token.lemma_.lower() in ROLE_NOUNS or token.lower_ in ROLE_NOUNS:
            rest = tokens[position + 1 :]
            named = rest and all(t.pos_ == "PROPN" or t.text in {"-", "."} for t in rest) and rest[0].text[:1].isupper()
            if rule("mention.role-before-name", bool(named)):
                return _person(doc, tokens, rest[0].i, rest[-1].i + 1, text)
            break
    label = _label_of(doc, tokens)
    return text, None, label


def _person(doc: Doc, tokens: list[Token], lo: int, hi: int, text: str) -> tuple[str, str | None, str | None]:
    # Title words glued to the front of the name ("State Mike Pompeo") go to the title.
    while hi - lo > 2 and doc[lo].lower_.strip(".") in TITLE_WORDS:
        lo += 1
    name = doc.text[doc[lo].idx : doc[hi - 1].idx + len(doc[hi - 1].text)]
    before = doc.text[tokens[0].idx : doc[lo].idx].strip(" ,")
    return name, before or None, "PERSON"


def _label_of(doc: Doc, tokens: list[Token]) -> str | None:
    head = max(tokens, key=lambda t: t.i)  # the rightmost word of a noun phrase is its head
    for ent in doc.ents:
        if ent.start <= head.i < ent.end and ent.label_ in _ENTITY_LABELS:
            return str(ent.label_)
    return None
