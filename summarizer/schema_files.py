"""The committed JSON Schema files under ``schemas/``: export them from the models, check for drift.

Three documents have schemas: the article summary, the story set, and a row of the event table. Each
current version's file is made from its models; earlier versions' files stay as they were committed.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from summarizer.schema import SCHEMA_NAME, SCHEMA_VERSION, json_schema


def _story_schema() -> dict[str, Any]:
    from summarizer.stories.model import json_schema as story_json_schema

    return story_json_schema()


def _event_table_schema() -> dict[str, Any]:
    from summarizer.export.events import json_schema as event_table_json_schema

    return event_table_json_schema()


def current_schemas() -> dict[str, Callable[[], dict[str, Any]]]:
    """File name of each document's current schema -> the function that makes it from the models."""
    from summarizer.export.events import TABLE_NAME, TABLE_VERSION
    from summarizer.stories.model import STORY_SCHEMA_NAME, STORY_SCHEMA_VERSION

    return {
        schema_filename(): json_schema,
        schema_filename(STORY_SCHEMA_NAME, STORY_SCHEMA_VERSION): _story_schema,
        schema_filename(TABLE_NAME, TABLE_VERSION): _event_table_schema,
    }


def bundled_schemas_dir() -> Path:
    """The schemas shipped in the wheel, or the repository's ``schemas/`` in a source checkout."""
    packaged = Path(__file__).parent / "_bundled" / "schemas"
    return packaged if packaged.is_dir() else Path(__file__).resolve().parent.parent / "schemas"


def schema_filename(name: str = SCHEMA_NAME, version: str = SCHEMA_VERSION) -> str:
    return f"{name}.v{version}.json"


def render(schema: dict[str, Any]) -> str:
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


def export(directory: Path) -> list[Path]:
    """Write each current version's schema file; earlier versions' files are left as they are."""
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for filename, make in current_schemas().items():
        path = directory / filename
        path.write_text(render(make()), encoding="utf-8")
        paths.append(path)
    return paths


def drift(directory: Path) -> str | None:
    """Why a committed file does not match the models, or None when every one does."""
    for filename, make in current_schemas().items():
        path = directory / filename
        if not path.is_file():
            return f"{path} is missing (run: summarizer schemas export)"
        if path.read_text(encoding="utf-8") != render(make()):
            return (
                f"{path} differs from the models: run `summarizer schemas export`, "
                "and bump the schema version if the change is not backward compatible"
            )
    return None


def load(directory: Path, name: str = SCHEMA_NAME, version: str = SCHEMA_VERSION) -> dict[str, Any]:
    result: dict[str, Any] = json.loads((directory / schema_filename(name, version)).read_text(encoding="utf-8"))
    return result
