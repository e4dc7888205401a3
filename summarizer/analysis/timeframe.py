"""When an action or a figure happened, relative to the report: the day's event, or background.

An article tells its day's events and, for context, earlier ones ("In 2015 the group bombed a hotel").
A sentence whose date names a year before the latest year the article names, or a span of time ago
("two years ago"), tells background; any other is the day's event. Where the sentence gives a full date
("April 2, 2015"), it resolves to an ISO date with ``stories.dates.resolve_dates`` (one home for reading
dates); a weekday needs the publication day, which the finders do not have. Each reading is a rule of
``rules/time.yaml``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from summarizer.analysis.lexicon import EVENT_TRIGGERS, words
from summarizer.analysis.nlp import TIME_LABELS
from summarizer.extraction import TimeFrame
from summarizer.rules.engine import rule

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

# A year as written in a date ("2015", "in March 2013"): a text shape, not words.
_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")
_PERIODS = words("period-unit")
_AGO = words("ago-word")
_MONTHS = words("month-name")
_MONTH_FILLERS = words("month-filler")
_SINCE = words("since-word")  # "fighting since April 2023": a state that lasts to the report's day
_EARLIER = words("earlier-word")
_ANSWERS = words("answer-word")
# How a date hangs on the noun it modifies ("the June 2020 attack", "Sunday's bombing").
_MODIFIER_DEPS = frozenset({"compound", "amod", "nmod", "npadvmod", "poss"})


@dataclass(frozen=True)
class When:
    frame: TimeFrame | None  # None only with the day's rule switched off
    date: str | None  # ISO, when the sentence gives a full date


def latest_year(doc: Doc) -> int | None:
    """The latest year the article's dates name: the year of its report, as far as its words tell."""
    years = [int(y) for e in doc.ents if e.label_ in TIME_LABELS for y in _YEAR.findall(e.text)]
    return max(years) if years else None


def when(doc: Doc, sentence: tuple[int, int], reference_year: int | None, trigger: Token | None = None) -> When:
    """The time frame and the ISO date of what the sentence ``[start, end)`` of ``doc`` tells (of the event
    word ``trigger`` in it, when given)."""
    from summarizer.stories.dates import resolve_dates

    dates = [e for e in doc.ents if e.label_ in TIME_LABELS and sentence[0] <= e.start_char < sentence[1]]
    if trigger is not None:
        dates = [e for e in dates if dates_the_event(e, trigger)]
    years = [int(y) for e in dates for y in _YEAR.findall(e.text)]
    full = sorted({d for e in dates for d in resolve_dates(e.text, None)})
    iso = full[0].isoformat() if full and rule("time.date.full-date") else None
    earlier = reference_year is not None and any(y < reference_year for y in years)
    if rule("time.frame.earlier-year", earlier):
        return When(TimeFrame.background, iso)
    if rule("time.frame.period-ago", any(_ago(e.text) for e in dates)):
        return When(TimeFrame.background, iso)
    if rule("time.frame.earlier-period", any(_earlier_period(e.text) for e in dates)):
        return When(TimeFrame.background, iso)
    if rule("time.frame.earlier-event", trigger is not None and set_earlier(trigger)):
        return When(TimeFrame.background, iso)
    if rule("time.frame.answered-event", trigger is not None and _answered(trigger)):
        return When(TimeFrame.background, iso)
    dated = [e for e in dates if not (e.start > 0 and doc[e.start - 1].lower_ in _SINCE)]  # a state, not a date
    if rule("time.frame.month-only", any(_month_only(e.text) for e in dated)):
        return When(TimeFrame.background, iso)
    return When(TimeFrame.current if rule("time.frame.the-day") else None, iso)


def dates_the_event(date: Span, trigger: Token) -> bool:
    """Whether ``date`` dates the event word ``trigger`` (recording the rule when it does not)."""
    if dates_another_event(date, trigger):
        return False
    return not rule("time.date.own-clause", not _in_its_clause(date, trigger))


def dates_another_event(date: Span, trigger: Token) -> bool:
    """Whether ``date`` modifies an event noun other than ``trigger``: "the ambush recalled the June 2020
    attack" (June 2020 is that attack's, not the ambush's)."""
    word = date.root.head
    other = word != trigger and word.pos_ == "NOUN" and word.lemma_.lower() in EVENT_TRIGGERS
    return rule("time.date.other-event-noun", other and modifies(date, word))


def modifies(date: Span, word: Token) -> bool:
    """Whether ``date`` hangs on ``word`` as its modifier ("the June 2020 attack", "Sunday's bombing",
    "kidnapped two journalists last year")."""
    return date.root.head == word and date.root.dep_ in _MODIFIER_DEPS


def _in_its_clause(date: Span, trigger: Token) -> bool:
    """A date inside a clause that describes a noun ("a judge accused of leading a crackdown last month")
    dates only the events of that clause, or the noun it describes when that noun is the event ("the
    attack, which came last year")."""
    node = date.root
    while node.head.i != node.i:
        if node.dep_ in {"relcl", "acl"}:
            return node.head == trigger or node.left_edge.i <= trigger.i <= node.right_edge.i
        node = node.head
    return True


def set_earlier(trigger: Token) -> bool:
    """ "previous attacks", "an earlier bombing": the event word's own modifier; "last year's blast": its
    owner a long enough span back (not "last night's attack")."""
    for child in trigger.children:
        if child.dep_ == "amod" and child.lower_ in _EARLIER:
            return True
        if child.dep_ == "poss" and child.lemma_.lower() in _PERIODS:
            return any(c.lower_ in _EARLIER for c in child.children)
    return False


def _answered(trigger: Token) -> bool:
    """ "retaliation for the killing", "in response to the attack", "to avenge the bombing": the event
    word is what another act answers, so it came first."""
    if trigger.dep_ == "dobj":
        return trigger.head.lemma_.lower() in _ANSWERS
    head = trigger.head
    return trigger.dep_ == "pobj" and head.dep_ == "prep" and head.head.lemma_.lower() in _ANSWERS


def _ago(text: str) -> bool:
    """ "two years ago", "a decade ago": a span of time before the report (not "hours ago")."""
    folded = text.lower().split()
    return bool(folded) and folded[-1] in _AGO and any(w.rstrip("s") in _PERIODS for w in folded)


def _earlier_period(text: str) -> bool:
    """ "last year", "earlier this month", "Last week": a span back from the report that the date opens
    with (not "the past decade" of "the worst attack in the past decade", nor "last night")."""
    folded = [w.strip(",.").lower() for w in text.split()]
    return bool(folded) and folded[0] in _EARLIER and any(w.rstrip("s") in _PERIODS for w in folded[1:])


def _month_only(text: str) -> bool:
    """ "March", "in March 2024", "late October 2023": a month without its day, how a report dates what
    happened before its day (the day's event has its day: "on Tuesday", "on March 12")."""
    tokens = [w.strip(",.").lower() for w in text.split()]
    months = [w for w in tokens if w in _MONTHS]
    others = [w for w in tokens if w not in _MONTHS and w not in _MONTH_FILLERS and not _YEAR.fullmatch(w)]
    return len(months) == 1 and not others
