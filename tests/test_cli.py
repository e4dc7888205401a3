from __future__ import annotations

import json
import os
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner

from summarizer.cli import app
from summarizer.prompts import PromptLibrary, bundled_prompts_dir
from summarizer.schema_files import bundled_schemas_dir, load
from tests.conftest import SEEDS

runner = CliRunner()
DEFAULT_PROMPT = PromptLibrary(bundled_prompts_dir()).default_version("summarize", "embedded")


def test_summarize_prints_schema_valid_json(tmp_path: Path) -> None:
    result = runner.invoke(app, ["summarize", str(SEEDS[0]), "--pretty"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    jsonschema.Draft202012Validator(load(bundled_schemas_dir())).validate(data)
    assert data["provenance"]["prompt_version"] == DEFAULT_PROMPT
    assert "actors" in result.stderr  # the one-line report goes to stderr, keeping stdout pure JSON


def test_summarize_from_stdin() -> None:
    result = runner.invoke(app, ["summarize", "-"], input=SEEDS[0].read_bytes())
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["actors"]


@pytest.fixture
def bad_files(tmp_path: Path) -> dict[str, Path]:
    files = {
        "empty": tmp_path / "empty.txt",
        "blank": tmp_path / "blank.txt",
        "binary": tmp_path / "binary.bin",
        "latin1": tmp_path / "latin1.txt",
    }
    files["empty"].write_bytes(b"")
    files["blank"].write_bytes(b"  \n\n\t")
    files["binary"].write_bytes(b"\x7fELF\x02\x01\x01\x00\x00\x00" * 20)
    files["latin1"].write_bytes("Caf\u00e9 bombing in Kabul".encode("latin-1"))
    return files


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("empty", "the article is empty"),
        ("blank", "only whitespace"),
        ("binary", "binary"),
        ("latin1", "not valid UTF-8"),
        ("missing", "no such file"),
        ("directory", "is a directory"),
    ],
)
def test_bad_input_is_one_line_and_non_zero(
    name: str, message: str, bad_files: dict[str, Path], tmp_path: Path
) -> None:
    path = {"missing": tmp_path / "nope.txt", "directory": tmp_path}.get(name) or bad_files[name]
    result = runner.invoke(app, ["summarize", str(path)])
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("summarizer: error: ") and message in lines[0]
    assert str(path) in lines[0]
    assert "Traceback" not in result.output
    assert result.stdout == ""


def test_unknown_prompt_version_is_a_clear_error() -> None:
    result = runner.invoke(app, ["summarize", str(SEEDS[0]), "--prompt-version", "v404"])
    assert result.exit_code == 2
    assert "unknown prompt version summarize/v404" in result.stderr


def test_backend_failure_is_one_line_exit_1(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SUMMARIZER_REPLAY_DIR", str(tmp_path / "none"))
    result = runner.invoke(app, ["summarize", str(SEEDS[0])])
    assert result.exit_code == 1
    assert "no recording for cache key" in result.stderr
    assert "Traceback" not in result.output


def test_invalid_setting_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SUMMARIZER_REQUEST_TIMEOUT_S", "soon")
    result = runner.invoke(app, ["summarize", str(SEEDS[0])])
    assert result.exit_code == 2
    assert "invalid setting request_timeout_s" in result.stderr


def test_schemas_check_and_export(tmp_path: Path) -> None:
    assert runner.invoke(app, ["schemas", "check", "--dir", str(bundled_schemas_dir())]).exit_code == 0
    assert runner.invoke(app, ["schemas", "check", "--dir", str(tmp_path)]).exit_code == 1
    assert runner.invoke(app, ["schemas", "export", "--dir", str(tmp_path)]).exit_code == 0
    assert runner.invoke(app, ["schemas", "check", "--dir", str(tmp_path)]).exit_code == 0


def test_prompts_list() -> None:
    result = runner.invoke(app, ["prompts", "list"])
    assert result.exit_code == 0
    assert f"summarize/{DEFAULT_PROMPT} (default for embedded)" in result.stdout
    assert "summarize/v1:" in result.stdout


@pytest.fixture
def fake_uvicorn(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, object]]:
    """``uvicorn.run`` that builds the app as uvicorn would (the factory) and returns instead of serving."""
    import uvicorn
    from uvicorn.importer import import_from_string

    runs: list[dict[str, object]] = []

    def run(target: str, **options: object) -> None:
        import_from_string(target)()  # factory=True: where a broken data directory once raised a traceback
        runs.append(options)

    monkeypatch.setattr(uvicorn, "run", run)
    return runs


def assert_one_line_error(result: object, *words: str) -> None:
    assert result.exit_code == 2, result.output  # type: ignore[attr-defined]
    lines = result.stderr.strip().splitlines()  # type: ignore[attr-defined]
    assert len(lines) == 1 and lines[0].startswith("summarizer: error: cannot serve"), result.stderr  # type: ignore[attr-defined]
    assert all(word in lines[0] for word in words), lines[0]
    assert "Traceback" not in result.output  # type: ignore[attr-defined]


def test_serve_refuses_a_read_only_data_dir_in_one_line(tmp_path: Path, fake_uvicorn: list[dict[str, object]]) -> None:
    from tests.api_support import read_only

    data = Path(os.environ["SUMMARIZER_DATA_DIR"])
    data.mkdir(parents=True)
    with read_only(data):
        result = runner.invoke(app, ["serve"])
    assert_one_line_error(result, str(data), "SUMMARIZER_DATA_DIR")
    assert fake_uvicorn == []


def test_serve_refuses_a_corrupt_results_database_in_one_line(fake_uvicorn: list[dict[str, object]]) -> None:
    store = Path(os.environ["SUMMARIZER_DATA_DIR"]) / "results.sqlite3"
    store.parent.mkdir(parents=True)
    store.write_bytes(b"this is not a SQLite database\n" * 200)
    result = runner.invoke(app, ["serve"])
    assert_one_line_error(result, str(store), "not a database")
    assert fake_uvicorn == []


def test_serve_leaves_forwarded_for_to_the_app_and_redacts_its_access_log(
    fake_uvicorn: list[dict[str, object]],
) -> None:
    result = runner.invoke(app, ["serve"])
    assert result.exit_code == 0, result.output
    [options] = fake_uvicorn
    assert options["proxy_headers"] is False  # uvicorn would believe X-Forwarded-For from 127.0.0.1
    log_config = options["log_config"]
    assert isinstance(log_config, dict)
    assert log_config["loggers"]["uvicorn.access"]["filters"] == ["redact_query_keys"]
