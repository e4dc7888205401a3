"""``summarizer batch INPUT --out OUT.jsonl``: the command-line face of the batch engine."""

from __future__ import annotations

import shlex
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Annotated

import typer
from pydantic import ValidationError

from summarizer.batch.inputs import InputPathError
from summarizer.batch.progress import Reporter, final_report
from summarizer.batch.remote.requests import MAX_FILE_BYTES, MAX_FILE_REQUESTS
from summarizer.batch.stats import EXIT_ABORTED, EXIT_INTERRUPTED, EXIT_USAGE
from summarizer.batch.store import StoreError
from summarizer.console import configure_logging, fail, settings_or_fail, stderr
from summarizer.errors import ConfigError, SummarizerError

if TYPE_CHECKING:
    from summarizer.batch.engine import BatchJob, BatchRunner
    from summarizer.settings import Settings

_HELP = (
    "Summarize every article of INPUT into OUT (JSONL), resumably.\n\n"
    "INPUT is a folder of .txt/.md files, a JSONL file with one object per line "
    '({"id", "text", "title", "url"}; only "text" is required), or - for JSONL on standard input.\n\n'
    "Each line of OUT is one summary that validates against the committed JSON Schema; the journal next to "
    "it (<OUT stem>.journal.jsonl) says which article each line is. Articles that cannot be summarized go "
    "to the failures file with the reason. Killed or interrupted, the same command continues where it "
    "stopped.\n\n"
    "--engine batch-api sends every request through the provider's batch API instead (half the price at "
    "OpenAI, answers within 24 hours): the same results, files and resume; the batch input files stay in "
    "<OUT stem>.batches/ (vLLM's run_batch reads them too).\n\n"
    "Exit codes: 0 all done, 1 some articles failed, 2 bad usage or input path, 3 stopped because no "
    "article could succeed (backend unreachable, key refused), 130 interrupted."
)


@contextmanager
def _signals(runner: BatchRunner) -> Iterator[None]:
    """Ctrl-C (or SIGTERM) once: finish the articles in flight and stop; twice: stop now. Never mid-write."""

    def handle(signum: int, frame: FrameType | None) -> None:
        if runner.stopping:
            runner.abandon()
        else:
            runner.stop()

    if threading.current_thread() is not threading.main_thread():  # only the main thread may set handlers
        yield
        return
    previous = {sig: signal.signal(sig, handle) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)


def _runner(job: BatchJob, settings: Settings, reporter: Reporter) -> BatchRunner:
    if job.engine == "batch-api":
        from summarizer.batch.remote.engine import RemoteBatchRunner  # the openai client: only when used

        return RemoteBatchRunner(job, settings, on_progress=reporter.update, on_notice=reporter.notice)
    from summarizer.batch.engine import BatchRunner  # the pipeline: only when a batch runs, not for --help

    return BatchRunner(job, settings, on_progress=reporter.update, on_notice=reporter.notice)


def batch_command(
    input: Annotated[
        str, typer.Argument(metavar="INPUT", help="Folder of .txt/.md files, a JSONL file, or - for JSONL on stdin")
    ],
    out: Annotated[Path, typer.Option("--out", "-o", help="Output JSONL file (created or resumed)")],
    failures: Annotated[
        Path | None, typer.Option(help="Failures JSONL (default: <OUT stem>.failures.jsonl next to OUT)")
    ] = None,
    concurrency: Annotated[
        int | None,
        typer.Option(
            "--concurrency",
            "-j",
            min=1,
            help="Articles in flight (default: 1 embedded model, 8 endpoint, more if --rpm/--tpm need it)",
        ),
    ] = None,
    rpm: Annotated[
        float | None, typer.Option("--rpm", min=0.001, help="The provider's requests-per-minute limit")
    ] = None,
    tpm: Annotated[float | None, typer.Option("--tpm", min=1, help="The provider's tokens-per-minute limit")] = None,
    retry_failed: Annotated[
        bool, typer.Option("--retry-failed", help="Retry the articles in the failures file (it is kept as .prev)")
    ] = False,
    fresh: Annotated[bool, typer.Option("--fresh", help="Discard OUT, its journal and failures, start over")] = False,
    prompt_version: Annotated[str | None, typer.Option(help="Prompt version, e.g. v1")] = None,
    model: Annotated[str | None, typer.Option(help="Model name (SUMMARIZER_MODEL)")] = None,
    base_url: Annotated[str | None, typer.Option(help="OpenAI-compatible endpoint (SUMMARIZER_BASE_URL)")] = None,
    backend: Annotated[str | None, typer.Option(help="auto, openai, embedded or replay (SUMMARIZER_BACKEND)")] = None,
    no_cache: Annotated[bool, typer.Option("--no-cache", help="Neither read nor write the cache")] = False,
    refresh: Annotated[bool, typer.Option("--refresh", help="Ignore cached results and overwrite them")] = False,
    progress_interval: Annotated[
        float, typer.Option(min=0.1, help="Seconds between progress lines when stderr is not a terminal")
    ] = 10.0,
    engine: Annotated[
        str,
        typer.Option(
            help="live: ask the endpoint article by article; batch-api: submit every request through the "
            "provider's batch API (/v1/files + /v1/batches), poll, and assemble the answers"
        ),
    ] = "live",
    poll_interval: Annotated[float, typer.Option(min=0.01, help="batch-api: seconds between polls")] = 30.0,
    max_file_requests: Annotated[
        int, typer.Option(min=1, help="batch-api: requests per input file (OpenAI: 50,000)")
    ] = MAX_FILE_REQUESTS,
    max_file_bytes: Annotated[
        int, typer.Option(min=1024, help="batch-api: bytes per input file (OpenAI: 200 MB)")
    ] = MAX_FILE_BYTES,
    submit: Annotated[
        bool,
        typer.Option(
            "--submit/--no-submit",
            help="batch-api: --no-submit writes the requests still to answer to <OUT stem>.batches/offline-*.jsonl "
            "(for vLLM's run_batch) and stops",
        ),
    ] = True,
    answers: Annotated[
        list[Path] | None,
        typer.Option(
            "--answers", help="batch-api: a batch output file answered elsewhere (vLLM run_batch); repeatable"
        ),
    ] = None,
) -> None:
    configure_logging()
    console = stderr
    settings = settings_or_fail(model=model, base_url=base_url, backend=backend)
    try:
        from summarizer.batch.engine import BatchJob

        job = BatchJob(
            input=input,
            out=out,
            failures=failures,
            concurrency=concurrency,
            rpm=rpm,
            tpm=tpm,
            use_cache=not no_cache,
            refresh=refresh,
            prompt_version=prompt_version,
            retry_failed=retry_failed,
            fresh=fresh,
            engine=engine,
            poll_interval_s=poll_interval,
            max_file_requests=max_file_requests,
            max_file_bytes=max_file_bytes,
            submit=submit,
            answers=answers or [],
        )
    except ValidationError as exc:
        fail(str(exc.errors()[0]["msg"]), EXIT_USAGE)
    resume = shlex.join(
        ["summarizer", "batch", input, "--out", str(out)]
        + (["--failures", str(failures)] if failures else [])
        + (["--engine", engine] if engine != "live" else [])
    )
    reporter = Reporter(console, interval_s=progress_interval)
    try:
        runner = _runner(job, settings, reporter)
        with reporter, _signals(runner):
            report = runner.run()
    except (InputPathError, StoreError, ConfigError) as exc:
        fail(str(exc), EXIT_USAGE)
    except SummarizerError as exc:
        fail(str(exc), EXIT_ABORTED)
    except OSError as exc:  # the disk filled up or went away mid-run: what was written is intact
        fail(f"cannot write the results: {exc}; once fixed, resume with: {resume}", EXIT_ABORTED)
    except KeyboardInterrupt:  # before the batch's own handler was set: nothing was written yet
        fail("interrupted before the batch started", EXIT_INTERRUPTED)
    for line in final_report(report, resume_hint=resume):
        console.print(f"summarizer: {line}", markup=False, highlight=False, soft_wrap=True)
    raise typer.Exit(report.exit_code)


batch_command.__doc__ = _HELP
