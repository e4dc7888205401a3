"""Summarize many articles resumably: ``summarizer batch`` and the engine a REST job runner drives.

inputs.py     folder / JSONL / stdin → items with stable ids
store.py      output + journal + failures files: atomic appends, recovery, resume
ratelimit.py  requests/tokens-per-minute buckets on every HTTP request, Retry-After pauses
work.py       one article on a worker thread → an outcome
engine.py     BatchJob + BatchRunner: the bounded pool and the single writer
progress.py   rich progress bar or plain lines, and the final report
cli.py        the typer command
"""

from summarizer.batch.engine import BatchJob, BatchRunner
from summarizer.batch.stats import BatchReport, BatchStats, BatchStatus
from summarizer.batch.store import BatchPaths, iter_results

__all__ = ["BatchJob", "BatchPaths", "BatchReport", "BatchRunner", "BatchStats", "BatchStatus", "iter_results"]
