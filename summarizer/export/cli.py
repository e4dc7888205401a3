"""``summarizer export events``: the event table of many summaries, as CSV, JSONL, GeoJSON or Parquet."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from summarizer.console import fail, note

export_app = typer.Typer(help="Tables for analysts: one row per event.", no_args_is_help=True)


@export_app.command("events")
def events_command(
    inputs: Annotated[
        list[Path], typer.Argument(help="Summaries: batch output (.jsonl), summary files (.json), or folders of them")
    ],
    out: Annotated[Path, typer.Option("--out", "-o", help="The table to write")],
    fmt: Annotated[
        str, typer.Option("--format", "-f", help="csv, jsonl, geojson or parquet (default: from --out's ending)")
    ] = "",
    stories: Annotated[
        Path | None,
        typer.Option("--stories", help="A story set of these summaries (summarizer stories): a row per story too"),
    ] = None,
) -> None:
    """One row per action of a violent or political kind: ACLED's columns, places resolved offline, figures
    tied to their action, and the evidence each row stands on."""
    from summarizer.errors import SummarizerError
    from summarizer.export.events import event_rows
    from summarizer.export.formats import FORMATS, write
    from summarizer.stories.inputs import read_inputs, read_story_set

    chosen = fmt or out.suffix.lstrip(".").lower()
    if chosen not in FORMATS:
        fail(f"--format must be one of {', '.join(FORMATS)} (or an --out ending in one of them), not {chosen!r}")
    try:
        summaries = [named.summary for named in read_inputs(inputs)]
        rows = list(event_rows(summaries, read_story_set(stories) if stories is not None else None))
        write(rows, chosen, out)
    except SummarizerError as exc:
        fail(str(exc))
    except OSError as exc:
        fail(f"{out}: cannot be written: {exc.strerror or exc}")
    note(f"wrote {out}: {len(rows)} event(s) from {len(summaries)} summary(ies), {chosen}")
