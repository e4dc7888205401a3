"""The context of each review page, shared by the server's routes and the static export."""

from __future__ import annotations

from typing import Any

from summarizer.review.chart import chart_of
from summarizer.review.highlights import Kind, facts_of, segments
from summarizer.schema import ArticleSummary
from summarizer.stories.model import StorySet

SUMMARY_TEMPLATE = "summary.html.j2"
LIST_TEMPLATE = "list.html.j2"
KEY_TEMPLATE = "key.html.j2"
STORY_TEMPLATE = "story.html.j2"


def summary_context(summary: ArticleSummary, text: str | None, *, standalone: bool = False) -> dict[str, Any]:
    """The summary page: ``text`` is the original article (the text the evidence offsets count in)."""
    facts = facts_of(summary, None if text is None else len(text))
    highlighted = sum(ev.highlighted for fact in facts if fact.kind is not Kind.flagged for ev in fact.evidence)
    note = None
    if text is None:
        note = (
            "The article's text was not stored with this summary (it was made before review pages existed), "
            "so its evidence cannot be shown in place; the facts and their evidence are listed."
        )
    prov = summary.provenance
    provenance = [
        ("model", f"{prov.model} ({prov.backend})"),
        ("prompt", f"{prov.prompt_name} {prov.prompt_version}"),
        ("cache hit", "yes" if prov.cache_hit else "no"),
        ("made", prov.created_at.isoformat(timespec="seconds")),
        ("served", prov.served_at.isoformat(timespec="seconds")),
        ("model time", f"{prov.llm_latency_ms / 1000:.1f} s"),
        ("attempts", str(prov.attempts)),
        ("tokens", str(prov.usage.total_tokens)),
        ("schema", f"v{prov.schema_version}"),
        ("rules", prov.rules_sha256[:12] if prov.rules_sha256 else "not recorded (made before schema v3)"),
        ("summarizer", prov.summarizer_version),
        ("id", summary.id),
    ]
    return {
        "standalone": standalone,
        "summary": summary,
        "facts": facts,
        "segments": segments(text, facts) if text is not None else [],
        "counts": {"facts": sum(f.kind is not Kind.flagged for f in facts), "highlighted": highlighted},
        "text_note": note,
        "provenance": provenance,
    }


def list_context(summaries: list[ArticleSummary], *, q: str, offset: int, total: int, page_size: int) -> dict[str, Any]:
    """The list of stored summaries (newest first), one page of ``page_size`` from ``offset``."""
    rows = [
        {
            "id": s.id,
            "title": s.article.title or s.summary[:120] or s.id,
            "source": s.article.source or "",
            "model": s.provenance.model,
            "prompt": s.provenance.prompt_version,
            "stored": s.provenance.served_at.isoformat(timespec="minutes"),
            "facts": len(s.actors) + len(s.actions) + len(s.casualties) + len(s.statements),
            "grounded": s.grounding.grounded,
            "fuzzy": s.grounding.fuzzy,
            "ungrounded": s.grounding.ungrounded,
        }
        for s in summaries
    ]
    previous = max(offset - page_size, 0) if offset > 0 else None
    following = offset + page_size if offset + page_size < total else None
    return {"rows": rows, "q": q, "total": total, "offset": offset, "previous": previous, "next": following}


def story_context(story_set: StorySet, *, standalone: bool = False) -> dict[str, Any]:
    """A story set's page: each story with its reports, the reasons that link them, and its ledger."""
    stories = [
        {
            "anchor": f"story-{index}",  # story ids need not be unique within a set: the anchor is
            "story": story,
            "ledger": [(line, chart_of(line)) for line in story.ledger],
        }
        for index, story in enumerate(story_set.stories, start=1)
    ]
    return {"standalone": standalone, "story_set": story_set, "stories": stories}
