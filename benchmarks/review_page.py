"""Weight and server render time of a summary review page, on the longest article of the news corpus.

The summary is built by hand and denser than any the model makes: an action on every sentence, an
actor on every capitalized name, a casualty on every number (with its count phrase), a statement on
every quotation; so the spans overlap everywhere. It is stored with its article, and a uvicorn server
(one worker, 127.0.0.1, replay backend) serves GET /review/summaries/{id}; the client times each
request end to end. Also times the rendering alone (context and template, no HTTP). Targets: a page
under 200 kB, served in under 50 ms.

    python benchmarks/review_page.py [--requests 200] [--corpus ../shared/corpus/news]
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx2

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from summarizer.api.store import ResultStore  # noqa: E402
from summarizer.extraction import ActionType, ActorKind, Modality, Outcome  # noqa: E402
from summarizer.review.pages import SUMMARY_TEMPLATE, summary_context  # noqa: E402
from summarizer.review.render import render  # noqa: E402
from summarizer.schema import (  # noqa: E402
    Action,
    Actor,
    ArticleSummary,
    Casualty,
    Count,
    Evidence,
    EvidenceReason,
    GroundingStatus,
    QuoteCheck,
    SpeakerCheck,
    Statement,
)
from summarizer.settings import Settings  # noqa: E402
from tests import eval_helpers  # noqa: E402
from tests.api_support import build_app, live_server  # noqa: E402

SENTENCE = re.compile(r"[^.!?\n]+[.!?]")
NAME = re.compile(r"\b[A-Z][a-z]+(?: [A-Z][a-z]+)*")
NUMBER = re.compile(r"\b\d[\d,]*\b")
QUOTE = re.compile(r"[“\"]([^”\"]{10,300})[”\"]")


def at(text: str, start: int, end: int, status: GroundingStatus = GroundingStatus.grounded) -> Evidence:
    reason = EvidenceReason.exact if status is GroundingStatus.grounded else EvidenceReason.near_match
    return Evidence(text=text[start:end], status=status, start=start, end=end, score=1.0, reason=reason)


def dense_summary(text: str) -> ArticleSummary:
    sentences = [m.span() for m in SENTENCE.finditer(text)]
    actors = [Actor(name=m.group(), kind=ActorKind.other, evidence=at(text, *m.span())) for m in NAME.finditer(text)]
    actions = [
        Action(
            actors=["someone"],
            type=ActionType.attack,
            modality=Modality.actual,
            evidence=at(text, s, e, GroundingStatus.fuzzy if i % 3 == 0 else GroundingStatus.grounded),
        )
        for i, (s, e) in enumerate(sentences)
    ]
    casualties = []
    for m in NUMBER.finditer(text):
        sentence = next(((s, e) for s, e in sentences if s <= m.start() < e), m.span())
        count = Count(text=m.group(), low=1, high=1, evidence=at(text, *m.span()))
        casualties.append(Casualty(victims="people", outcome=Outcome.killed, count=count, evidence=at(text, *sentence)))
    statements = [
        Statement(
            speaker="someone",
            text=m.group(1),
            verbatim=True,
            quote_check=QuoteCheck.verbatim_found,
            speaker_check=SpeakerCheck.unknown,
            evidence=at(text, *m.span(1)),
        )
        for m in QUOTE.finditer(text)
    ]
    summary = eval_helpers.summary(actors, actions, casualties, statements, article_text=text)
    return summary.model_copy(update={"id": "sum_benchmark"})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus" / "news")
    args = parser.parse_args()
    article = max(args.corpus.glob("*.txt"), key=lambda p: p.stat().st_size)
    text = article.read_text(encoding="utf-8")
    summary = dense_summary(text)
    facts = len(summary.actors) + len(summary.actions) + len(summary.casualties) + len(summary.statements)
    print(
        f"article: {article.name}, {len(text.encode('utf-8'))} bytes; hand-built summary: {facts} facts, "
        f"{summary.grounding.grounded + summary.grounding.fuzzy} pieces of evidence highlighted"
    )

    renders = []
    for _ in range(args.requests):
        started = time.perf_counter()
        render(SUMMARY_TEMPLATE, summary_context(summary, text))
        renders.append((time.perf_counter() - started) * 1000)

    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(
            backend="replay",
            data_dir=Path(tmp),
            replay_dir=ROOT / "tests" / "recordings",
            api_rate_limit_per_minute=1_000_000,  # measure rendering, not the rate limiter
        )
        ResultStore(settings.resolved_store_path()).put(summary, text=text)
        with live_server(build_app(settings)) as base, httpx2.Client(base_url=base) as client:
            url = f"/review/summaries/{summary.id}"
            page = client.get(url)
            page.raise_for_status()
            served = []
            for _ in range(args.requests):
                started = time.perf_counter()
                client.get(url).raise_for_status()
                served.append((time.perf_counter() - started) * 1000)

    weight = len(page.content)
    served.sort()
    print(f"page weight: {weight / 1000:.1f} kB ({weight} bytes; target < 200 kB)")
    print(
        f"served (GET, end to end, {args.requests} requests): median {statistics.median(served):.1f} ms, "
        f"p95 {served[int(len(served) * 0.95) - 1]:.1f} ms (target < 50 ms)"
    )
    print(f"rendering alone (context + template): median {statistics.median(renders):.1f} ms")


if __name__ == "__main__":
    main()
