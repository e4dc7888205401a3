"""PostgreSQL stopped while the API serves: requests that need it get 503 problems (never a 500 or a
traceback), /ready says so, and once the server is back every request succeeds again with no manual step.
The test runs its own throwaway PostgreSQL (it stops and starts it), as ``.ci/postgres.sh`` does."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from pydantic import SecretStr

from summarizer.db import postgres
from summarizer.settings import Settings
from tests.api_support import build_app, client_for
from tests.db_support import postgres_server
from tests.fakes import Script, ok
from tests.test_api_errors import ARTICLE, assert_problem


def _bin() -> Path | None:
    for candidate in sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True):
        if (candidate / "pg_ctl").exists():
            return candidate
    found = shutil.which("pg_ctl")
    return Path(found).parent if found else None


@dataclass
class Cluster:
    bin: Path
    data: Path
    port: int

    @property
    def url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def _as_owner(self, *command: str) -> None:
        if os.geteuid() == 0:  # initdb and postgres refuse root: Debian's postgres user runs them
            subprocess.run(["su", "postgres", "-s", "/bin/sh", "-c", " ".join(f"'{c}'" for c in command)], check=True)
        else:
            subprocess.run(command, check=True)

    def start(self) -> None:
        options = f"-p {self.port} -k {self.data.parent} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._as_owner(
            str(self.bin / "pg_ctl"),
            "-D",
            str(self.data),
            "-l",
            str(self.data.parent / "log"),
            "-w",
            "-o",
            options,
            "start",
        )

    def stop(self) -> None:
        self._as_owner(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop")


@pytest.fixture
def cluster() -> Iterator[Cluster]:
    postgres_server()  # skipped without PostgreSQL (failed under CI=true), as every PostgreSQL test
    binaries = _bin()
    if binaries is None:
        pytest.fail("PostgreSQL's pg_ctl is not installed")
    root = Path(tempfile.mkdtemp(prefix="summarizer-pg-test."))  # not under pytest's root-only directory
    if os.geteuid() == 0:
        shutil.chown(root, "postgres")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    found = Cluster(binaries, root / "data", port)
    found._as_owner(str(binaries / "initdb"), "-D", str(found.data), "-U", "postgres", "-A", "trust", "--no-locale")
    found.start()
    try:
        yield found
    finally:
        postgres.close_all()
        with contextlib.suppress(subprocess.CalledProcessError):
            found.stop()
        shutil.rmtree(root, ignore_errors=True)


JSONL = {"content-type": "application/x-ndjson"}


@pytest.mark.anyio
async def test_requests_get_503_while_postgres_is_down_and_succeed_when_it_is_back(
    cluster: Cluster, settings: Settings
) -> None:
    app = build_app(settings, transport=Script([ok()]), database_url=SecretStr(cluster.url))
    async with client_for(app) as client:
        posted = await client.post("/v1/summaries", json=ARTICLE)
        assert posted.status_code == 200, posted.text
        job = await client.post("/v1/batches", content=b'{"text": "  "}\n', headers=JSONL)
        assert job.status_code == 202, job.text
        cluster.stop()
        down = [
            await client.get("/v1/summaries"),
            await client.get(f"/v1/summaries/{posted.json()['id']}"),
            await client.get(f"/v1/batches/{job.json()['id']}"),
            await client.get(f"/v1/batches/{job.json()['id']}/results"),
            await client.post("/v1/batches", content=b'{"text": "  "}\n', headers=JSONL),
        ]
        ready_down = await client.get("/ready")
        cluster.start()
        back = await client.get("/v1/summaries")
        job_back = await client.get(f"/v1/batches/{job.json()['id']}")
        ready_back = await client.get("/ready")
    for response in down:
        assert str(assert_problem(response, 503)["type"]).endswith("storage-unavailable")
    assert ready_down.status_code == 503 and ready_down.json()["detail"] == "the database is unavailable"
    assert back.status_code == 200 and [s["id"] for s in back.json()["items"]] == [posted.json()["id"]]
    assert ready_back.status_code == 200
    assert job_back.status_code == 200 and job_back.json()["total"] == 1
