"""The databases the storage tests run on: SQLite always; PostgreSQL when ``SUMMARIZER_TEST_DATABASE_URL``
names a server (``.ci/run`` starts a throwaway one). Under ``CI=true`` a missing server fails the test;
elsewhere the PostgreSQL half is skipped with the reason."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from summarizer.db import postgres

SERVER_URL = os.environ.get("SUMMARIZER_TEST_DATABASE_URL")


def postgres_server() -> str:
    """The test server's URL, or the test skipped (failed under CI=true)."""
    if SERVER_URL:
        return SERVER_URL
    if os.environ.get("CI") == "true":
        pytest.fail("CI=true needs PostgreSQL: SUMMARIZER_TEST_DATABASE_URL is unset (.ci/run starts a server)")
    pytest.skip("no PostgreSQL server: set SUMMARIZER_TEST_DATABASE_URL (source .ci/postgres.sh starts one)")


@contextmanager
def fresh_database() -> Iterator[str]:
    """The URL of a new, empty database on the test server, dropped afterwards (each test its own)."""
    import psycopg

    server = postgres_server()
    name = f"summarizer_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield server.rsplit("/", 1)[0] + "/" + name
    finally:
        postgres.close_all()
        with psycopg.connect(server, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
