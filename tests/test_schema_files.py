from __future__ import annotations

import json
import shutil
from pathlib import Path

from summarizer import schema_files
from summarizer.schema import SCHEMA_VERSION, ArticleSummary


def test_committed_schema_matches_the_models() -> None:
    """Changing the Pydantic models without `summarizer schemas export` fails here."""
    assert schema_files.drift(schema_files.bundled_schemas_dir()) is None


def test_drift_is_detected(tmp_path: Path) -> None:
    shutil.copytree(schema_files.bundled_schemas_dir(), tmp_path / "schemas")
    path = tmp_path / "schemas" / schema_files.schema_filename()
    schema = json.loads(path.read_text())
    schema["properties"].pop("summary")
    path.write_text(json.dumps(schema))
    problem = schema_files.drift(tmp_path / "schemas")
    assert problem is not None and "differs from the models" in problem
    schema_files.export(tmp_path / "schemas")
    assert schema_files.drift(tmp_path / "schemas") is None


def test_missing_schema_file_is_reported(tmp_path: Path) -> None:
    problem = schema_files.drift(tmp_path)
    assert problem is not None and "missing" in problem


def test_schema_file_describes_article_summary() -> None:
    schema = schema_files.load(schema_files.bundled_schemas_dir())
    assert schema["title"] == ArticleSummary.__name__
    assert set(schema["required"]) >= {"actors", "actions", "casualties", "statements", "summary", "provenance"}
    assert schema["$id"].endswith(f"article-summary.v{SCHEMA_VERSION}.json")
