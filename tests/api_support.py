"""Building the app for tests: the replay backend by default, or a scripted fake transport."""

from __future__ import annotations

import os
import shutil
import subprocess
import threading
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path
from typing import Any

import httpx2
import pytest
import uvicorn
from litestar import Litestar
from litestar.testing import AsyncTestClient

from summarizer import Summarizer
from summarizer.api import create_app
from summarizer.llm import LLMClient
from summarizer.settings import Settings


def build_app(settings: Settings, *, transport: httpx2.BaseTransport | None = None, **overrides: Any) -> Litestar:
    """No start-up probe of a remote backend unless asked (``api_probe=True``): a scripted transport
    answers the test's own calls, in order, and a probe racing them would take one."""
    settings = settings.model_copy(update={"api_probe": False, **overrides})
    if transport is None:
        return create_app(settings)
    fake = settings.model_copy(update={"backend": "openai", "base_url": "http://fake.invalid/v1", "model": "fake"})
    return create_app(fake, summarizer=Summarizer(fake, llm=LLMClient(fake, transport=transport)))


@asynccontextmanager
async def client_for(app: Litestar) -> AsyncIterator[AsyncTestClient[Litestar]]:
    async with AsyncTestClient(app=app) as client:
        yield client


@contextmanager
def live_server(app: Litestar, **options: Any) -> Iterator[str]:
    """Serve ``app`` with uvicorn on 127.0.0.1 (a free port) in a thread; yields the base URL.

    ``options`` are more ``uvicorn.Config`` options, such as those ``summarizer serve`` passes.
    """
    config = uvicorn.Config(app, host="127.0.0.1", port=0, **{"log_level": "warning", "lifespan": "on", **options})
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="uvicorn-test", daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.01)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@contextmanager
def read_only(*paths: Path) -> Iterator[None]:
    """Make files and directories unwritable, even for root (which ignores permission bits): ``chattr +i``."""
    if os.geteuid() != 0:
        modes = {path: path.stat().st_mode for path in paths}
        for path in paths:
            path.chmod(0o555 if path.is_dir() else 0o444)
        try:
            yield
        finally:
            for path, mode in modes.items():
                path.chmod(mode)
        return
    chattr = shutil.which("chattr")
    if chattr is None or subprocess.run([chattr, "+i", *map(str, paths)], capture_output=True).returncode != 0:
        pytest.skip("running as root on a file system without chattr +i: cannot make a directory read-only")
    try:
        yield
    finally:
        subprocess.run([chattr, "-i", *map(str, paths)], check=True)
