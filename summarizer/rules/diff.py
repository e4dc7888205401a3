"""What a change moved: two sets of summaries of the same articles compared fact by fact, with the rules
behind each fact (what ``summarizer diff`` prints). Run a batch before and after a rule change and read
the difference over every article before committing it.

Facts are matched by what they stand on: an actor by its name, an action by its evidence and type, a
casualty figure by its evidence, outcome and count phrase, a statement by its words. A fact on one side
only was added or removed; a matched fact whose fields differ changed (each field named).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from summarizer.schema import Action, Actor, ArticleSummary, Casualty, Statement

Fact = Actor | Action | Casualty | Statement
KINDS = ("actors", "actions", "casualties", "statements")


def _actor(fact: Any) -> tuple[tuple[Any, ...], dict[str, Any]]:
    return (fact.name.casefold(),), {
        "name": fact.name,
        "kind": fact.kind.value,
        "title": fact.title,
        "aliases": fact.aliases,
    }


def _action(fact: Any) -> tuple[tuple[Any, ...], dict[str, Any]]:
    return (fact.evidence.text, fact.type.value), {
        "actors": fact.actors,
        "targets": fact.targets,
        "location": fact.location,
        "instrument": fact.instrument,
        "time": fact.time,
        "modality": fact.modality.value,
    }


def _casualty(fact: Any) -> tuple[tuple[Any, ...], dict[str, Any]]:
    return (fact.evidence.text, fact.outcome.value, fact.count.text), {
        "victims": fact.victims,
        "low": fact.count.low,
        "high": fact.count.high,
        "event": fact.event,
        "reported_by": fact.reported_by,
        "modality": fact.modality.value if fact.modality else None,
    }


def _statement(fact: Any) -> tuple[tuple[Any, ...], dict[str, Any]]:
    return (fact.text,), {
        "speaker": fact.speaker,
        "speaker_title": fact.speaker_title,
        "verbatim": fact.verbatim,
        "speaker_check": fact.speaker_check.value,
    }


_READERS: dict[str, Callable[[Any], tuple[tuple[Any, ...], dict[str, Any]]]] = {
    "actors": _actor,
    "actions": _action,
    "casualties": _casualty,
    "statements": _statement,
}


@dataclass(frozen=True)
class Change:
    kind: str  # actors, actions, casualties, statements
    sign: str  # "-" removed, "+" added, "~" changed
    what: str  # the fact in one line
    fields: dict[str, tuple[Any, Any]]  # for "~": field -> (old, new)
    old_rules: tuple[str, ...]
    new_rules: tuple[str, ...]


@dataclass
class ArticleDiff:
    article: str
    changes: list[Change] = field(default_factory=list)


def _line(kind: str, key: tuple[Any, ...], content: dict[str, Any]) -> str:
    if kind == "actors":
        return f"{content['name']} ({content['kind']})"
    if kind == "actions":
        return f"{key[1]}: {', '.join(content['actors'])} -> {', '.join(content['targets']) or '?'}  «{key[0][:70]}»"
    if kind == "casualties":
        return f"{key[2]} {content['victims']} {key[1]}  «{key[0][:70]}»"
    return f"{content['speaker']}: «{key[0][:80]}»"


def diff_summaries(old: ArticleSummary, new: ArticleSummary, article: str) -> ArticleDiff:
    """Fact by fact, what changed from ``old`` to ``new`` (two summaries of one article)."""
    result = ArticleDiff(article)
    for kind in KINDS:
        read = _READERS[kind]
        before: dict[tuple[Any, ...], list[Fact]] = {}
        after: dict[tuple[Any, ...], list[Fact]] = {}
        for side, facts in ((before, getattr(old, kind)), (after, getattr(new, kind))):
            for fact in facts:
                side.setdefault(read(fact)[0], []).append(fact)
        for key in [*before, *(k for k in after if k not in before)]:
            olds, news = _unmatched(read, before.get(key, []), after.get(key, []))
            for old_fact, new_fact in zip(olds, news, strict=False):
                _, old_content = read(old_fact)
                _, new_content = read(new_fact)
                changed = {f: (old_content[f], new_content[f]) for f in old_content if old_content[f] != new_content[f]}
                if changed:
                    result.changes.append(
                        Change(
                            kind,
                            "~",
                            _line(kind, key, new_content),
                            changed,
                            tuple(old_fact.rules),
                            tuple(new_fact.rules),
                        )
                    )
            for fact in olds[len(news) :]:
                result.changes.append(Change(kind, "-", _line(kind, key, read(fact)[1]), {}, tuple(fact.rules), ()))
            for fact in news[len(olds) :]:
                result.changes.append(Change(kind, "+", _line(kind, key, read(fact)[1]), {}, (), tuple(fact.rules)))
    return result


def _unmatched(
    read: Callable[[Any], tuple[tuple[Any, ...], dict[str, Any]]], olds: list[Fact], news: list[Fact]
) -> tuple[list[Fact], list[Fact]]:
    """The facts of one key left once those equal on both sides are set aside (two actions of one sentence:
    the one that stayed is no change, the other is)."""
    left = list(news)
    kept = []
    for fact in olds:
        same = next((other for other in left if read(other)[1] == read(fact)[1]), None)
        if same is None:
            kept.append(fact)
        else:
            left.remove(same)
    return kept, left


@dataclass
class SetDiff:
    """Two sets of summaries, compared article by article (by the article's id)."""

    articles: list[ArticleDiff]
    only_old: list[str]
    only_new: list[str]
    compared: int

    def counts(self) -> dict[str, Counter[str]]:
        counts: dict[str, Counter[str]] = {kind: Counter() for kind in KINDS}
        for article in self.articles:
            for change in article.changes:
                counts[change.kind][change.sign] += 1
        return counts

    @property
    def differs(self) -> bool:
        return bool(self.only_old or self.only_new or any(a.changes for a in self.articles))


def diff_sets(old: dict[str, ArticleSummary], new: dict[str, ArticleSummary]) -> SetDiff:
    both = [article for article in old if article in new]
    diffs = [diff_summaries(old[article], new[article], article) for article in both]
    return SetDiff(
        articles=[d for d in diffs if d.changes],
        only_old=[a for a in old if a not in new],
        only_new=[a for a in new if a not in old],
        compared=len(both),
    )


def render(result: SetDiff, *, old_name: str, new_name: str) -> list[str]:
    counts = result.counts()
    moved = "; ".join(
        f"{kind} -{c['-']} +{c['+']} ~{c['~']}" for kind, c in counts.items() if c["-"] or c["+"] or c["~"]
    )
    lines = [
        f"{old_name} -> {new_name}: {result.compared} articles in both, {len(result.articles)} changed"
        + (f" ({moved})" if moved else "")
        + (f"; only in {old_name}: {len(result.only_old)}" if result.only_old else "")
        + (f"; only in {new_name}: {len(result.only_new)}" if result.only_new else "")
    ]
    for article in result.articles:
        lines += ["", f"{article.article}"]
        for change in article.changes:
            lines.append(
                f"  {change.sign} {change.kind[:-1] if change.kind != 'casualties' else 'casualty'}: {change.what}"
            )
            for name, (was, now) in change.fields.items():
                lines.append(f"      {name}: {was!r} -> {now!r}")
            if change.sign == "~" and change.old_rules == change.new_rules:
                lines.append(f"      rules: {', '.join(change.new_rules)}")
                continue
            if change.old_rules:
                lines.append(f"      rules before: {', '.join(change.old_rules)}")
            if change.new_rules:
                lines.append(f"      rules now: {', '.join(change.new_rules)}")
    lines += [f"only in {old_name}: {name}" for name in result.only_old]
    lines += [f"only in {new_name}: {name}" for name in result.only_new]
    return lines
