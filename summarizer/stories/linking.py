"""Whether two incidents of different articles are one event: scored evidence, for and against.

Every rule adds a ``LinkReason`` with its weight, so a link explains itself:

- the same actor did it (+2); the same distinctive target or victims (+1);
- the same named place (+2 for a town or site, +0.5 when either names a country);
- both date it to the same day, give or take one (+2); to days more than three apart (-3);
- the same casualty figure for the same outcome (+2 from two up; +1.5 for a single victim of the
  same name or country, +0.5 otherwise), and a second number of that outcome agreeing too (+2: the
  total and a part, "at least six people ... two soldiers" and "four workers and two soldiers");
- the same specific kind of attack (+1), or only different specific kinds (-1);
- the actors of one are the targets of the other and no actor is shared (-2);
- once the stories stand, both reports tell it as what one story's event answered ("in retaliation
  for the rocket attack on the base", "following the death of a contractor from rockets") (+3).

Two incidents link at ``LINK_THRESHOLD``; when either article has no publication day, only at
``UNDATED_THRESHOLD`` (strong evidence). Incidents whose articles were published more than
``WINDOW_DAYS`` apart never link: same actors, same kind of attack at another time are another
event.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from itertools import product
from typing import NamedTuple

from summarizer.stories.incidents import Incident, Tally
from summarizer.stories.model import LinkReason, ReasonKind
from summarizer.stories.names import country_key, name_words, same_name, same_place

LINK_THRESHOLD = 4.0
UNDATED_THRESHOLD = 6.0
WINDOW_DAYS = 30
_FIGURES_CAP = 6.0


def windows_meet(a: date | None, b: date | None) -> bool:
    """Whether two articles are close enough in time to report one event (unknown days always are)."""
    return a is None or b is None or abs((a - b).days) <= WINDOW_DAYS


class Reason(NamedTuple):
    """A ``LinkReason`` while scoring (the model is built only for the links kept)."""

    kind: ReasonKind
    detail: str
    weight: float

    def model(self) -> LinkReason:
        return LinkReason(kind=self.kind, detail=self.detail, weight=self.weight)


def _first_match(left: tuple[str, ...], right: tuple[str, ...]) -> tuple[str, str] | None:
    """The first pair of distinctive names, one from each side, that name one actor or target."""
    for x in left:
        for y in right:
            if same_name(x, y):
                return x, y
    return None


def _same_side(a: str, b: str) -> bool:
    """Single victims of one name or one country ("U.S. contractor", "US citizen")."""
    if same_name(a, b):
        return True
    countries_a = {country_key(w) for w in name_words(a)} - {None}
    countries_b = {country_key(w) for w in name_words(b)} - {None}
    return bool(countries_a & countries_b)


def _figure_weight(x: Tally, y: Tally) -> float:
    if x.low >= 2:
        return 2.0
    return 1.5 if _same_side(x.victims, y.victims) else 0.5


def _figure_reason(outcome: str, x: Tally, y: Tally) -> Reason:
    detail = f"{outcome} '{x.text}' {x.victims} = '{y.text}' {y.victims}"
    return Reason(kind=ReasonKind.figures, detail=detail, weight=_figure_weight(x, y))


def _figure_reasons(a: Incident, b: Incident) -> list[Reason]:
    reasons: list[Reason] = []
    largest_agreeing = 0
    outcomes_agreeing = 0  # outcomes whose figures agree from two up
    for outcome in sorted(a.figures.keys() & b.figures.keys()):
        agreeing = [(x, y) for x, y in product(a.figures[outcome], b.figures[outcome]) if x.low == y.low]
        if not agreeing:
            continue
        best = max(agreeing, key=lambda pair: _figure_weight(*pair))
        reasons.append(_figure_reason(outcome, *best))
        if best[0].low >= 2:
            outcomes_agreeing += 1
            largest_agreeing = max(largest_agreeing, best[0].low)
            # A second number of the same outcome agreeing too (the total and a part: "at least six
            # people ... two soldiers" and "four workers and two soldiers"): two coincidences at once.
            other = next((p for p in agreeing if p[0].low >= 2 and p[0].low != best[0].low), None)
            if other:
                reasons.append(_figure_reason(outcome, *other))
                largest_agreeing = max(largest_agreeing, other[0].low)
    if outcomes_agreeing >= 2 and largest_agreeing >= 10:
        # Two outcomes' tolls agreeing ("3 killed and more than 260 injured"), one of them large:
        # one event's toll, not a coincidence.
        reasons.append(Reason(kind=ReasonKind.figures, detail="the same toll for two outcomes", weight=2.0))
    total = sum(r.weight for r in reasons)
    if total > _FIGURES_CAP:
        scale = _FIGURES_CAP / total
        reasons = [r._replace(weight=round(r.weight * scale, 2)) for r in reasons]
    return reasons


def _place_reason(a: Incident, b: Incident) -> Reason | None:
    best: Reason | None = None
    for x, y in product(a.sorted_places, b.sorted_places):
        if not (same_place(x, y) or same_place(y, x)):
            continue
        # a country on either side is weak evidence ("Iraq and Syria" = "Iraq" is still Iraq)
        weight = 0.5 if country_key(x) or country_key(y) else 2.0
        if best is None or weight > best.weight:
            best = Reason(kind=ReasonKind.place, detail=f"{x} = {y}", weight=weight)
    return best


def _date_reason(a: Incident, b: Incident) -> Reason | None:
    if not a.dates or not b.dates:
        # Without publication days only the day's name can agree ("Friday"): weak, but evidence.
        if a.source.published_at is None or b.source.published_at is None:
            shared = sorted(a.weekdays & b.weekdays)
            if shared:
                return Reason(kind=ReasonKind.date, detail=f"both say {shared[0].title()}", weight=1.0)
        return None
    gap, x, y = min((abs((x - y).days), x, y) for x, y in product(a.dates, b.dates))
    if gap <= 1:
        return Reason(kind=ReasonKind.date, detail=f"{x} ~ {y}", weight=2.0)
    if gap > 3:
        return Reason(kind=ReasonKind.date_differs, detail=f"{x} vs {y}: {gap} days apart", weight=-3.0)
    return None


def _kind_reason(a: Incident, b: Incident) -> Reason | None:
    specific_a, specific_b = a.specific_kinds, b.specific_kinds
    if not specific_a or not specific_b:
        return None
    shared = specific_a & specific_b
    if shared:
        return Reason(kind=ReasonKind.type, detail=", ".join(sorted(k.value for k in shared)), weight=1.0)
    detail = f"{', '.join(sorted(k.value for k in specific_a))} vs {', '.join(sorted(k.value for k in specific_b))}"
    return Reason(kind=ReasonKind.type_differs, detail=detail, weight=-1.0)


ANSWERED_WEIGHT = 3.0


def _described(incident: Incident) -> str:
    """ "United States attack": who did what, for a reason's words."""
    kinds = sorted(k.value.replace("_", " ") for k in incident.kinds) or ["event"]
    return f"{' and '.join(sorted(incident.actors)) or 'an'} {kinds[0]}".strip()


def answered_reason(a: Incident, b: Incident) -> Reason:
    """Both reports give the event as what one event answered (``a`` and ``b`` are the answers, in
    one story): as strong as a shared actor and kind."""
    detail = f"what the {_described(a)} answered = what the {_described(b)} answered"
    return Reason(kind=ReasonKind.answered, detail=detail, weight=ANSWERED_WEIGHT)


def reasons_for(a: Incident, b: Incident) -> list[Reason]:
    """Every reason for and against ``a`` and ``b`` being one event."""
    reasons: list[Reason] = []
    actors = _first_match(a.named_actors, b.named_actors)
    if actors:
        reasons.append(Reason(kind=ReasonKind.actors, detail=f"{actors[0]} = {actors[1]}", weight=2.0))
    targets = _first_match(a.named_targets, b.named_targets)
    if targets:
        reasons.append(Reason(kind=ReasonKind.targets, detail=f"{targets[0]} = {targets[1]}", weight=1.0))
    if not actors:
        reversed_roles = _first_match(a.named_actors, b.named_targets) or _first_match(b.named_actors, a.named_targets)
        if reversed_roles:
            detail = f"{reversed_roles[0]} acts in one report and is targeted in the other"
            reasons.append(Reason(kind=ReasonKind.roles_differ, detail=detail, weight=-2.0))
    for reason in (_place_reason(a, b), _date_reason(a, b), _kind_reason(a, b)):
        if reason:
            reasons.append(reason)
    reasons.extend(_figure_reasons(a, b))
    return reasons


def threshold(a: Incident, b: Incident) -> float:
    dated = a.source.published_at is not None and b.source.published_at is not None
    return LINK_THRESHOLD if dated else UNDATED_THRESHOLD


def score(reasons: Iterable[Reason]) -> float:
    return round(sum(r.weight for r in reasons), 2)
