"""Evaluation against gold fact lists: how much of what an article says a summary captures.

``gold`` reads the gold files, ``matching`` holds the format's matching rules, ``scoring`` scores one
summary, ``run`` evaluates a set of articles, ``report`` is the JSON report, ``cli`` the command.
"""

from summarizer.evaluation.gold import GoldError, GoldFile, load_gold, load_gold_dir
from summarizer.evaluation.report import EvalReport, compare, read_report, write_report
from summarizer.evaluation.scoring import ArticleScore, Scores, score_article

__all__ = [
    "ArticleScore",
    "EvalReport",
    "GoldError",
    "GoldFile",
    "Scores",
    "compare",
    "load_gold",
    "load_gold_dir",
    "read_report",
    "score_article",
    "write_report",
]
