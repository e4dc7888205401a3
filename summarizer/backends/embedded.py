"""The embedded default backend: a GGUF model served in-process by xllamacpp on 127.0.0.1.

xllamacpp runs llama.cpp's own C++ server (OpenAI-compatible HTTP, JSON-Schema-constrained output
through LLGuidance, prompt-prefix caching) inside this process, from a prebuilt wheel: nothing to
compile and nothing to download at run time. The rest of the package talks to it with the same
``openai`` + ``instructor`` client as to any remote endpoint. One server per process, started on
first use and stopped at exit.
"""

from __future__ import annotations

import atexit
import os
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from summarizer.backends.model_file import MODEL_NAME, ensure_model_file
from summarizer.errors import BackendUnavailable, ModelFileError
from summarizer.settings import Settings


@dataclass(frozen=True)
class EmbeddedServer:
    base_url: str
    model: str
    model_path: Path
    server: Any  # xllamacpp.Server; kept referenced so the server lives


_lock = threading.Lock()
_servers: dict[tuple[str, int, int, str], EmbeddedServer] = {}


def model_path_for(settings: Settings) -> Path:
    if settings.local_model_path is not None:
        if not settings.local_model_path.is_file():
            raise ModelFileError(f"SUMMARIZER_LOCAL_MODEL_PATH {settings.local_model_path} is not a file")
        return settings.local_model_path
    return ensure_model_file(settings.models_dir or settings.data_dir / "models")


def model_name_for(settings: Settings) -> str:
    if settings.local_model_path is not None:
        return settings.local_model_path.stem
    return MODEL_NAME


def get_server(settings: Settings) -> EmbeddedServer:
    """Start the embedded server for these settings, or return the one already running."""
    path = model_path_for(settings)
    threads = settings.local_threads or os.cpu_count() or 1
    key = (str(path), settings.local_context_tokens, threads, settings.local_speculative)
    with _lock:
        if key not in _servers:
            _servers[key] = _start(
                path, model_name_for(settings), settings.local_context_tokens, threads, settings.local_speculative
            )
        return _servers[key]


def is_started(settings: Settings) -> bool:
    """Whether the server for these settings is loaded (never starts it)."""
    with _lock:
        return any(server.model == model_name_for(settings) for server in _servers.values())


def _start(path: Path, model: str, context_tokens: int, threads: int, speculative: str = "none") -> EmbeddedServer:
    try:
        import xllamacpp
    except ImportError as exc:
        raise BackendUnavailable(
            "the embedded backend needs xllamacpp; install with: pip install 'summarizer[embedded]'"
        ) from exc
    params = xllamacpp.CommonParams()
    params.model.path = str(path)
    params.model_alias = model
    params.n_ctx = context_tokens
    params.n_parallel = 1  # 2 cores: one generation at a time is fastest
    params.cpuparams.n_threads = threads
    params.cpuparams_batch.n_threads = threads
    params.hostnames = ["127.0.0.1"]
    params.port = 0  # any free port
    params.verbosity = 0
    params.cache_prompt = True
    if speculative != "none":  # n-gram drafts from the prompt itself: no draft model to load
        kind = getattr(xllamacpp.common_speculative_type, f"COMMON_SPECULATIVE_TYPE_{speculative.upper()}")
        params.speculative.types = [kind]
    try:
        server = xllamacpp.Server(params)
    except Exception as exc:  # the C++ side reports load failures as generic exceptions
        raise BackendUnavailable(f"the embedded model {path} failed to load: {exc}") from exc
    address = str(server.listening_address).rstrip("/")
    embedded = EmbeddedServer(base_url=f"{address}/v1", model=model, model_path=path, server=server)
    return embedded


def stop_all() -> None:
    with _lock:
        _servers.clear()  # dropping the last reference stops the server


atexit.register(stop_all)
