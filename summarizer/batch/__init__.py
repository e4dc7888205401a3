"""Summarize many articles resumably: ``summarizer batch`` and the engine a REST job runner drives.

inputs.py     folder / JSONL / stdin → items with stable ids
store.py      output + journal + failures files: atomic appends, recovery, resume
ratelimit.py  requests/tokens-per-minute buckets on every HTTP request, Retry-After pauses
work.py       one article on a worker thread → an outcome
engine.py     BatchJob + BatchRunner: the bounded pool and the single writer
progress.py   rich progress bar or plain lines, and the final report
cli.py        the typer command

The package is lazy like ``summarizer`` itself (PEP 562): ``summarizer batch --help`` loads no model client.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from summarizer import _lazy_exports

_EXPORTS = {
    "BatchJob": "summarizer.batch.engine",
    "BatchRunner": "summarizer.batch.engine",
    "BatchReport": "summarizer.batch.stats",
    "BatchStats": "summarizer.batch.stats",
    "BatchStatus": "summarizer.batch.stats",
    "BatchPaths": "summarizer.batch.store",
    "iter_results": "summarizer.batch.store",
}
__all__ = list(_EXPORTS)


__getattr__, __dir__ = _lazy_exports(__name__, _EXPORTS, globals())


if TYPE_CHECKING:
    from summarizer.batch.engine import BatchJob as BatchJob
    from summarizer.batch.engine import BatchRunner as BatchRunner
    from summarizer.batch.stats import BatchReport as BatchReport
    from summarizer.batch.stats import BatchStats as BatchStats
    from summarizer.batch.stats import BatchStatus as BatchStatus
    from summarizer.batch.store import BatchPaths as BatchPaths
    from summarizer.batch.store import iter_results as iter_results
