"""The casualty ledger of a story: every article's figure side by side, and the reconciled view.

Figures of one article that count different victims in one sentence ("four US service members and
two members of the ISF injured") are that article's one figure, their sum, unless one of them is
already that sum ("12 people: seven women and five men") or counts people as such and holds the
rest ("at least 18 people, among them six children"). A figure of some victims told in another
sentence ("killing two soldiers") is a part of the one count of people as such of that incident
that can hold it ("at least six people were killed"). Every other figure is a row of its own.
The reconciled view follows ACLED and UCDP: the lowest figure is the conservative one, the highest
bound is kept beside it, and the reports are ``disputed`` when no single number agrees with all of
them (an open-ended "at least 25" agrees with 25; 51 and 55 do not agree).
"""

from __future__ import annotations

from collections import defaultdict

from summarizer.extraction import Outcome
from summarizer.schema import Casualty
from summarizer.stories.article_figures import figure_groups, group_holder, group_total, whole_figures
from summarizer.stories.incidents import Incident
from summarizer.stories.model import ArticleFigure, LedgerLine, Reconciled, ReportedFigure


def _reported(casualty: Casualty) -> ReportedFigure:
    return ReportedFigure(
        victims=casualty.victims,
        text=casualty.count.text,
        low=casualty.count.low,
        high=casualty.count.high,
        reported_by=casualty.reported_by,
        evidence=casualty.evidence,
    )


def _text_of(group: list[Casualty]) -> str:
    """ "four workers + two soldiers" for a sum; "at least six people, among them two soldiers" for a
    figure that holds the others or gives parts; the figure's words when alone."""
    if len(group) == 1:
        return group[0].count.text
    wholes = whole_figures(group)
    holder = wholes[0] if len(wholes) == 1 else group_holder(wholes)
    if holder is None:
        head, parts = " + ".join(f"{c.count.text} {c.victims}" for c in wholes), []
    else:
        head, parts = f"{holder.count.text} {holder.victims}", [c for c in wholes if c is not holder]
    parts += [c for c in group if c not in wholes]
    if not parts:
        return head
    return f"{head}, among them {', '.join(f'{c.count.text} {c.victims}' for c in parts)}"


def _article_figure(incident: Incident, group: list[Casualty]) -> ArticleFigure:
    source = incident.source
    parts = [_reported(casualty) for casualty in group]
    low, high = group_total(group)
    reporters = {p.reported_by for p in parts if p.reported_by}
    return ArticleFigure(
        report=source.article,
        outlet=source.outlet,
        published_at=source.published_at,
        low=low,
        high=high,
        text=_text_of(group),
        reported_by=reporters.pop() if len(reporters) == 1 else None,
        parts=parts,
    )


def agreed_figure(bounds: list[tuple[int, int | None]]) -> int | None:
    """The number that agrees with every figure given as (low, high or None when open-ended): the largest
    lower bound, when it is within every upper bound; None when no number agrees with all (disputed)."""
    if not bounds:
        return None
    floor = max(low for low, _ in bounds)
    ceilings = [high for _, high in bounds if high is not None]
    return None if ceilings and floor > min(ceilings) else floor


def reconcile(figures: list[ArticleFigure]) -> Reconciled:
    numbered = [f for f in figures if f.low is not None]
    without = sorted({f.report for f in figures if f.low is None})
    if not numbered:
        return Reconciled(disputed=False, without_numbers=without)
    lows = [f.low for f in numbered if f.low is not None]
    tops = [f.high if f.high is not None else f.low for f in numbered]
    low, high = min(lows), max(t for t in tops if t is not None)
    best = agreed_figure([(f.low, f.high) for f in numbered if f.low is not None])
    return Reconciled(
        low=low,
        high=high,
        conservative=low,
        best=best,
        disputed=best is None,
        low_reports=sorted({f.report for f in numbered if f.low == low}),
        high_reports=sorted({f.report for f in numbered if (f.high if f.high is not None else f.low) == high}),
        without_numbers=without,
    )


def ledger_of(incidents: list[Incident]) -> list[LedgerLine]:
    rows: dict[Outcome, list[ArticleFigure]] = defaultdict(list)
    for incident in incidents:
        by_outcome: dict[Outcome, list[Casualty]] = defaultdict(list)
        for casualty in incident.casualties:
            by_outcome[casualty.outcome].append(casualty)
        for outcome, casualties in by_outcome.items():
            rows[outcome].extend(_article_figure(incident, group) for group in figure_groups(casualties))
    return [
        LedgerLine(outcome=outcome, figures=rows[outcome], reconciled=reconcile(rows[outcome]))
        for outcome in Outcome
        if rows.get(outcome)
    ]
