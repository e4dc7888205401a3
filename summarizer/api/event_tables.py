"""The event-table downloads of the REST API (``GET /v1/batches/{id}/events``, ``/v1/stories/{id}/events``):
one format parameter and one response for both (``summarizer.export`` makes the table)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Annotated

import anyio.to_thread
from litestar import Response
from litestar.params import QueryParameter

from summarizer.api.problems import problem
from summarizer.export.events import EventRow
from summarizer.export.formats import Format

EventFormat = Annotated[
    Format,
    QueryParameter(description="The table's format: csv (default), jsonl, geojson or parquet"),
]
DESCRIPTION = (
    "One row per action of a violent or political kind: ACLED's columns, places resolved offline, figures "
    "tied to their action (schemas/event-table.v1.json)"
)


async def table_response(rows: Callable[[], Iterable[EventRow]], fmt: Format, name: str) -> Response[bytes]:
    """The table of ``rows()`` (made in a worker thread) as a download named ``<name>.events.<fmt>``."""
    from summarizer.errors import ConfigError
    from summarizer.export.formats import MEDIA_TYPES, render

    try:
        body = await anyio.to_thread.run_sync(lambda: render(rows(), fmt))
    except ConfigError as exc:  # Parquet without pyarrow on this server
        raise problem(422, "format-unavailable", "Format unavailable", str(exc)) from None
    return Response(
        body,
        media_type=MEDIA_TYPES[fmt],
        headers={"Content-Disposition": f'attachment; filename="{name}.events.{fmt}"'},
    )
