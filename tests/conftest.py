"""Every test gets its own data directory and settings, and the replay backend: no network, no model."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest
from pydantic import SecretStr

from summarizer.settings import Settings, get_settings
from tests.db_support import fresh_database  # reads SUMMARIZER_TEST_DATABASE_URL before a test hides it

TESTS = Path(__file__).parent
ROOT = TESTS.parent
SEEDS = sorted((TESTS / "data" / "seeds").glob("*.txt"))
RECORDINGS = TESTS / "recordings"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--database",
        choices=("sqlite", "postgres"),
        default="sqlite",
        help="Where every test's settings keep results, cache and jobs: SQLite files (default), or a fresh "
        "PostgreSQL database per test (SUMMARIZER_TEST_DATABASE_URL names the server)",
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if config.getoption("--database") == "postgres":
        skip = pytest.mark.skip(reason="about SQLite files or job directories: no PostgreSQL version")
        for item in items:
            if item.get_closest_marker("sqlite_only"):
                item.add_marker(skip)


@pytest.fixture(autouse=True)
def isolated_settings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest
) -> Iterator[Settings]:
    for name in list(__import__("os").environ):
        if name.startswith("SUMMARIZER_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("SUMMARIZER_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("SUMMARIZER_BACKEND", "replay")
    monkeypatch.setenv("SUMMARIZER_REPLAY_DIR", str(RECORDINGS))
    monkeypatch.chdir(tmp_path)  # no stray .env or relative paths from the caller's directory
    with ExitStack() as stack:
        if request.config.getoption("--database") == "postgres":
            monkeypatch.setenv("SUMMARIZER_DATABASE_URL", stack.enter_context(fresh_database()))
        get_settings.cache_clear()
        yield Settings()
        get_settings.cache_clear()


@pytest.fixture
def anyio_backend() -> str:
    """The async API tests run on asyncio (the server's loop), not trio."""
    return "asyncio"


@pytest.fixture
def settings(isolated_settings: Settings) -> Settings:
    return isolated_settings


@pytest.fixture
def seed_text() -> str:
    return SEEDS[0].read_text(encoding="utf-8")


@pytest.fixture(autouse=True)
def no_log_handler_on_a_closed_stream() -> Iterator[None]:
    """A CLI test's ``logging.basicConfig`` binds the root logger to the runner's stderr, closed once the test
    ends; a later warning would then print "--- Logging error ---". Such handlers go after each test."""
    yield
    import logging

    root = logging.getLogger()
    for handler in list(root.handlers):
        if isinstance(handler, logging.StreamHandler) and getattr(handler.stream, "closed", False):
            root.removeHandler(handler)


@pytest.fixture(params=["sqlite", "postgres"])
def db_settings(request: pytest.FixtureRequest, settings: Settings) -> Iterator[Settings]:
    """The test's settings on each database: SQLite files (the default), then a fresh PostgreSQL database
    (skipped without a server, failed under CI=true: ``tests/db_support.py``)."""
    if request.param == "sqlite":
        yield settings
        return
    with fresh_database() as url:
        yield settings.model_copy(update={"database_url": SecretStr(url)})
