"""Which incidents of one article are one event: the same action told twice (a headline and its body), the
untold parts of one attack told on in the next sentences, and a lone figure that goes on with the count
before it ("25 killed. In addition 51 injured"). Never an event and what it answered (``causes``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from summarizer.extraction import Outcome
from summarizer.stories.kinds import SPECIFIC_KINDS, kinds_named
from summarizer.stories.names import is_distinctive, same_name, same_place
from summarizer.stories.spans import span_of

if TYPE_CHECKING:
    from summarizer.stories.incidents import Incident

# A figure alone a short way after another outcome's figure ("25 killed. In addition 51 injured"),
# or after a figure of its outcome without a number ("several injured ... eight women and four men
# injured"), continues that count.
_CONTINUATION_CHARS = 400


def joins_figure_before(lone: Incident, incidents: list[Incident]) -> bool:
    """Fold a lone figure into the incident whose figure it continues (see ``_CONTINUATION_CHARS``)."""
    start = lone.sort_key[0]
    outcomes = {c.outcome for c in lone.casualties}
    before = [
        (end, incident)
        for incident in incidents
        if incident is not lone
        for c in incident.casualties
        if (span := span_of(c)) and span[1] <= start and (c.outcome not in outcomes or c.count.low is None)
        for end in [span[1]]
    ]
    if not before:
        return False
    end, previous = max(before, key=lambda item: item[0])
    if start - end > _CONTINUATION_CHARS or not _continues(lone, previous):
        return False
    previous.absorb(lone)
    return True


# Outcomes of one attack's toll: a count of arrests or abductions after it is another event's.
_TOLL_OUTCOMES = frozenset({Outcome.killed, Outcome.injured, Outcome.missing})


def _continues(lone: Incident, previous: Incident) -> bool:
    """Whether a lone figure can go on with the figures before it: a toll after a toll, not at another
    place the previous names not, and not of another kind of attack (a live blog's next entry)."""
    outcomes = {c.outcome for c in lone.casualties} | {c.outcome for c in previous.casualties}
    if not outcomes <= _TOLL_OUTCOMES:
        return False
    if lone.places and previous.places and not any(same_place(a, b) for a in lone.places for b in previous.places):
        return False
    kinds_lone = set().union(*(kinds_named(c.evidence.text) for c in lone.casualties))
    kinds_before = previous.kinds | set().union(*(kinds_named(c.evidence.text) for c in previous.casualties))
    return not (kinds_lone & SPECIFIC_KINDS and kinds_before & SPECIFIC_KINDS and not kinds_lone & kinds_before)


def _untold_part(kept: Incident, incident: Incident) -> bool:
    """The next sentences telling more of one attack without naming who did it ("The worst explosion
    was at the bus station, where six were killed. As a Land-Rover arrived, it exploded, killing two
    soldiers"): the same specific kind, right after it, one of them with no actor, and not elsewhere."""
    if kept.actors and incident.actors:
        return False
    if not kept.kinds & incident.kinds & SPECIFIC_KINDS:
        return False
    # Another place than the first part's, or a place and a toll of its own: another attack. A part
    # that only says who did it and where ("Police say two brothers carried the bombs to the Boston
    # street") tells the first part on.
    elsewhere = incident.places and not any(same_place(a, b) for a in kept.places for b in incident.places)
    if elsewhere and (kept.places or incident.casualties):
        return False
    last_end = max(end for _, end in kept.spans)
    return 0 <= incident.sort_key[0] - last_end <= _CONTINUATION_CHARS


def _answers(a: Incident, b: Incident) -> bool:
    """Whether one of the two is what the other answered: a cause never merges with its answer."""
    return any(x.answered_by is not None and x.answered_by.members[0] in y.members for x, y in ((a, b), (b, a)))


def merge_retellings(incidents: list[Incident]) -> list[Incident]:
    """One article telling one action twice (headline and body): the same actor, and the same
    specific kind or target, on days no more than three apart."""
    merged: list[Incident] = []
    for incident in incidents:
        for kept in merged:
            same_actor = any(
                is_distinctive(a) and is_distinctive(b) and same_name(a, b)
                for a in kept.actors
                for b in incident.actors
            )
            same_kind = bool(kept.kinds & incident.kinds & SPECIFIC_KINDS)
            same_target = any(
                is_distinctive(a) and is_distinctive(b) and same_name(a, b)
                for a in kept.targets
                for b in incident.targets
            )
            far_apart = (
                bool(kept.dates and incident.dates)
                and min(abs((x - y).days) for x in kept.dates for y in incident.dates) > 3
            )
            retold = (same_actor and (same_kind or same_target)) or _untold_part(kept, incident)
            if retold and not far_apart and not _answers(kept, incident):
                kept.absorb(incident)
                break
        else:
            merged.append(incident)
    return merged
