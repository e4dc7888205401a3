"""The committed JSON Schema files under ``schemas/``: export them from the models, check for drift."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from summarizer.schema import SCHEMA_NAME, SCHEMA_VERSION, json_schema


def bundled_schemas_dir() -> Path:
    """The schemas shipped in the wheel, or the repository's ``schemas/`` in a source checkout."""
    packaged = Path(__file__).parent / "_bundled" / "schemas"
    return packaged if packaged.is_dir() else Path(__file__).resolve().parent.parent / "schemas"


def schema_filename(name: str = SCHEMA_NAME, version: str = SCHEMA_VERSION) -> str:
    return f"{name}.v{version}.json"


def render(schema: dict[str, Any]) -> str:
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


def export(directory: Path) -> Path:
    """Write the current version's schema file; earlier versions' files are left as they are."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / schema_filename()
    path.write_text(render(json_schema()), encoding="utf-8")
    return path


def drift(directory: Path) -> str | None:
    """Why the committed file does not match the models, or None when it does."""
    path = directory / schema_filename()
    if not path.is_file():
        return f"{path} is missing (run: summarizer schemas export)"
    if path.read_text(encoding="utf-8") != render(json_schema()):
        return (
            f"{path} differs from the models: run `summarizer schemas export`, "
            "and bump SCHEMA_VERSION if the change is not backward compatible"
        )
    return None


def load(directory: Path, name: str = SCHEMA_NAME, version: str = SCHEMA_VERSION) -> dict[str, Any]:
    result: dict[str, Any] = json.loads((directory / schema_filename(name, version)).read_text(encoding="utf-8"))
    return result
