"""How one article's casualty records for an outcome make its figures: the parts of one sentence
are one figure ("four service members and two ISF members": 6), a figure may already hold the others
("12 people: seven women and five men", "at least 18 people, among them six children"), and a part
told a sentence apart joins the count of people as such that holds it. A figure told as a part
("including seven children", "two of them children") is never added to the toll it is part of. The
ledger shows these figures side by side; linking compares them."""

from __future__ import annotations

from functools import lru_cache

from summarizer.analysis.lexicon import names_a_part, words
from summarizer.schema import Casualty
from summarizer.stories.names import same_name
from summarizer.stories.spans import overlap, span_of


def figure_groups(casualties: list[Casualty]) -> list[list[Casualty]]:
    """One incident's figures for an outcome as the article's figures: figures whose evidence overlaps
    and whose victims differ make one group (one sentence's parts); a figure of some victims told
    apart joins the one count of people as such, told by the same teller, that can hold it ("at least
    six people were killed" ... "killing two soldiers"); each other figure is a group alone."""
    groups: list[list[Casualty]] = []
    for casualty in sorted(casualties, key=lambda c: c.evidence.start or 0):
        span = span_of(casualty)
        for group in groups:
            first = span_of(group[0])
            overlaps = span is not None and first is not None and overlap(span, first)
            named_apart = not any(same_name(casualty.victims, other.victims) for other in group)
            if overlaps and (named_apart or told_as_part(casualty)):  # "23 injured, of whom seven"
                group.append(casualty)
                break
        else:
            groups.append([casualty])
    return _join_parts_told_apart(groups)


def told_as_part(casualty: Casualty) -> bool:
    """Whether the article gives the figure as a part of a toll ("including seven children", "two of
    them children", "Among the dead were three children"), not as a toll of its own."""
    evidence, number = casualty.evidence, casualty.count.evidence
    if evidence.start is None or number.start is None or number.end is None or evidence.status == "ungrounded":
        return False
    return _part_cue_around(evidence.text, number.start - evidence.start, number.end - evidence.start)


@lru_cache(maxsize=65536)
def _part_cue_around(sentence: str, offset: int, end: int) -> bool:
    """Asked for the same figure by grouping, totals, linking and the ledger: read once."""
    return 0 <= offset <= end <= len(sentence) and names_a_part(sentence[:offset], sentence[end:])


def whole_figures(group: list[Casualty]) -> list[Casualty]:
    """The figures of a group that count a toll, not a part of it (all of them if every one is a part)."""
    return [c for c in group if not told_as_part(c)] or group


def _join_parts_told_apart(groups: list[list[Casualty]]) -> list[list[Casualty]]:
    # "Among the dead were three children": a part alone in its sentence belongs to the largest toll
    for alone in [g for g in groups if len(g) == 1 and told_as_part(g[0]) and g[0].count.low is not None]:
        tolls = [g for g in groups if g is not alone and any(not told_as_part(c) for c in g)]
        largest = max(tolls, key=lambda g: group_total(g)[0] or 0, default=None)
        if largest is not None and (group_total(largest)[0] or 0) >= (alone[0].count.low or 0):
            largest.append(alone[0])
            groups = [g for g in groups if g is not alone]
    parts = [g for g in groups if len(g) == 1 and g[0].count.low is not None and not _people_as_such(g[0].victims)]
    for part in parts:
        low = part[0].count.low or 0
        holders = [
            g
            for g in groups
            if g is not part
            and any(
                _people_as_such(c.victims) and (c.count.low or 0) >= low and c.reported_by == part[0].reported_by
                for c in g
            )
        ]
        if len(holders) == 1 and not any(same_name(part[0].victims, c.victims) for c in holders[0]):
            holders[0].append(part[0])
            groups = [g for g in groups if g is not part]
    return groups


def group_holder(group: list[Casualty]) -> Casualty | None:
    """The figure of a group that already counts the others, if one does: the sum of the rest ("12
    people: seven women and five men"), or a count of people as such no smaller than any other ("at
    least 18 people, among them six children", "risen to 24 ... six more bodies")."""
    if len(group) < 2:
        return None
    totals = [c for c in group if c.count.low is not None and _people_as_such(c.victims)]
    if totals:
        total = max(totals, key=lambda c: c.count.low or 0)
        if all(c.count.low is not None and c.count.low <= (total.count.low or 0) for c in group):
            return total
    for index, casualty in enumerate(group):
        rest = [c.count.low for i, c in enumerate(group) if i != index]
        if (
            len(group) > 2
            and casualty.count.low is not None
            and None not in rest
            and casualty.count.low == sum(n or 0 for n in rest)
        ):
            return casualty
    return None


def group_total(group: list[Casualty]) -> tuple[int | None, int | None]:
    """One group's figure for an outcome, over the figures that are tolls (``whole_figures``): the
    one that holds the others (``group_holder``), or else their sum ("four service members and two
    ISF members": 6). Bounds are None where a part has none."""
    wholes = whole_figures(group)  # "17 killed, including seven children" is 17
    if len(wholes) == 1:
        return wholes[0].count.low, wholes[0].count.high
    holder = group_holder(wholes)
    if holder is not None:
        return holder.count.low, holder.count.high
    lows = [c.count.low for c in wholes]
    highs = [c.count.high for c in wholes]
    low = sum(n or 0 for n in lows) if None not in lows else None
    high = sum(n or 0 for n in highs) if None not in highs else None
    return low, high


_PEOPLE_AS_SUCH = words("people-as-such")


def _people_as_such(victims: str) -> bool:
    """ "people", "at least 18 people": everyone counted, not a group among them."""
    words = victims.lower().split()
    return bool(words) and words[-1] in _PEOPLE_AS_SUCH
