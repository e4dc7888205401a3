"""How one article's casualty records for an outcome make its figures: the parts of one sentence
are one figure ("four service members and two ISF members": 6), a figure may already hold the others
("12 people: seven women and five men", "at least 18 people, among them six children"), and a part
told a sentence apart joins the count of people as such that holds it. The ledger shows these
figures side by side; linking compares them."""

from __future__ import annotations

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
            if overlaps and not any(same_name(casualty.victims, other.victims) for other in group):
                group.append(casualty)
                break
        else:
            groups.append([casualty])
    return _join_parts_told_apart(groups)


def _join_parts_told_apart(groups: list[list[Casualty]]) -> list[list[Casualty]]:
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
    """One group's figure for an outcome: the figure that holds the others (``group_holder``), or
    else the sum of its parts ("four service members and two ISF members": 6). Bounds are None where
    a part has none."""
    holder = group_holder(group)
    if holder is not None:
        return holder.count.low, holder.count.high
    lows = [c.count.low for c in group]
    highs = [c.count.high for c in group]
    low = sum(n or 0 for n in lows) if None not in lows else None
    high = sum(n or 0 for n in highs) if None not in highs else None
    return low, high


_PEOPLE_AS_SUCH = frozenset({"people", "persons", "person", "victims", "individuals", "martyrs", "bodies"})


def _people_as_such(victims: str) -> bool:
    """ "people", "at least 18 people": everyone counted, not a group among them."""
    words = victims.lower().split()
    return bool(words) and words[-1] in _PEOPLE_AS_SUCH
