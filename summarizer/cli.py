"""The ``summarizer`` command: a thin face over the pipeline.

Errors the user can act on (bad input, no backend, bad settings) print one line on stderr and exit
non-zero: 2 for bad input or configuration, 1 for backend and extraction failures.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator, Sized
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, ClassVar

import typer

from summarizer.console import configure_logging, fail, settings_or_fail, stderr
from summarizer.db.cli import db_app
from summarizer.errors import ConfigError, InputError, SummarizerError
from summarizer.export.cli import export_app
from summarizer.lazy_commands import LazyCommand, LazyGroup
from summarizer.rules.cli import rules_app

if TYPE_CHECKING:
    from summarizer.prompts import PromptLibrary

# Imports of the pipeline, the schema models and the prompts live in the commands that use them:
# `summarizer --help` loads typer, rich and this file only.


class _Commands(LazyGroup):
    """Commands whose modules are imported when they run; one line each (their modules own their code)."""

    lazy_commands: ClassVar[dict[str, LazyCommand]] = {
        "batch": LazyCommand(
            "summarizer.batch.cli:batch_command", "Summarize every article of INPUT into OUT (JSONL), resumably."
        ),
        "stories": LazyCommand(
            "summarizer.stories.cli:stories_command",
            "Link the events of many articles into stories, with each story's casualty ledger.",
        ),
        "eval": LazyCommand(
            "summarizer.evaluation.cli:eval_command",
            "Score summaries against gold fact lists: recall per kind, precision of casualties and speakers, "
            "grounding.",
        ),
        "review": LazyCommand(
            "summarizer.review.cli:review_command",
            "Write a summary's review page (evidence highlighted on its article) as one self-contained HTML file.",
        ),
        "explain": LazyCommand(
            "summarizer.rules.cli:explain_command",
            "Print each fact of an article's summary with the rules behind it, and the candidates the rules dropped.",
        ),
        "diff": LazyCommand(
            "summarizer.rules.cli:diff_command",
            "Compare two sets of summaries of the same articles fact by fact, with the rules behind each fact.",
        ),
    }


app = typer.Typer(
    cls=_Commands,
    help="Turn conflict and politics news into structured, grounded summaries.",
    no_args_is_help=True,
)
schemas_app = typer.Typer(help="The committed JSON Schema files.", no_args_is_help=True)
prompts_app = typer.Typer(help="Prompt templates on disk.", no_args_is_help=True)
app.add_typer(schemas_app, name="schemas")
app.add_typer(prompts_app, name="prompts")
app.add_typer(rules_app, name="rules")
app.add_typer(db_app, name="db")
app.add_typer(export_app, name="export")


def read_article(file: str) -> tuple[str, str]:
    """The article's text and a name for messages; every failure is a one-line ``InputError``."""
    from summarizer.article import decode_article

    if file == "-":
        return decode_article(sys.stdin.buffer.read(), origin="<stdin>"), "<stdin>"
    return decode_article(_read_bytes(file), origin=file), file


def _read_bytes(file: str) -> bytes:
    path = Path(file)
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise InputError("no such file", origin=file) from None
    except IsADirectoryError:
        raise InputError("is a directory, not an article file", origin=file) from None
    except PermissionError:
        raise InputError("permission denied", origin=file) from None
    except OSError as exc:
        raise InputError(f"cannot be read: {exc.strerror}", origin=file) from None


@app.command()
def summarize(
    file: Annotated[
        str | None,
        typer.Argument(help="Article text file (UTF-8), a saved web page (.html), or - for standard input"),
    ] = None,
    url: Annotated[
        str | None, typer.Option("--url", help="Fetch the article's web page and summarize its article")
    ] = None,
    pretty: Annotated[bool, typer.Option("--pretty", help="Indent the JSON")] = False,
    prompt_version: Annotated[
        str | None, typer.Option(help="Prompt version, e.g. v1 (default: prompts/defaults.toml)")
    ] = None,
    model: Annotated[str | None, typer.Option(help="Model name (SUMMARIZER_MODEL)")] = None,
    base_url: Annotated[str | None, typer.Option(help="OpenAI-compatible endpoint (SUMMARIZER_BASE_URL)")] = None,
    backend: Annotated[str | None, typer.Option(help="auto, openai, embedded or replay (SUMMARIZER_BACKEND)")] = None,
    title: Annotated[str | None, typer.Option(help="The article's title, if it is not in the text")] = None,
    no_cache: Annotated[bool, typer.Option("--no-cache", help="Neither read nor write the cache")] = False,
    refresh: Annotated[bool, typer.Option("--refresh", help="Ignore a cached result and overwrite it")] = False,
) -> None:
    """Summarize one article and print the summary as JSON."""
    configure_logging()
    settings = settings_or_fail(model=model, base_url=base_url, backend=backend)
    from summarizer.pipeline import Summarizer  # after settings: keeps --help fast
    from summarizer.schema import ArticleMeta
    from summarizer.webpage import fetch_page, is_html, read_page

    if (file is None) == (url is None):
        fail("give one article: a FILE (or - for standard input), or --url URL")
    try:
        article: ArticleMeta | None = None
        if url is not None or (file is not None and is_html(file)):
            page = fetch_page(url) if url is not None else read_page(_read_bytes(str(file)), origin=file)
            text, origin = page.text, url or str(file)
            article = ArticleMeta(**page.metadata({"title": title}))
            title = article.title
        else:
            text, origin = read_article(str(file))
        summarizer = Summarizer(settings)
        backend_name = summarizer.llm.backend
        status = f"Summarizing {origin} with {summarizer.llm.model} ({backend_name})"
        if backend_name == "embedded":
            status += " — about 20 seconds on a 2-core CPU"
        with _status(status + " …"):
            result = summarizer.summarize(
                text,
                title=title,
                article=article,
                prompt_version=prompt_version,
                use_cache=not no_cache,
                refresh=refresh,
                origin=origin,
            )
    except (InputError, ConfigError) as exc:
        fail(str(exc), code=2)
    except SummarizerError as exc:
        fail(str(exc), code=1)
    except KeyboardInterrupt:
        fail("interrupted", code=130)
    sys.stdout.write(result.model_dump_json(indent=2 if pretty else None) + "\n")
    prov = result.provenance
    source_note = "cache hit" if prov.cache_hit else f"{prov.usage.completion_tokens} tokens generated"
    stderr.print(
        f"summarizer: {_count(result.actors, 'actor')}, {_count(result.actions, 'action')}, "
        f"{_count(result.casualties, 'casualty figure')}, {_count(result.statements, 'statement')}; "
        f"{result.grounding.ungrounded} of {result.grounding.facts} snippets ungrounded; "
        f"{prov.latency_ms / 1000:.2f} s ({source_note})",
        highlight=False,
        soft_wrap=True,
    )


def _count(items: Sized, noun: str) -> str:
    return f"{len(items)} {noun}{'' if len(items) == 1 else 's'}"


@contextmanager
def _status(message: str) -> Iterator[None]:
    """A spinner on a terminal; one plain line otherwise (logs, CI), so a slow run is never silent."""
    if stderr.is_terminal:
        with stderr.status(message):
            yield
    else:
        stderr.print(f"summarizer: {message}", highlight=False, soft_wrap=True)
        yield


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port")] = 8000,
    workers: Annotated[int, typer.Option(min=1, help="Worker processes (each loads its own embedded model)")] = 1,
    backend: Annotated[str | None, typer.Option(help="auto, openai, embedded or replay (SUMMARIZER_BACKEND)")] = None,
) -> None:
    """Start the REST API (Litestar on uvicorn); OpenAPI docs at /docs."""
    import os

    import uvicorn

    from summarizer.api.app import server_options
    from summarizer.api.storage import check_storage
    from summarizer.errors import StorageError

    if backend is not None:
        os.environ["SUMMARIZER_BACKEND"] = backend  # workers are separate processes: they read the environment
    settings = settings_or_fail()
    try:
        check_storage(settings)
    except StorageError as exc:
        fail(f"cannot serve: {exc}; fix it, or point SUMMARIZER_DATA_DIR / SUMMARIZER_API_STORE_PATH elsewhere")
    if settings.resolved_backend() == "embedded" and workers > 1:
        stderr.print(
            "summarizer: warning: every worker loads its own embedded model (2.1 GB each) and they share the CPU; "
            "one worker with its queue is faster on a small machine",
            highlight=False,
        )
    stderr.print(
        f"summarizer: serving on http://{host}:{port} (docs at /docs) with the {settings.resolved_backend()} backend",
        highlight=False,
    )
    uvicorn.run(
        "summarizer.api.app:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        **server_options(),
    )


@schemas_app.command("export")
def schemas_export(
    directory: Annotated[Path, typer.Option("--dir", help="Where the schema files live")] = Path("schemas"),
) -> None:
    """Regenerate the JSON Schema files of the current schema versions from the models."""
    from summarizer import schema_files

    for path in schema_files.export(directory):
        typer.echo(f"wrote {path}")


@schemas_app.command("check")
def schemas_check(
    directory: Annotated[Path, typer.Option("--dir", help="Where the schema files live")] = Path("schemas"),
) -> None:
    """Exit non-zero if a committed schema file has drifted from the models."""
    from summarizer import schema_files

    problem = schema_files.drift(directory)
    if problem:
        fail(problem, code=1)
    typer.echo(f"{', '.join(str(directory / name) for name in schema_files.current_schemas())} match the models")


def _library(directory: Path | None) -> PromptLibrary:
    from summarizer.prompts import PromptLibrary, bundled_prompts_dir

    try:
        return PromptLibrary(directory or bundled_prompts_dir())
    except SummarizerError as exc:
        fail(str(exc))


@prompts_app.command("list")
def prompts_list(directory: Annotated[Path | None, typer.Option("--dir")] = None) -> None:
    """List prompt names, versions and descriptions."""
    library = _library(directory)
    for (name, version), prompt in sorted(library.prompts.items()):
        backends = [b for b, v in library.defaults.get(name, {}).items() if v == version]
        default = f" (default{'' if backends == ['*'] else ' for ' + ', '.join(backends)})" if backends else ""
        typer.echo(f"{name}/{version}{default}: {prompt.meta.description}")


@prompts_app.command("lock")
def prompts_lock(directory: Annotated[Path, typer.Option("--dir")] = Path("prompts")) -> None:
    """Record the hash of every new prompt version; refuses if a released version was edited."""
    library = _library(directory)
    try:
        added = library.write_lock()
    except SummarizerError as exc:
        fail(str(exc), code=1)
    typer.echo(f"locked {', '.join(added)}" if added else "nothing new to lock")


if __name__ == "__main__":
    app()
