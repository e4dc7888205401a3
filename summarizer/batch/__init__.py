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

from importlib import import_module
from typing import TYPE_CHECKING, Any

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


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'summarizer.batch' has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value
    return value


if TYPE_CHECKING:
    from summarizer.batch.engine import BatchJob as BatchJob
    from summarizer.batch.engine import BatchRunner as BatchRunner
    from summarizer.batch.stats import BatchReport as BatchReport
    from summarizer.batch.stats import BatchStats as BatchStats
    from summarizer.batch.stats import BatchStatus as BatchStatus
    from summarizer.batch.store import BatchPaths as BatchPaths
    from summarizer.batch.store import iter_results as iter_results
