"""``ArticleAnalysis``: one parse of one article, and the lookups every finder needs."""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import TYPE_CHECKING

from summarizer.analysis.lexicon import ROLE_NOUNS, names_a_country, words
from summarizer.analysis.nlp import PLACE_LABELS, TIME_LABELS, parse
from summarizer.analysis.phrases import Mention, mention_of
from summarizer.analysis.quotes import Quote, find_quotes
from summarizer.normalize import article_dateline, furniture_spans
from summarizer.rules.engine import rule
from summarizer.textfold import name_key

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

_MENTION_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP"})
_NOUN_DEPS = frozenset({"nsubj", "nsubjpass", "dobj", "pobj", "appos", "conj", "attr", "ROOT", "agent"})
_TITLE_LINKS = words("title-link-word")
_REFLEXIVE = words("reflexive-pronoun")
_KNOWN_AS = words("known-as-verb")
_CALL_VERBS = words("call-verb")
_PLACE_HEADS = words("place-noun") | words("settlement-noun") | words("site-noun") | words("occasion-noun")
_PLACE_PREPOSITIONS = words("location-preposition")
_WHERE_ONLY = words("where-only-preposition")
_TOWN_WORDS = words("settlement-kind") | words("settlement-noun") | words("land-noun")


@dataclass
class ArticleAnalysis:
    """The parse of a normalized article, its quoted spans and its mentions of actors.

    ``of`` blanks the article's page furniture first (``normalize.furniture_spans``: bylines, photo credits
    and captions, link lines, editor's notes): every character of it but the line breaks becomes a space,
    so no finder takes an actor, a speaker or an action from it, and every offset stays an offset of the
    article (``furniture`` keeps the spans blanked)."""

    text: str
    doc: Doc = field(repr=False)
    furniture: tuple[tuple[int, int], ...] = ()

    @classmethod
    def of(cls, text: str) -> ArticleAnalysis:
        spans = tuple(furniture_spans(text))
        blanked = _blanked(text, spans)
        if not blanked.strip():  # nothing but furniture: read it as it is, there is nothing else
            blanked, spans = text, ()
        return cls(text=blanked, doc=_places_read_as_people(parse(blanked)), furniture=spans)

    @cached_property
    def quotes(self) -> list[Quote]:
        return find_quotes(self.text)

    @cached_property
    def sentences(self) -> list[Span]:
        return list(self.doc.sents)

    @cached_property
    def _sentence_starts(self) -> list[int]:
        return [s.start_char for s in self.sentences]

    def sentence_at(self, position: int) -> Span:
        """The sentence holding character ``position``."""
        index = max(bisect_right(self._sentence_starts, position) - 1, 0)
        return self.sentences[index]

    def sentence_index(self, position: int) -> int:
        return max(bisect_right(self._sentence_starts, position) - 1, 0)

    def paragraph_bounds(self, position: int) -> tuple[int, int]:
        """The line (paragraph) holding ``position``: normalized text breaks paragraphs with newlines."""
        start = self.text.rfind("\n", 0, position) + 1
        end = self.text.find("\n", position)
        return start, len(self.text) if end < 0 else end

    @cached_property
    def _token_starts(self) -> list[int]:
        return [t.idx for t in self.doc]

    def token_at(self, position: int) -> Token:
        """The token holding (or starting nearest before) character ``position``."""
        return self.doc[max(bisect_right(self._token_starts, position) - 1, 0)]

    def quote_at(self, position: int) -> Quote | None:
        return next((q for q in self.quotes if q.contains(position)), None)

    def in_quote(self, token: Token) -> bool:
        return self.quote_at(token.idx) is not None

    @cached_property
    def mentions(self) -> list[Mention]:
        """Every noun phrase that names a person, group, body or state, in text order (for resolving)."""
        found: dict[tuple[int, int], Mention] = {}
        for token in self.doc:
            if token.pos_ not in {"PROPN", "NOUN"} or token.dep_ not in _NOUN_DEPS:
                continue
            mention = self.mention(token)
            if mention.label in _MENTION_LABELS or mention.is_person or mention.is_role:
                found.setdefault((mention.start, mention.end), mention)
        return sorted(found.values(), key=lambda m: (m.start, -m.end))

    def mention(self, token: Token) -> Mention:
        """The mention headed by ``token``; an apposition naming a person gives the name
        ("The commander of US forces, General Frank MacKenzie" is Frank MacKenzie, commander), and an
        office in apposition to a name is that person's title ("Farhan Haq, Deputy Spokesman for the
        Secretary-General")."""
        mention = mention_of(token)
        if mention.label == "PERSON" and mention.title is None:
            office = next((c for c in token.children if c.dep_ == "appos" and c.lemma_.lower() in ROLE_NOUNS), None)
            if rule("mention.office-in-apposition", office is not None):
                assert office is not None
                return replace(mention, title=mention_of(office).text)
        if mention.label == "PERSON" or mention.pronoun:
            return mention
        named_as = _name_it_goes_by(token)
        if rule("mention.name-it-goes-by", named_as is not None):  # a group, whatever the parse labels its name
            assert named_as is not None
            return replace(mention_of(named_as), label="ORG")
        if mention.is_role and mention.end == token.idx + len(token.text):
            named = self._name_after(token)
            if rule("mention.name-after-role", named is not None):
                assert named is not None
                return named
        for child in token.children:
            if child.dep_ == "appos":
                named = mention_of(child)
                if rule("mention.person-in-apposition", named.label == "PERSON"):
                    title = ", ".join(t for t in (named.title, mention.text) if t)
                    return Mention(
                        start=mention.start,
                        end=named.end,
                        text=self.text[mention.start : named.end],
                        name=named.name,
                        title=title or None,
                        label="PERSON",
                        head=named.head,
                        pronoun=False,
                    )
        return mention

    def _name_after(self, token: Token) -> Mention | None:
        """ "Assistant to the US Secretary of Defense Jonathan Hoffman": the person a role word leads to
        through a title (the parse often hangs the "to"/"of" phrase elsewhere)."""
        doc = token.doc
        for i in range(token.i + 1, min(token.i + 10, len(doc))):
            nxt = doc[i]
            if nxt.ent_type_ == "PERSON":
                ent = next(e for e in doc.ents if e.start <= i < e.end)
                start = token.idx
                end = ent.end_char
                title = self.text[start : ent.start_char].strip(" ,")
                return Mention(
                    start, end, self.text[start:end], ent.text, title or None, "PERSON", token.lemma_.lower(), False
                )
            if not (nxt.pos_ in {"PROPN", "DET"} or nxt.lower_ in _TITLE_LINKS):
                return None
        return None

    def handle_owner(self, handle: str) -> str:
        """The person a social-media handle names ("SecPompeo" -> "Mike Pompeo"), else "@handle"."""
        folded = handle.casefold()
        for mention in self.mentions:
            surname = mention.name.split()[-1].casefold() if mention.label == "PERSON" else ""
            if len(surname) >= 4 and surname in folded:
                return mention.name
        return "@" + handle

    @cached_property
    def shared_surnames(self) -> frozenset[str]:
        """Surnames (folded) that two people of the article share ("Mary Audu" and her son "John Audu"):
        the surname alone names neither."""
        first_names: dict[str, set[str]] = {}
        for mention in self.mentions:
            words_ = name_key(mention.name).split()
            if mention.label == "PERSON" and len(words_) >= 2 and mention.name.split()[-1][:1].isupper():
                first_names.setdefault(words_[-1], set()).add(words_[0])
        return frozenset(surname for surname, firsts in first_names.items() if len(firsts) >= 2)

    @cached_property
    def person_words(self) -> frozenset[str]:
        """The words (lower case) of the full names of people the article names ("tamerlan", "tsarnaev"), and
        a one-word name the parse reads as a person more often than as a place ("Matanov", read as a person
        four times and as a place twice: an unfamiliar name the parse is unsure of), a country's name never."""
        full = {
            word.lower()
            for mention in self.mentions
            if mention.label == "PERSON" and len(mention.name.split()) >= 2
            for word in mention.name.split()
        }
        labels = Counter((m.name.lower(), m.label) for m in self.mentions if len(m.name.split()) == 1)
        places = Counter({name: n for (name, label), n in labels.items() if label in PLACE_LABELS})
        alone = {
            name
            for (name, label), n in labels.items()
            if label == "PERSON" and n > places[name] and not names_a_country(name)  # "Qatar" read as a person
        }
        return frozenset(full | alone)

    @cached_property
    def place_words(self) -> frozenset[str]:
        """Proper-name words (lower case) the article uses as places: in a place entity, before a noun of
        a place or an occasion ("the Rolando cafe", "the Boston Marathon"), or after a place preposition
        ("in Manchester"), or in the place of the article's dateline ("HARARE (Reuters) -"), whatever the
        parse labels them elsewhere; never a day ("on Friday")."""
        found: set[str] = set()
        dateline = article_dateline(self.text)
        if dateline is not None and rule("mention.dateline-place"):
            found.update(w.lower() for w in dateline.place.replace(",", " ").split())
        for token in self.doc:
            if token.pos_ != "PROPN" or token.ent_type_ in TIME_LABELS:
                continue
            head = token
            while head.dep_ == "compound" and head.head.i > head.i:
                head = head.head
            placed = (
                token.ent_type_ in PLACE_LABELS
                or head.lemma_.lower() in _PLACE_HEADS
                or head.lower_ in _PLACE_HEADS
                or (
                    head.pos_ == "PROPN"
                    and head.dep_ == "pobj"
                    and head.head.lower_ in _PLACE_PREPOSITIONS
                    and head.ent_type_ not in {"ORG", "NORP"}
                )
            )
            if placed:
                found.add(token.lower_)
        return frozenset(found)

    def mentions_before(self, position: int) -> list[Mention]:
        """Mentions that start before ``position``, nearest first."""
        return [m for m in reversed(self.mentions) if m.start < position]


def _places_read_as_people(doc: Doc) -> Doc:
    """Relabel as places the names the parser read as people that the article puts where only a place
    stands ("in Valencia", "near Toribio", "the town of Djibo", "in Badia al-Sukhnah") and never names
    otherwise as a person ("Matanov" of "Khairullozhon Matanov" stays a person): every mention of them
    becomes a GPE, in a copy of the parse."""
    from spacy.tokens import Span

    people = [e for e in doc.ents if e.label_ == "PERSON"]
    sited: set[str] = set()
    for ent in people:
        root = ent.root
        while root.dep_ == "conj" and root.head.i != root.i:  # "in Badia al-Sukhnah and Badia al-Sham"
            root = root.head
        where = root.head if root.dep_ == "pobj" else None
        if where is not None and (
            where.lower_ in _WHERE_ONLY or (where.lower_ == "of" and where.head.lemma_.lower() in _TOWN_WORDS)
        ):
            sited.add(ent.text)
    others = {w.lower() for e in people if e.text not in sited for w in e.text.split()}
    placed = {name for name in sited if not any(w.lower() in others for w in name.split())}
    if not placed or not rule("mention.place-read-as-person"):
        return doc
    relabelled = doc.copy()  # the parse may be shared (a memo of parses): the analysis owns its copy
    relabelled.ents = [
        Span(relabelled, e.start, e.end, label="GPE") if e.label_ == "PERSON" and e.text in placed else e
        for e in relabelled.ents
    ]
    return relabelled


def _blanked(text: str, spans: tuple[tuple[int, int], ...]) -> str:
    """``text`` with every character of ``spans`` but a line break made a space (same length); a span that
    stops inside a line ends with a line break, so the words on each side of it ("... security forces View
    Photos Thousands have been arrested") are read apart."""
    if not spans:
        return text
    chars = list(text)
    for start, end in spans:
        for at in range(start, end):
            if chars[at] != "\n":
                chars[at] = " "
        if start < end < len(text) and text[end] != "\n" and "\n" not in text[start:end]:
            chars[end - 1] = "\n"
    return "".join(chars)


def _name_it_goes_by(token: Token) -> Token | None:
    """The name a described group goes by: "a little-known group calling itself Saraya Awliya al-Dam",
    "a militant group known as the Mujahideen Army"."""
    for clause in token.children:
        if clause.dep_ != "acl":
            continue
        if calls_itself(clause):
            return next((c for c in clause.children if c.dep_ in {"oprd", "xcomp", "attr"}), None)
        if clause.lemma_.lower() in _KNOWN_AS:
            prep = next((c for c in clause.children if c.dep_ == "prep" and c.lower_ == "as"), None)
            return next((c for c in prep.children if c.dep_ == "pobj"), None) if prep is not None else None
    return None


def calls_itself(verb: Token) -> bool:
    """ "calling itself X", "who call themselves Y": a name given, not a call made."""
    return verb.lemma_.lower() in _CALL_VERBS and any(
        c.dep_ == "dobj" and c.lower_ in _REFLEXIVE for c in verb.children
    )
