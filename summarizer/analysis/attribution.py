"""Who says a passage, from the parse: speech verbs and their subjects, "according to", statements.

The cue words ("said", "according to", "a statement by") are found outside quotation marks; the
subject of a cue is a mention, and a mention that stands for someone named elsewhere is resolved:
"He" to the person who spoke last, "the spokeswoman" to the person whose title says so, "the
military" to "the Iraqi military", "the note" to the speaker whose note it is. ``confident`` is
False when a resolution had to guess; the candidates strategy asks the model about those.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from summarizer.analysis.actors import actor_like
from summarizer.analysis.document import ArticleAnalysis
from summarizer.analysis.gender import Genders, pronoun_gender
from summarizer.analysis.lexicon import (
    CLAIM_WORDS,
    LIFE_NOUNS,
    PEOPLE_NOUNS,
    ROLE_NOUNS,
    SOURCE_NOUNS,
    SPEECH_VERBS,
    STATEMENT_NOUNS,
    WEAPON_NOUNS,
    table,
    words,
)
from summarizer.analysis.phrases import Mention
from summarizer.rules.engine import matched, rule
from summarizer.textfold import name_key

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

_INHERIT_SUBJECT = frozenset({"advcl", "xcomp", "conj", "pcomp", "acl", "dep"})
_RELATIVE = words("relative-pronoun")
_GROUP_WORDS = words("kind-armed-group")
_PERSON_PRONOUNS = words("person-pronoun")
_GROUP_PRONOUNS = words("group-pronoun")
_GROUP_POSSESSIVES = words("group-possessive")
_REFUSE_VERBS = words("refuse-verb")
_LIFE_OBJECTS = LIFE_NOUNS | words("live-lemma")
_IMPACT_VERBS = words("impact-verb")
_CALL_VERBS = words("call-verb")
_AUTHOR_PREPOSITIONS = words("author-preposition")
_INDEFINITE = words("indefinite-word")
_INDEFINITE_PREFIXES = tuple(sorted(word + " " for word in words("indefinite-prefix")))
_NO = words("no-determiner")
_SELF_NAMED_STATEMENTS = tuple(sorted(words("self-named-statement")))


@dataclass(frozen=True)
class Cue:
    """Words that attribute speech, and the token naming the speaker (None: no subject found)."""

    token: Token
    subject: Token | None
    kind: str  # "verb", "according to", "statement"

    @property
    def start(self) -> int:
        return int(self.token.idx)


@dataclass(frozen=True)
class Attribution:
    speaker: Mention  # resolved: who it is
    written: Mention  # as the sentence names them ("He", "the spokeswoman")
    cue: str  # the cue word as written
    cue_start: int
    confident: bool


def cues_in(analysis: ArticleAnalysis, sentence: Span) -> list[Cue]:
    """Speech cues of ``sentence`` that stand outside quotation marks."""
    cues: list[Cue] = []
    for token in sentence:
        if analysis.in_quote(token):
            continue
        lemma = token.lemma_.lower()
        according = matched("speaker.cue.according-to", "according", token)
        if according is not None:
            cues.append(Cue(token, according["source"], "according to"))
        elif token.pos_ == "VERB" and lemma in SPEECH_VERBS and not _not_speech(token):
            if rule("speaker.cue.speech-verb"):
                cues.append(Cue(token, subject_of(analysis, token), "verb"))
        elif token.pos_ == "NOUN" and lemma in STATEMENT_NOUNS:
            author = _author_of_statement(token)
            if rule("speaker.cue.statement-author", author is not None and not analysis.in_quote(author)):
                cues.append(Cue(token, author, "statement"))
    return cues


def _not_speech(verb: Token) -> bool:
    """ "claimed the lives of", "called the minister" (a phone call), "took" are not speech; nor is what
    was not said: "did not respond to requests for comment", "declined to comment", "never confirmed"."""
    if rule("speaker.drop.negated", any(c.dep_ == "neg" for c in verb.children)):
        return True
    # with "by X", or with what was said ("militias ... reported that", read as a participle), a speaker stays
    by_someone = any(c.dep_ in {"agent", "ccomp"} for c in verb.children)
    accused = verb.dep_ == "acl" and verb.tag_ == "VBN" and not by_someone and not _believed_to(verb)
    if rule("speaker.drop.passive-participle", accused):
        return True  # "the two men accused of carrying out the bombing": they were accused, they said nothing
    if rule("speaker.drop.declined", verb.dep_ == "xcomp" and verb.head.lemma_.lower() in _REFUSE_VERBS):
        return True
    objects = {c.lemma_.lower() for c in verb.children if c.dep_ == "dobj"}
    if rule("speaker.drop.claimed-lives", verb.lemma_.lower() in CLAIM_WORDS and bool(objects & _LIFE_OBJECTS)):
        return True
    if rule("speaker.drop.impact", verb.lemma_.lower() in _IMPACT_VERBS and not objects):
        return True  # "shells slammed into a market"
    return rule(
        "speaker.drop.phone-call",
        verb.lemma_.lower() in _CALL_VERBS and not any(c.dep_ in {"xcomp", "ccomp", "prep"} for c in verb.children),
    )


def subject_of(analysis: ArticleAnalysis, verb: Token) -> Token | None:
    """The speaker of a speech verb: its subject, the author of "in a statement by X", or, for a verb
    with neither ("..., noting that"; "issued a statement saying"), the subject of the nearest speech
    verb above it in the parse, else of the clause it hangs on."""
    own = _own_subject(analysis, verb)
    if own is not None:
        return own
    stranded = _stranded_subject(analysis, verb)
    if rule("speaker.subject.phrase-before-verb", stranded is not None):
        return stranded
    fallback: Token | None = None
    inherit = True  # subjects carry over through participles and conjuncts, not through "that"-clauses
    current = verb
    for _ in range(6):
        described = current.dep_ in {"acl", "relcl"} and current.head.pos_ in {"NOUN", "PROPN"}
        if described and not rule("speaker.subject.believed-to", _believed_to(current)):
            head = current.head
            if rule("speaker.subject.statement-author", head.lemma_.lower() in STATEMENT_NOUNS):
                return _author_of_statement(head) or fallback
            if rule("speaker.subject.described-noun"):
                return head  # "the militias, mainly composed of Shiites, reported that"
        inherit = inherit and current.dep_ in _INHERIT_SUBJECT
        if current.head is current:
            break
        current = current.head
        subject = _own_subject(analysis, current)
        if subject is None:
            continue
        if rule("speaker.subject.speech-verb-above", current.lemma_.lower() in SPEECH_VERBS):
            return subject
        if inherit and fallback is None:
            fallback = subject
    if fallback is not None and not rule("speaker.subject.clause-above"):
        return None
    return fallback


def _stranded_subject(analysis: ArticleAnalysis, verb: Token) -> Token | None:
    """The speaker of a subjectless "said" that ends a sentence, when a comma and a noun phrase stand
    just before it: the parser joined that phrase to a list before the comma ("killing at least 21
    people, police and witnesses said": "police" made a third item after "people")."""
    if verb.dep_ != "ROOT" or any(c.dep_ in {"nsubj", "nsubjpass", "agent"} for c in verb.children):
        return None
    start = verb.i - 1
    while start > verb.sent.start and verb.i - start <= _PHRASE_BEFORE and verb.doc[start - 1].text != ",":
        start -= 1
    if start <= verb.sent.start or verb.doc[start - 1].text != ",":
        return None
    phrase = verb.doc[start : verb.i]
    nouns = [t for t in phrase if t.pos_ in {"NOUN", "PROPN"} and not analysis.in_quote(t)]
    if not nouns or phrase[-1].pos_ not in {"NOUN", "PROPN"}:
        return None
    first = nouns[0]
    while first.dep_ in {"compound", "amod"} and first.head in nouns:
        first = first.head  # "security officials and witnesses": the head of the first item
    return first


def _believed_to(verb: Token) -> bool:
    """ "a man believed to be responsible", "batteries said to be from the device": others believe it."""
    return verb.tag_ == "VBN" and any(c.dep_ == "xcomp" for c in verb.children)


def _own_subject(analysis: ArticleAnalysis, verb: Token) -> Token | None:
    for child in verb.children:
        if child.dep_ == "nsubj" and not analysis.in_quote(child):
            subject = antecedent(child)
            if subject.lower_ in _GROUP_PRONOUNS:
                group = _group_antecedent(subject)
                return group if rule("speaker.subject.group-pronoun", group is not None) else subject
            if subject.lemma_.lower() in STATEMENT_NOUNS:  # "Reports by witnesses said": the witnesses
                author = _author_of_statement(subject)
                return author if rule("speaker.subject.report-author", author is not None) else subject
            if rule("speaker.subject.verb-subject"):
                return subject
            continue
        if child.dep_ == "agent":
            obj = next((c for c in child.children if c.dep_ == "pobj"), None)
            if rule("speaker.subject.passive-agent", obj is not None and not analysis.in_quote(obj)):
                return obj
        if child.dep_ == "prep":  # "as described in a statement by a leader of X"
            obj = next((c for c in child.children if c.dep_ == "pobj"), None)
            if obj is not None and obj.lemma_.lower() in STATEMENT_NOUNS:
                author = _author_of_statement(obj)
                if rule("speaker.subject.in-a-statement-by", author is not None):
                    return author
    return None


# How many words a speaker's phrase stranded before its "said" may have ("local police and witnesses").
_PHRASE_BEFORE = 6

# Words that stand for a body named just before ("the group", "the movement"), like "it" does.
_GROUP_NOUNS = words("group-noun")


def _group_antecedent(pronoun: Token) -> Token | None:
    """ "they"/"it" in "X issued a statement in which they affirm": the statement's author, else the
    subject of the sentence's main verb when it comes before the pronoun."""
    statement = next((a for a in pronoun.ancestors if a.lemma_.lower() in STATEMENT_NOUNS), None)
    author = _author_of_statement(statement) if statement is not None else None
    if author is not None:
        return author
    root = pronoun.sent.root
    subject = next((c for c in root.children if c.dep_ == "nsubj"), None)
    if subject is not None and subject.i < pronoun.i and subject.pos_ != "PRON":
        return subject
    return None


def previous_subject(pronoun: Token) -> Token | None:
    """What "it"/"they" most likely stands for: the nearest subject before it, in its sentence or the
    one before, that agrees in number ("it" is no plural; "they" may be a group named in the singular, never
    one person).
    "The IRA accepted responsibility. It claimed ...": the IRA; "the bomb had been planted in a car.
    ... it exploded": the bomb, which is no actor."""
    sentence = pronoun.sent
    start = sentence.start
    if start > 0:
        start = pronoun.doc[start - 1].sent.start
    singular = "Sing" in pronoun.morph.get("Number", [])  # "it", "its"; not "they", "their"
    for token in reversed(pronoun.doc[start : pronoun.i]):
        if token.dep_ not in {"nsubj", "nsubjpass"} or token.pos_ not in {"NOUN", "PROPN"}:
            continue
        if singular and token.tag_ in {"NNS", "NNPS"}:
            continue
        if _one_person(token):  # one person is neither "it" nor "they" ("President Maduro said. They tried")
            continue
        return token
    return None


def _one_person(token: Token) -> bool:
    """A subject that is one person: a person's name, one holder of an office, with the name or without
    ("Maduro", "President Nicolas Maduro", "the spokesman"), or a person counted as one ("a man", "one
    suspect")."""
    if token.ent_type_ == "PERSON":
        # "Al Shabaab claimed the attack, saying it had targeted ...": a group's name the parse reads as a person's
        return not rule("speaker.resolve.group-named-as-person", token.lower_ in _GROUP_WORDS)
    named = any(c.dep_ in {"appos", "compound"} and c.ent_type_ == "PERSON" for c in token.children)
    # "One suspect, identified as AR, was shot dead as they tried to arrest him": one person, not "they"
    counted_one = token.tag_ == "NN" and any(
        c.dep_ in {"det", "nummod"} and c.lower_ in _INDEFINITE for c in token.children
    )
    one_of_people = counted_one and token.lemma_.lower() in PEOPLE_NOUNS
    return named or one_of_people or (token.tag_ in {"NN", "NNP"} and token.lemma_.lower() in ROLE_NOUNS)


def antecedent(subject: Token) -> Token:
    """A relative pronoun's noun ("Pompeo who thanked ..." -> Pompeo, "her shop window, which was damaged" ->
    window); any other token itself."""
    if subject.lower_ in _RELATIVE and subject.head.dep_ == "relcl":
        return subject.head.head
    return subject


def _author_of_statement(noun: Token) -> Token | None:
    """ "a statement by X", "X's statement", "X issued a statement"."""
    for child in noun.children:
        if child.dep_ == "poss":
            return child
        if child.dep_ == "prep" and child.lower_ in _AUTHOR_PREPOSITIONS:
            obj = next((c for c in child.children if c.dep_ == "pobj"), None)
            if obj is not None and obj.lemma_.lower() not in STATEMENT_NOUNS:
                return obj
    if noun.dep_ == "dobj":
        return next((antecedent(c) for c in noun.head.children if c.dep_ == "nsubj"), None)
    return None


class Attributor:
    """Resolves speakers in text order; remembers who spoke, for "He said" and "the note"."""

    def __init__(self, analysis: ArticleAnalysis):
        self.analysis = analysis
        self.speakers: list[tuple[int, Mention]] = []
        self.genders = Genders(analysis)

    def attribute(self, cue: Cue) -> Attribution | None:
        if cue.subject is None:
            return None
        if rule("speaker.drop.nobody", any(c.dep_ == "det" and c.lower_ in _NO for c in cue.subject.children)):
            return None  # "No group has claimed responsibility"
        written = self.analysis.mention(cue.subject)
        speaker, confident = self.resolve(written, cue.start)
        if speaker is None:
            return None
        if rule("speaker.drop.cannot-speak", not can_speak(speaker, cue.subject if speaker is written else None)):
            return None
        self.speakers.append((cue.start, speaker))
        return Attribution(speaker, written, cue.token.text, cue.start, confident)

    def resolve(self, written: Mention, position: int) -> tuple[Mention | None, bool]:
        """Who ``written`` stands for; (None, False) when nobody can be named."""
        first = written.text.split()[0].lower() if written.text else ""
        if written.pronoun:
            if first in _PERSON_PRONOUNS:
                person = self._person_of(written, first, position)
                if not rule("speaker.resolve.person-pronoun", person is not None):
                    return None, False
                return person, True
            owner = first in _GROUP_POSSESSIVES  # "stepped up their attacks": the subject that owns them
            if first in _GROUP_PRONOUNS or owner:
                pronoun = self.analysis.token_at(written.start)
                antecedent = previous_subject(pronoun)
                if owner and antecedent is not None and antecedent.sent != pronoun.sent:
                    antecedent = None  # "their meeting" is owned in its own sentence, or by no one we know
                if owner and not rule("speaker.resolve.group-possessive", antecedent is not None):
                    return None, False  # no last speaker owns "their attacks"
                if rule("speaker.resolve.group-pronoun", antecedent is not None):
                    assert antecedent is not None
                    mention = self.analysis.mention(antecedent)
                    a_name = mention.label in {"ORG", "NORP", "GPE"} and not mention.pronoun
                    resolved, _ = self.resolve(mention, position) if not mention.pronoun else (None, False)
                    return resolved or mention, a_name
                # inside a quote, "they" is whom the speaker talks about, not whoever spoke before
                quoted = self.analysis.quote_at(written.start) is not None
                last = None if quoted else self._last_speaker(position, lambda m: not m.is_person and not m.is_role)
                return (last if rule("speaker.resolve.group-pronoun-last-speaker", last is not None) else None), False
            return None, False
        if written.head in STATEMENT_NOUNS:
            if written.text[:1].islower() or written.text.lower().startswith(_SELF_NAMED_STATEMENTS):
                # "the note", "the statement": the last speaker's; "reports" alone names nobody
                plural_only = written.label is None and written.head + "s" == written.text.lower()
                if rule("speaker.resolve.reports-name-nobody", written.text.endswith("s") and plural_only):
                    return None, False
                last = self._last_speaker(position, lambda m: True)
                if rule("speaker.resolve.statement-noun", last is not None):
                    return last, True
                return None, True
            return written, True
        if rule("speaker.resolve.someone-new", written.is_role and self._indefinite(written)):
            return written, True  # "a Kurdish security official said": someone new, not the last spokesman
        if written.is_role:
            titled = self._last(position, lambda m: m.is_person and _shares_role(m, written))
            if rule("speaker.resolve.role-to-person", titled is not None):
                return titled, True
            return written, True
        if written.label != "PERSON" and not written.plural:  # "The US Secretary of State" after "... Mike Pompeo"
            folded = written.text.casefold()
            holder = next(
                (m for m in self.analysis.mentions_before(position) if m.title and m.title.casefold().endswith(folded)),
                None,
            )
            if rule("speaker.resolve.title-holder", holder is not None):
                return holder, True
        if written.label is None and written.text.lower() == written.head and written.head in _GROUP_NOUNS:
            # "The RSF denied targeting civilians. In a statement, the group said": the body just named
            antecedent = previous_subject(self.analysis.token_at(written.start))
            named_body = (
                antecedent is not None and antecedent.pos_ == "PROPN" and antecedent.ent_type_ in {"ORG", "NORP"}
            )
            if rule("speaker.resolve.group-noun", named_body):
                assert antecedent is not None
                return self.analysis.mention(antecedent), True
        alone = len(written.text.split()) == 1
        if rule("actor.merge.shared-surname", alone and name_key(written.head) in self.analysis.shared_surnames):
            return written, True  # "Audu said", with Mary Audu and John Audu named: neither of them
        if written.label is None and written.text.lower() == written.head and written.head not in ROLE_NOUNS:
            # "the military", "the group": the last mention of a named one with the same head word
            named = self._last(position, lambda m: m.head == written.head and len(m.text) > len(written.text))
            if rule("speaker.resolve.head-word", named is not None):
                return named, True
            return written, True
        return written, True

    def _indefinite(self, mention: Mention) -> bool:
        """Whether the mention was written with "a", "an", "another" or "one" (the mention drops it)."""
        before = self.analysis.text[max(0, mention.start - 8) : mention.start].lower().split()
        if before and before[-1] in _INDEFINITE:
            return True
        return mention.text.lower().startswith(_INDEFINITE_PREFIXES)

    def _person_of(self, written: Mention, first: str, position: int) -> Mention | None:
        """Whom a person pronoun stands for: the person the sentence before is about ("X gave a higher toll.
        He said ..."); else the person quoted last, or one the article tells as the pronoun does named since;
        else the person named last. Only a person the pronoun agrees with (``Genders``)."""

        def agrees(mention: Mention) -> bool:
            return not rule("speaker.resolve.pronoun-agrees", not self.genders.agrees(mention, first))

        told = pronoun_gender(first)
        mentions = self.analysis.mentions_before(position)
        near = self._named_in_own_sentence(written, agrees)
        if rule("speaker.resolve.object-pronoun-named-before", near is not None):
            return near
        # mentions the article tells as the pronoun does (a name the parse read as a place too: "Matanov")
        told_so = [m for m in mentions if self.genders.of(m) == told] if told is not None else []
        before = self._person_before(written)
        if before is not None and told is not None and self.genders.of(before) is None:
            # "Judge Ana Ruiz ordered Omar Haddad held after his lawyer ...": the one of the sentence the
            # article tells as the pronoun does, before one it does not tell
            sentence = self.analysis.token_at(written.start).sent
            known = [m for m in told_so if m.start >= sentence.start_char]
            if rule("speaker.resolve.told-first", bool(known)):
                before = known[0]
        if before is not None and agrees(before):
            return before
        person = self._last_speaker(position, lambda m: (m.is_person or m.is_role) and agrees(m))
        named = next((m for m in told_so if m.is_person), None)
        if person is not None and named is not None:
            spoke_at = max(at for at, m in self.speakers if m is person and at < position)
            # inside quoted words, "he" is one the speaker tells of, never the speaker ("My son ... He was
            # hit in the back"): the person told as the pronoun is, named since that one spoke
            quoted = self.analysis.quote_at(written.start) is not None
            if named is not person and rule(
                "speaker.resolve.quoted-pronoun-not-speaker", quoted and named.start > spoke_at
            ):
                return named
            if self.genders.of(person) is None:
                # told as the pronoun does, and named since that one spoke; not named in that one's own
                # words ("X said he was resting with his son, Ali. '...,' he said": X still speaks)
                told_by_speaker = self.analysis.token_at(named.start).sent == self.analysis.token_at(spoke_at).sent
                if named.start > spoke_at and not rule("speaker.resolve.named-by-last-speaker", told_by_speaker):
                    return named
        if person is not None:
            return person
        return next((m for m in mentions if _named_person(m) and agrees(m)), None)

    def _named_in_own_sentence(self, pronoun: Mention, agrees: Callable[[Mention], bool]) -> Mention | None:
        """For an object pronoun ("in which gunmen wounded him"), the nearest person named before it in its
        own sentence, outside quoted words unless it stands in them, and not the subject of its own verb
        ("the June 2020 attack on the police chief, Omar García Harfuch, in which gunmen wounded him")."""
        token = self.analysis.token_at(pronoun.start)
        if token.dep_ not in {"dobj", "pobj", "dative"}:
            return None
        quoted = self.analysis.in_quote(token)
        subjects = {c.i for c in token.head.children if c.dep_ in {"nsubj", "nsubjpass"}}
        for mention in self.analysis.mentions_before(pronoun.start):
            if mention.start < token.sent.start_char:
                return None
            head = self.analysis.token_at(mention.start)
            if self.analysis.in_quote(head) and not quoted:
                continue
            if _named_person(mention) and agrees(mention) and head.i not in subjects:
                return mention
        return None

    def _person_before(self, pronoun: Mention) -> Mention | None:
        """The person the pronoun's clause is about: the main subject of its own sentence when that comes
        first ("A second attacker ... fled before he could detonate"), else of the sentence before ("X
        gave a higher toll. He said ..."); someone named, or a single person by office or by a people noun."""
        token = self.analysis.token_at(pronoun.start)
        sentence = token.sent
        candidates = [sentence]
        previous = sentence.start - 1
        while previous >= 0 and sentence.doc[previous].is_space:  # a paragraph's break is no sentence
            previous -= 1
        if previous >= 0:
            candidates.append(sentence.doc[previous].sent)
        for candidate in candidates:
            clause = candidate.root
            subject = next((c for c in clause.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
            reported = next((c for c in clause.children if c.dep_ == "ccomp" and c.i < clause.i), None)
            # "X said ..., the agency reported": the sentence is about X, not the agency; "One suspect was shot
            # dead after he attacked officers, Santoso told Reuters": a pronoun inside the reported words goes
            # to their own subject before it, not to whoever reports them
            if clause.lemma_.lower() in SPEECH_VERBS and reported is not None and subject is not None:
                own = next((c for c in reported.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
                inside = reported.left_edge.i <= token.i <= reported.right_edge.i
                before = inside and own is not None and own.i < token.i
                if _institution(self.analysis.mention(subject)) or rule("speaker.resolve.reported-subject", before):
                    subject = own
            if subject is None or subject.i >= token.i:
                continue
            quoted = self.analysis.in_quote(subject) and not self.analysis.in_quote(token)
            if rule("speaker.resolve.quoted-subject-skipped", quoted):
                continue  # '"... He was hit in the back," he said': the quoted "He" is whom the speaker tells of
            mention = self.analysis.mention(antecedent(subject))
            told = pronoun_gender(pronoun.text.split()[0]) if pronoun.text else None
            same = mention.pronoun and told is not None and pronoun_gender(mention.text.split()[0]) == told
            if rule("speaker.resolve.pronoun-chain", same and candidate is not sentence):
                # "For years, she was known for ... In May, she was arrested": whom the first "she" is
                resolved, _ = self.resolve(mention, mention.start)
                if resolved is not None:
                    return resolved
            if mention.pronoun:  # "She has paid for it, she said": whom the first "she" stands for
                continue
            if mention.plural or mention.label in {"ORG", "GPE", "NORP"}:
                return None
            if mention.is_person or mention.is_role:
                resolved, _ = self.resolve(mention, mention.start)
                return resolved
            return mention if mention.head in PEOPLE_NOUNS else None
        if len(candidates) > 1:  # "Take Lisbeth Añez, 51. For years, she was known ...": the one named there
            people = [self.analysis.mention(e.root) for e in candidates[1].ents if e.label_ == "PERSON"]
            # a name as written (not "the bush" the parse took for one), and not inside someone's quoted words
            named = {m.name: m for m in people if _named_person(m) and self.analysis.quote_at(m.start) is None}
            if rule("speaker.resolve.only-person-before", len(named) == 1):
                return next(iter(named.values()))
        return None

    def _last(self, position: int, wanted: Callable[[Mention], bool]) -> Mention | None:
        speaker = self._last_speaker(position, wanted)
        mention = next((m for m in self.analysis.mentions_before(position) if wanted(m)), None)
        if speaker is None:
            return mention
        if mention is None:
            return speaker
        # the nearer of the last speaker and the last mention, preferring a speaker in the same paragraph
        speaker_at = max(p for p, m in self.speakers if m is speaker)
        paragraph_start, _ = self.analysis.paragraph_bounds(position)
        return speaker if speaker_at >= paragraph_start or speaker_at >= mention.start else mention

    def _last_speaker(self, position: int, wanted: Callable[[Mention], bool]) -> Mention | None:
        for at, mention in reversed(self.speakers):
            if at < position and wanted(mention):
                return mention
        return None


# Entity types that name no one: "Bloody Friday revealed", "2017 saw".
_NOT_SPEAKER_ENTITIES = frozenset(
    {"EVENT", "DATE", "TIME", "MONEY", "QUANTITY", "PERCENT", "CARDINAL", "ORDINAL", "LAW", "LANGUAGE", "PRODUCT"}
)


def _named_person(mention: Mention) -> bool:
    """A person named as names are written: not "the bush" that the parse took for one."""
    return mention.is_person and mention.name[:1].isupper()


def can_speak(speaker: Mention, token: Token | None = None) -> bool:
    """Whether a speech verb's subject can have said something: a person, a body, a country, a role, or
    a cited source ("the note", "according to testimony"); not "the responses", "her number", "the
    form", "a building", nor a street or an event ("Oxford Street", "Bloody Friday")."""
    if token is not None and token.ent_type_ in _NOT_SPEAKER_ENTITIES:
        return False
    if speaker.label in {"FAC", "LOC"} or speaker.head in WEAPON_NOUNS:
        return False
    if speaker.label is not None or speaker.is_person or speaker.is_role:
        return True
    if speaker.head in STATEMENT_NOUNS | SOURCE_NOUNS:
        return True
    return actor_like(speaker.text)


# Head words of bodies that report, whatever label the parse gives them ("the official Saudi Press
# Agency" is no person).
_INSTITUTION_HEADS = words("institution-head")


def _institution(mention: Mention) -> bool:
    """A body or a source rather than a person: "the agency reported", "police said", "Tass reported"."""
    if mention.label in {"ORG", "GPE", "NORP"}:
        return True
    return mention.head in _INSTITUTION_HEADS | SOURCE_NOUNS | STATEMENT_NOUNS


def _shares_role(person: Mention, role: Mention) -> bool:
    title = (person.title or "").lower()
    return role.head in title or any(word in title for word in _ROLE_FAMILIES.get(role.head, ()))


# Role words that name the same office ("spokeswoman" ~ "spokesperson"), and the abbreviations a title
# is written with ("Gov. Tarek el Aissami" is "Aragua's governor").
_ROLE_FAMILIES: dict[str, tuple[str, ...]] = table("role-families")
