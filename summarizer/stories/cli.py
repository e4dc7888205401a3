"""The ``summarizer stories`` command: link summaries (or articles) into stories, write a story set."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from summarizer.console import configure_logging, fail, note
from summarizer.errors import ConfigError, InputError, SummarizerError
from summarizer.schema import ArticleSummary
from summarizer.stories.model import StorySet


def stories_command(
    inputs: Annotated[
        list[Path],
        typer.Argument(
            metavar="INPUT...",
            help="Batch output (.jsonl), summary files (.json), folders of them, or articles (.txt, summarized first)",
        ),
    ],
    out: Annotated[Path | None, typer.Option("--out", help="Write the story set (JSON) here; default: stdout")] = None,
    meta: Annotated[
        Path | None,
        typer.Option(
            "--meta",
            metavar="FILE",
            help="JSON mapping article ids to {published_at, outlet} (a stories gold file's 'articles' works too)",
        ),
    ] = None,
) -> None:
    """Link the events of many articles into stories, with each story's casualty ledger."""
    configure_logging()
    from summarizer.stories.build import link_stories
    from summarizer.stories.inputs import read_article_info, read_inputs

    summarizer = None

    def summarize(path: Path) -> ArticleSummary:
        nonlocal summarizer
        from summarizer.cli import read_article
        from summarizer.console import settings_or_fail
        from summarizer.pipeline import Summarizer

        if summarizer is None:
            summarizer = Summarizer(settings_or_fail())
        text, origin = read_article(str(path))
        note(f"summarizing {origin}")
        return summarizer.summarize(text, origin=origin)

    try:
        info = read_article_info(meta) if meta is not None else None
        named = read_inputs(inputs, summarize=summarize)
        story_set = link_stories([n.summary for n in named], articles=[n.article for n in named], info=info)
    except (InputError, ConfigError) as exc:
        fail(str(exc), code=2)
    except SummarizerError as exc:
        fail(str(exc), code=1)
    document = story_set.model_dump_json(indent=2)
    if out is None:
        typer.echo(document)
    else:
        try:
            out.write_text(document + "\n", encoding="utf-8")
        except OSError as exc:
            fail(f"{out}: cannot be written: {exc.strerror}", code=2)
        note(f"wrote {out}")
    _print_multi_article(story_set)


def _print_multi_article(story_set: StorySet) -> None:
    """On stderr: each story more than one article reports, its links' reasons and its ledger."""
    console = Console(stderr=True, highlight=False)
    several = [s for s in story_set.stories if len(s.reports) > 1]
    console.print(
        f"{story_set.summaries} summaries, {len(story_set.stories)} stories, "
        f"{len(several)} told by more than one article",
        markup=False,
    )
    for story in several:
        console.print(
            f"\n{story.headline}  [{', '.join(r.article for r in story.reports)}]", markup=False, soft_wrap=True
        )
        for link in story.links:
            reasons = "; ".join(f"{r.kind.value} {r.detail} ({r.weight:+g})" for r in link.reasons)
            console.print(
                f"  link {link.reports[0]} ~ {link.reports[1]} = {link.score:g}: {reasons}",
                markup=False,
                soft_wrap=True,
            )
        for line in story.ledger:
            figures = ", ".join(f"{f.report}: {f.text}" for f in line.figures)
            r = line.reconciled
            span = f"{r.low}" if r.low == r.high else f"{r.low}-{r.high}"
            console.print(
                f"  {line.outcome.value}: {figures} -> {span}{' (disputed)' if r.disputed else ''}",
                markup=False,
                soft_wrap=True,
            )
