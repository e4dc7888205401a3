"""Link the events of many summaries into stories: incidents, candidate pairs, clusters, ledgers.

Candidate pairs come from an index of the words incidents are named by (actors, targets, places,
figures, dates), so a set of a thousand summaries is not compared pair by pair. Pairs that score
at their threshold (``linking``) are merged strongest first; a merge is refused when any two of
its incidents score below zero or were published too far apart, so two events are never chained
into one story through a third.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import replace
from datetime import UTC, date, datetime

from summarizer.cache import content_hash
from summarizer.errors import InputError
from summarizer.schema import ArticleSummary
from summarizer.stories.incidents import Incident, Source, incidents_of, source_of
from summarizer.stories.inputs import ArticleInfo, info_for
from summarizer.stories.kinds import SPECIFIC_KINDS
from summarizer.stories.ledger import ledger_of
from summarizer.stories.linking import (
    WINDOW_DAYS,
    Reason,
    answered_reason,
    reasons_for,
    score,
    threshold,
    windows_meet,
)
from summarizer.stories.model import Link, Report, Story, StorySet
from summarizer.stories.names import blocking_keys, country_key, same_name, same_place

# A key shared by more incidents than this says nothing about which of them are one event.
_MAX_POSTING = 400


def _keys(incident: Incident) -> set[str]:
    keys: set[str] = set()
    for name in incident.actors | incident.targets | incident.places:
        keys.update(k for k in blocking_keys(name) if not k.startswith("country:"))
    for casualty in incident.casualties:
        if casualty.count.low is not None:
            keys.add(f"figure:{casualty.outcome.value}:{casualty.count.low}")
    keys.update(f"date:{d.isoformat()}" for d in incident.dates)
    return keys


class _Clusters:
    def __init__(self, incidents: Sequence[Incident]):
        self.incidents = incidents
        self.members: dict[int, list[int]] = {i: [i] for i in range(len(incidents))}
        self.owner = list(range(len(incidents)))
        self._scores: dict[tuple[int, int], float] = {}

    def pair_score(self, i: int, j: int, *, known: float | None = None) -> float:
        """The score of two incidents, computed once (``known`` when the caller has just computed it)."""
        key = (min(i, j), max(i, j))
        if key not in self._scores:
            self._scores[key] = known if known is not None else score(reasons_for(self.incidents[i], self.incidents[j]))
        return self._scores[key]

    def try_merge(self, i: int, j: int) -> bool:
        a, b = self.owner[i], self.owner[j]
        if a == b:
            return False
        for x in self.members[a]:
            for y in self.members[b]:
                ix, iy = self.incidents[x], self.incidents[y]
                if not windows_meet(ix.source.published_at, iy.source.published_at) or self.pair_score(x, y) < 0:
                    return False
        keep, gone = (a, b) if len(self.members[a]) >= len(self.members[b]) else (b, a)
        for member in self.members.pop(gone):
            self.owner[member] = keep
            self.members[keep].append(member)
        return True


def _candidate_pairs(incidents: Sequence[Incident]) -> set[tuple[int, int]]:
    """Pairs of incidents of different articles that share a key and were published close enough."""
    postings: dict[str, list[int]] = defaultdict(list)
    for index, incident in enumerate(incidents):
        for key in _keys(incident):
            postings[key].append(index)
    pairs: set[tuple[int, int]] = set()
    for members in postings.values():
        if len(members) > _MAX_POSTING:
            continue
        undated = [i for i in members if incidents[i].source.published_at is None]
        dated = sorted(
            (i for i in members if incidents[i].source.published_at is not None),
            key=lambda i: incidents[i].source.published_at or date.min,
        )
        for n, i in enumerate(dated):  # a sliding window over publication days
            day = incidents[i].source.published_at or date.min
            for j in dated[n + 1 :]:
                if ((incidents[j].source.published_at or date.min) - day).days > WINDOW_DAYS:
                    break
                _add_pair(pairs, incidents, i, j)
        for i in undated:
            for j in members:
                if j != i:
                    _add_pair(pairs, incidents, i, j)
    return pairs


def _add_pair(pairs: set[tuple[int, int]], incidents: Sequence[Incident], i: int, j: int) -> None:
    if incidents[i].article != incidents[j].article:
        pairs.add((min(i, j), max(i, j)))


def _distinct(names: Iterable[str], same: Callable[[str, str], bool] = same_name) -> list[str]:
    kept: list[str] = []
    for name in names:
        if name and not any(same(name, other) for other in kept):
            kept.append(name)
    return kept


def _main_place(incidents: list[Incident]) -> str | None:
    """The place most of the story's incidents name; of those, a town or site before a country, and
    the fullest spelling ("Oxford Street" before "Oxford St")."""
    places = {p for i in incidents for p in i.places}

    def rank(place: str) -> tuple[int, bool, int, str]:
        named_by = sum(any(same_place(place, p) for p in i.places) for i in incidents)
        return (-named_by, country_key(place) is not None, -len(place), place)

    return min(places, key=rank, default=None)


def _headline(incidents: list[Incident], story_date: date | None) -> str:
    action = next((a for i in incidents for a in i.actions if a.actors and a.targets), None)
    action = action or next((a for i in incidents for a in i.actions), None)
    if action is not None:
        text = f"{', '.join(action.actors) or 'Someone'}: {action.type.value.replace('_', ' ')}"
        if action.targets:
            text += f" on {', '.join(action.targets)}"
        if action.location:
            text += f" ({action.location})"
    else:  # figures alone, or an event told only as what an action answered
        casualty = next((c for i in incidents for c in i.casualties), None)
        text = f"{casualty.count.text} {casualty.victims} {casualty.outcome.value}" if casualty else ""
        kinds = sorted(k.value.replace("_", " ") for i in incidents for k in i.specific_kinds)
        place = _main_place(incidents)
        if kinds or place or not text:
            where = f"{kinds[0] if kinds else 'event'}{' in ' + place if place else ''}"
            text = f"{where}: {text}" if text else where
    return f"{text}, {story_date.isoformat()}" if story_date else text


def _story(incidents: list[Incident], links: list[Link]) -> Story:
    incidents = sorted(incidents, key=lambda i: (i.article, i.sort_key))
    by_article: dict[str, list[Incident]] = defaultdict(list)
    for incident in incidents:
        by_article[incident.article].append(incident)
    reports = []
    for article, own in by_article.items():
        source: Source = own[0].source
        reports.append(
            Report(
                article=article,
                summary_id=source.summary.id,
                title=source.title,
                outlet=source.outlet,
                published_at=source.published_at,
                event_dates=sorted({d for i in own for d in i.dates}),
                actions=[a for i in own for a in i.actions],
                mentions=[m for i in own for m in i.mentions],
            )
        )
    # The day most reports give; of equally voted days the earliest (reports follow events).
    date_votes = Counter(d for report in reports for d in report.event_dates)
    top = max(date_votes.values(), default=0)
    story_date = min((d for d, votes in date_votes.items() if votes == top), default=None)
    kinds = Counter(k for i in incidents for k in i.kinds if k in SPECIFIC_KINDS) or Counter(
        k for i in incidents for k in i.kinds
    )
    fingerprint = sorted((i.article, i.source.summary.id, member) for i in incidents for member in i.members)
    return Story(
        id=content_hash(fingerprint)[:16],
        headline=_headline(incidents, story_date),
        type=kinds.most_common(1)[0][0] if kinds else None,
        date=story_date,
        actors=_distinct(sorted(a for i in incidents for a in i.actors)),
        targets=_distinct(sorted(t for i in incidents for t in i.targets)),
        places=sorted(
            _distinct(sorted({p for i in incidents for p in i.places}, key=lambda p: (-len(p), p)), same_place)
        ),
        reports=reports,
        links=links,
        ledger=ledger_of(incidents),
    )


def _link_what_was_answered(
    incidents: Sequence[Incident], clusters: _Clusters
) -> list[tuple[float, int, int, list[Reason]]]:
    """Once the stories stand: events two reports tell as what one story's event answered ("in
    retaliation for the rocket attack", "following the death of a contractor from rockets") are one
    event when, with that reason, they reach the threshold."""
    position = {id(incident): i for i, incident in enumerate(incidents)}
    by_story: dict[int, list[tuple[int, Incident]]] = defaultdict(list)
    for i, incident in enumerate(incidents):
        answer = incident.answered_by
        if answer is not None and id(answer) in position:
            by_story[clusters.owner[position[id(answer)]]].append((i, answer))
    linked: list[tuple[float, int, int, list[Reason]]] = []
    for _, causes in sorted(by_story.items()):
        for n, (i, answer_i) in enumerate(causes):
            for j, answer_j in causes[n + 1 :]:
                a, b = incidents[i], incidents[j]
                if a.article == b.article or clusters.owner[i] == clusters.owner[j]:
                    continue
                if not windows_meet(a.source.published_at, b.source.published_at):
                    continue
                reasons = [*reasons_for(a, b), answered_reason(answer_i, answer_j)]
                total = score(reasons)
                if total >= threshold(a, b) and clusters.try_merge(i, j):
                    linked.append((total, i, j, reasons))
    return linked


def link_sources(sources: Sequence[Source]) -> list[Story]:
    incidents = [incident for source in sources for incident in incidents_of(source)]
    clusters = _Clusters(incidents)
    scored: list[tuple[float, int, int, list[Reason]]] = []
    for i, j in _candidate_pairs(incidents):
        a, b = incidents[i], incidents[j]
        if not windows_meet(a.source.published_at, b.source.published_at):
            continue
        reasons = reasons_for(a, b)
        total = clusters.pair_score(i, j, known=score(reasons))
        if total >= threshold(a, b):
            scored.append((total, i, j, reasons))
    # equal scores in the order of the articles' names and places in them, never of the input's order
    place = [(incident.article, incident.sort_key) for incident in incidents]
    scored.sort(key=lambda item: (-item[0], *sorted((place[item[1]], place[item[2]]))))
    used = [
        item
        for item in scored
        if clusters.try_merge(item[1], item[2]) or clusters.owner[item[1]] == clusters.owner[item[2]]
    ]
    used += _link_what_was_answered(incidents, clusters)
    links: dict[int, list[Link]] = defaultdict(list)
    for total, i, j, reasons in used:
        pair = (incidents[i].article, incidents[j].article)
        links[clusters.owner[i]].append(Link(reports=pair, score=total, reasons=[r.model() for r in reasons]))
    stories = [_story([incidents[m] for m in members], links[owner]) for owner, members in clusters.members.items()]
    stories.sort(key=lambda s: (-len(s.reports), s.date or date.min, s.id), reverse=False)
    return stories


def link_stories(
    summaries: Iterable[ArticleSummary],
    *,
    articles: Sequence[str] | None = None,
    info: Mapping[str, ArticleInfo] | None = None,
) -> StorySet:
    """Link the events of ``summaries`` into stories, each with its reports, links and ledger.

    An article is named by ``articles[i]`` when given, else by its ``article.id``, else by the
    summary id. ``info`` (by that name) gives publication days and outlets a summary lacks or gets
    wrong; without a publication day an article links only on strong evidence.
    """
    summaries = list(summaries)
    if not summaries:
        raise InputError("no summaries to link")
    names: list[str | None] = list(articles) if articles is not None else [None] * len(summaries)
    if len(names) != len(summaries):
        raise InputError(f"{len(names)} article names for {len(summaries)} summaries")
    sources: list[Source] = []
    for summary, name in zip(summaries, names, strict=True):
        source = source_of(summary, article=name)
        known = info_for(info or {}, source.article)
        if known is not None:
            source = replace(
                source,
                published_at=known.published_at or source.published_at,
                outlet=known.outlet or source.outlet,
            )
        sources.append(source)
    seen: dict[str, str] = {}
    unique: list[Source] = []
    for source in sources:
        if source.article in seen:
            if seen[source.article] == source.summary.id:
                continue  # the same summary twice (a batch resumed over its own output)
            raise InputError(f"two different summaries are named {source.article!r}: give each article its own id")
        seen[source.article] = source.summary.id
        unique.append(source)
    sources = unique
    return StorySet(
        id=content_hash(sorted(s.id for s in summaries))[:16],
        created_at=datetime.now(UTC),
        summaries=len(sources),
        stories=link_sources(sources),
    )
