"""The batch-API engine: the same articles, strategies and assembly as a live run, answered by a provider's
batch API (OpenAI's ``/v1/files`` + ``/v1/batches``, or vLLM's offline ``run_batch`` on the same files).

A run is a few passes over the unfinished articles, each through the live pipeline (``Summarizer``):

1. every call a strategy makes goes to ``BatchLLM`` (``collect.py``), whose HTTP transport serves the
   answers already downloaded (``answers.py``). A call without one is recorded (the exact body a live
   call would POST, with a ``custom_id`` from the article's cache key and the call, ``requests.py``)
   and answered with a placeholder so the strategy goes on to its other calls; such a run is thrown
   away (never cached, never written).
2. the recorded requests are written as OpenAI Batch input JSONL, split at the provider's limits,
   uploaded and submitted (``provider.py``); every remote id is journaled first (``state.py``), so a
   killed run re-attaches to its batches instead of paying twice.
3. the engine polls until the batches end, downloads their output and error files, and runs the pass
   again. An article whose calls are all answered finishes exactly as in a live run: the strategy runs
   on the real answers, the result is cached under the live key, validated and written to the same
   output, journal and failures files (``engine.py``).

Rounds: a strategy whose calls do not depend on earlier answers needs one round ("steps": one call per
prompt step; "candidates": one question per candidate, all planned before the first answer). An answer
that fails validation is re-asked with instructor's message, as live: one more round per re-ask (at
most ``max_validation_retries``).
"""
