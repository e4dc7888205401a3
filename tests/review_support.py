"""Summaries for the review page tests: seed 000 from its recorded answers, and hand-made hostile ones."""

from __future__ import annotations

from datetime import date

from summarizer import Summarizer
from summarizer.api.storage import open_result_store
from summarizer.extraction import ActorKind
from summarizer.schema import (
    Actor,
    ArticleMeta,
    ArticleSummary,
    Evidence,
    EvidenceReason,
    GroundingStatus,
    QuoteCheck,
)
from summarizer.settings import Settings
from summarizer.stories import StorySet, link_stories
from summarizer.stories.inputs import ArticleInfo
from tests import eval_helpers as make
from tests.conftest import SEEDS

# Everything a page must show as text and never run: scripts, handlers, javascript: links, element ends.
XSS_ARTICLE = (
    "<script>window.__xss = 1; alert('script')</script>\n"
    'Militants <img src=x onerror="window.__xss = 2; alert(2)"> attacked a checkpoint near Kirkuk.\n'
    'Read <a href="javascript:alert(3)">the full report</a> here. </textarea><svg onload=alert(4)></pre>\n'
    "\u201cWe will </script><script>alert(5)</script> respond,\u201d the minister said.\n"
    "Five soldiers were killed in the attack.\n"
)
XSS_TITLE = "</title><script>alert('title')</script>"


def located(article: str, snippet: str, status: GroundingStatus = GroundingStatus.grounded) -> Evidence:
    """Evidence at ``snippet``'s place in ``article`` with the given status (the grounder's shape)."""
    start = article.index(snippet)
    reason = {
        GroundingStatus.grounded: EvidenceReason.exact,
        GroundingStatus.fuzzy: EvidenceReason.near_match,
        GroundingStatus.ungrounded: EvidenceReason.counts_something_else,
    }[status]
    score = 1.0 if status is GroundingStatus.grounded else 0.9
    return Evidence(text=snippet, status=status, start=start, end=start + len(snippet), score=score, reason=reason)


def xss_summary() -> ArticleSummary:
    """Hostile article text and hostile model output, every kind of fact, grounded, fuzzy and ungrounded."""
    text = XSS_ARTICLE
    militants = Actor(
        name="<img src=x onerror=alert('actor')>",
        kind=ActorKind.armed_group,
        aliases=["</textarea><script>alert('alias')</script>"],
        evidence=located(text, 'Militants <img src=x onerror="window.__xss = 2; alert(2)">'),
    )
    minister = make.actor("minister", article=text)
    attack = make.action(["Militants"], ["a checkpoint"], location="javascript:alert('location')")
    attack = attack.model_copy(
        update={"evidence": located(text, "attacked a checkpoint near Kirkuk", GroundingStatus.fuzzy)}
    )
    killed = make.casualty("soldiers", "killed", 5, text="Five", article=text)
    killed = killed.model_copy(update={"evidence": located(text, "Five soldiers were killed in the attack.")})
    quote = make.statement(
        "the minister",
        "We will </script><script>alert(5)</script> respond,",
        QuoteCheck.verbatim_found,
        article=text,
    )
    link = make.statement("<b>nobody</b>", 'Read <a href="javascript:alert(3)">the full report</a>')
    link = link.model_copy(
        update={"evidence": located(text, "</textarea><svg onload=alert(4)>", GroundingStatus.ungrounded)}
    )
    summary = make.summary([militants, minister], [attack], [killed], [quote, link], article_text=text)
    return summary.model_copy(
        update={
            "id": "sum_xss",
            "summary": "<script>alert('summary')</script> Militants attacked.",
            "article": ArticleMeta(title=XSS_TITLE, url="javascript:alert('url')", source="<i>Hostile</i>"),
        }
    )


def seed_summary(settings: Settings) -> tuple[ArticleSummary, str]:
    """Seed 000 summarized by the replay backend (its recorded answers), and its text."""
    text = SEEDS[0].read_text(encoding="utf-8")
    return Summarizer(settings).summarize(text), text


_SEEDS: dict[str, tuple[ArticleSummary, str]] = {}


def seed_story_set(settings: Settings) -> StorySet:
    """The five seeds (recorded answers) linked into stories, stored with their summaries and texts."""
    if not _SEEDS:
        summarizer = Summarizer(settings)
        for seed in SEEDS:
            text = seed.read_text(encoding="utf-8")
            _SEEDS[seed.stem] = (summarizer.summarize(text), text)
    published = {
        "000": "2019-12-31",
        "001": "2020-01-03",
        "002": "2019-12-30",
        "003": "2024-01-24",
        "004": "2020-12-21",
    }
    info = {name: ArticleInfo(published_at=date.fromisoformat(published[name[:3]])) for name in _SEEDS}
    summaries = [summary for summary, _ in _SEEDS.values()]
    story_set = link_stories(summaries, articles=list(_SEEDS), info=info)
    results = open_result_store(settings)
    for summary, text in _SEEDS.values():
        results.put(summary, text=text)
    results.put_story_set(story_set.id, story_set.model_dump_json())
    return story_set


def store(settings: Settings, summary: ArticleSummary, text: str) -> None:
    """Put ``summary`` and its article in the store the app of ``settings`` reads."""
    open_result_store(settings).put(summary, text=text)


def highlighted_evidence(summary: ArticleSummary) -> int:
    """What the page must highlight: the grounded and fuzzy evidence the summary itself counts."""
    return summary.grounding.grounded + summary.grounding.fuzzy
