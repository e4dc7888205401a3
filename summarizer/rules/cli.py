"""``summarizer rules list|stats``, ``summarizer explain`` and ``summarizer diff``: the rules seen from the
outside. Heavy imports (spaCy, the pipeline) happen in the commands, not here: ``summarizer --help``
imports this module."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from summarizer.console import configure_logging, fail, settings_or_fail, stderr
from summarizer.errors import ConfigError, InputError, SummarizerError

if TYPE_CHECKING:
    from summarizer.schema import ArticleSummary

rules_app = typer.Typer(help="The finders' rules: list them, and see how they do over a set of articles.")


@rules_app.command("list")
def rules_list(
    finder: Annotated[str | None, typer.Option(help="Only this finder's rules (figures, events, ...)")] = None,
) -> None:
    """List every rule: its id, what it does, the slots it fills, and its purpose."""
    from summarizer.rules.loader import rules, rules_sha256

    found = rules()
    for rule_id, spec in found.by_id.items():
        if finder is not None and found.finder_of[rule_id] != finder:
            continue
        slots = f" [{', '.join(s.value for s in spec.slots)}]" if spec.slots else ""
        pattern = f" ({spec.kind})" if spec.kind != "sieve" else ""
        typer.echo(f"{rule_id}: {spec.acts}{slots}{pattern}: {spec.purpose}")
    stderr.print(
        f"summarizer: {len(found.by_id)} rules, {len(found.classes)} word classes; rules sha256 {rules_sha256()}"
    )


@rules_app.command("stats")
def rules_stats(
    source: Annotated[
        Path,
        typer.Argument(help="Articles (a folder of .txt/.md, or a JSONL with text) or summaries (batch output JSONL)"),
    ],
) -> None:
    """Per rule: the facts it applied to, how often another rule overruled it, what it dropped, and which
    rules conflict (run on articles; on stored summaries, the facts only)."""
    from summarizer.rules.tally import FACT_KINDS, Tally, render

    tally = Tally()
    try:
        articles = _articles_or_none(source)
        if articles is None:
            from summarizer.stories.inputs import read_inputs

            for named in read_inputs([source]):
                summary = named.summary
                tally.add_facts(named.article, (f.rules for kind in FACT_KINDS for f in getattr(summary, kind)))
        else:
            from summarizer.analysis.finders import find_candidates
            from summarizer.normalize import normalize
            from summarizer.strategies.candidates import code_extraction

            for article, text in articles:
                found = find_candidates(normalize(text).text)
                extraction = code_extraction(found)
                tally.add_facts(article, (f.rules for kind in FACT_KINDS for f in getattr(extraction, kind)))
                tally.add_dropped(found.dropped)
    except (InputError, ConfigError) as exc:
        fail(str(exc), code=2)
    for line in render(tally, source=str(source), with_drops=articles is not None):
        typer.echo(line)


def _articles_or_none(source: Path) -> list[tuple[str, str]] | None:
    """The articles of ``source`` (id, text), or None when it holds summaries."""
    from summarizer.batch.inputs import InputPathError, open_input

    if source.is_file() and source.suffix == ".jsonl":
        with source.open(encoding="utf-8") as lines:  # the first record says what the file holds
            first = next((line for line in lines if line.strip()), "")
        try:
            record = json.loads(first) if first else {}
        except json.JSONDecodeError as exc:
            raise InputError(f"line 1 is not JSON ({exc.msg})", origin=str(source)) from None
        if isinstance(record, dict) and "provenance" in record:
            return None
    elif source.is_file() and source.suffix == ".json":
        return None
    try:
        batch_input = open_input(str(source))
    except InputPathError as exc:
        raise InputError(str(exc)) from None
    return [(item.id, page.text if (page := item.load_page()) else item.load()) for item in batch_input.items]


def explain_command(
    file: Annotated[str, typer.Argument(help="Article text file (UTF-8), or - for standard input")],
    no_model: Annotated[
        bool, typer.Option("--no-model", help="Code's facts only: ask the model nothing (fast, offline)")
    ] = False,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print JSON: the summary's facts and the dropped candidates")
    ] = False,
) -> None:
    """Print each fact of an article's summary with the rules behind it, and the candidates the rules dropped."""
    configure_logging()
    from summarizer.cli import read_article
    from summarizer.rules.explain import Explanation, dropped_candidates, render

    try:
        text, origin = read_article(file)
        if no_model:
            from summarizer.rules.explain import code_only_summary

            summary = code_only_summary(text, origin=origin)
        else:
            from summarizer.pipeline import Summarizer

            summary = Summarizer(settings_or_fail()).summarize(text, origin=origin)
        explanation = Explanation(summary, dropped_candidates(text, summary))
    except (InputError, ConfigError) as exc:
        fail(str(exc), code=2)
    except SummarizerError as exc:
        fail(str(exc), code=1)
    if as_json:
        data = {
            "summary": summary.model_dump(mode="json"),
            "dropped": [asdict(candidate) for candidate in explanation.dropped],
        }
        typer.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    for line in render(explanation):
        typer.echo(line)


def diff_command(
    old: Annotated[Path, typer.Argument(help="Summaries before (batch output JSONL, summary JSON, or a folder)")],
    new: Annotated[Path, typer.Argument(help="Summaries after, of the same articles")],
) -> None:
    """Compare two sets of summaries of the same articles fact by fact, with the rules behind each fact.

    Exit status: 0 when nothing differs, 1 when something does (as diff does), 2 on bad input."""
    from summarizer.rules.diff import diff_sets, render
    from summarizer.stories.inputs import read_inputs

    try:
        # an article by its id, else by its text's hash: the same article under either set
        before = {_article_key(named.summary): named.summary for named in read_inputs([old])}
        after = {_article_key(named.summary): named.summary for named in read_inputs([new])}
    except InputError as exc:
        fail(str(exc), code=2)
    result = diff_sets(before, after)
    for line in render(result, old_name=str(old), new_name=str(new)):
        typer.echo(line)
    raise typer.Exit(1 if result.differs else 0)


def _article_key(summary: ArticleSummary) -> str:
    return summary.article.id or f"sha256:{summary.provenance.article_sha256[:16]}"
