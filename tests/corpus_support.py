"""The 25 corpus articles (tests/data/seeds and news) summarized once per test run with the recorded
answers, for every test that reads the whole corpus's summaries."""

from __future__ import annotations

import tempfile
from functools import cache
from pathlib import Path

from summarizer import Summarizer
from summarizer.schema import ArticleMeta, ArticleSummary
from summarizer.settings import Settings
from tests.conftest import RECORDINGS

DATA = Path(__file__).parent / "data"
ARTICLES = sorted([*(DATA / "seeds").glob("*.txt"), *(DATA / "news").glob("*.txt")])


@cache
def corpus_summaries() -> dict[str, tuple[str, ArticleSummary]]:
    """Article file name -> (its text, its summary, the article's id being the file name)."""
    data_dir = Path(tempfile.mkdtemp(prefix="summarizer-corpus-"))
    summarizer = Summarizer(Settings(data_dir=data_dir, backend="replay", replay_dir=RECORDINGS))
    made = {}
    for path in ARTICLES:
        text = path.read_text(encoding="utf-8")
        made[path.name] = (text, summarizer.summarize(text, article=ArticleMeta(id=path.name), use_cache=False))
    return made
