"""Fast start: the package root is lazy, and the CLI's command list imports no command's machinery.

Each import is checked in a fresh interpreter (``sys.modules`` of this test process has everything).
The time itself is measured by ``benchmarks/startup.py``, not here.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from typer.main import get_command

import summarizer
from summarizer.cli import app
from summarizer.lazy_commands import LazyCommand, LazyGroup

MODEL_CLIENTS = ("openai", "instructor", "xllamacpp", "llama_cpp", "spacy", "litestar")


def modules_after(statement: str) -> set[str]:
    code = f"import sys, json\n{statement}\nprint(json.dumps(sorted(sys.modules)))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60)
    return set(json.loads(done.stdout))


def loaded(modules: set[str], *names: str) -> list[str]:
    return [name for name in names if name in modules]


def test_importing_counts_loads_no_model_client() -> None:
    modules = modules_after("import summarizer.counts")
    assert loaded(modules, *MODEL_CLIENTS) == []
    assert "summarizer.pipeline" not in modules


def test_the_batch_and_stories_commands_load_no_model_client_until_they_run() -> None:
    """``summarizer batch --help`` and ``summarizer stories --help`` import their command modules only."""
    modules = modules_after("import summarizer.batch.cli, summarizer.stories.cli")
    assert loaded(modules, *MODEL_CLIENTS) == []
    assert "summarizer.pipeline" not in modules and "summarizer.batch.engine" not in modules


def test_importing_the_package_root_loads_nothing_but_the_root() -> None:
    modules = modules_after("import summarizer")
    assert sorted(name for name in modules if name.startswith("summarizer")) == ["summarizer"]


def test_the_command_list_needs_no_pipeline_settings_or_schema() -> None:
    """What ``summarizer --help`` imports: typer, rich and the CLI module, none of the commands' machinery."""
    modules = modules_after(
        "from typer.testing import CliRunner\n"
        "from summarizer.cli import app\n"
        "result = CliRunner().invoke(app, ['--help'])\n"
        "assert result.exit_code == 0 and 'batch' in result.output, result.output"
    )
    assert loaded(modules, *MODEL_CLIENTS, "pydantic_settings", "jinja2", "summarizer.schema") == []
    assert loaded(modules, "summarizer.batch.cli", "summarizer.evaluation.cli", "summarizer.pipeline") == []


def test_a_public_name_imports_its_module_on_first_read() -> None:
    modules = modules_after("from summarizer import ArticleSummary, __version__")
    assert "summarizer.schema" in modules
    assert loaded(modules, "openai", "instructor", "summarizer.pipeline") == []


def test_every_public_name_is_listed_and_resolves() -> None:
    assert set(summarizer.__all__) <= set(dir(summarizer))
    from summarizer import Summarizer, summarize
    from summarizer.pipeline import Summarizer as PipelineSummarizer
    from summarizer.pipeline import summarize as pipeline_summarize

    assert Summarizer is PipelineSummarizer and summarize is pipeline_summarize
    assert isinstance(summarizer.__version__, str) and summarizer.__version__


def test_an_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no_such_name"):
        _ = summarizer.no_such_name  # type: ignore[attr-defined]
    with pytest.raises(ImportError):
        from summarizer import no_such_name  # type: ignore[attr-defined]  # noqa: F401


def lazy_commands() -> dict[str, LazyCommand]:
    group = get_command(app)
    assert isinstance(group, LazyGroup)
    return group.lazy_commands


@pytest.mark.parametrize("name", sorted(lazy_commands()))
def test_a_lazy_command_lists_the_first_line_of_its_own_help(name: str) -> None:
    lazy = lazy_commands()[name]
    command = lazy.load(name)
    first_paragraph = " ".join((command.help or "").split("\n\n")[0].split())
    assert first_paragraph == lazy.short_help


def test_a_lazy_command_runs_as_itself() -> None:
    """Resolved, the placeholder becomes the real command: its own options and help."""
    from typer.testing import CliRunner

    result = CliRunner().invoke(app, ["batch", "--help"])
    assert result.exit_code == 0, result.output
    assert "--concurrency" in result.output
    result = CliRunner().invoke(app, ["eval", "--help"])
    assert result.exit_code == 0, result.output
    assert "--gold" in result.output


def test_the_model_client_module_imports_the_legacy_httpx_before_any_thread_can_call() -> None:
    """spaCy imports ``httpx`` lazily (through weasel) in whichever worker parses first, and openai reads
    ``sys.modules["httpx"]`` on every response: a half-imported module there failed a batch's calls."""
    modules = modules_after("import summarizer.llm")
    assert "httpx" in modules and "spacy" not in modules
