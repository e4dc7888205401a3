"""All configuration in one place, read from ``SUMMARIZER_*`` environment variables (or ``.env``)."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

BackendName = Literal["auto", "openai", "embedded", "replay"]
InstructorModeName = Literal["json_schema", "tools", "json"]


def default_data_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "summarizer"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SUMMARIZER_", env_file=".env", extra="ignore")

    backend: BackendName = Field(
        default="auto",
        description="auto = an OpenAI-compatible endpoint if base_url or api_key is set, else the embedded model",
    )
    base_url: str | None = Field(default=None, description="OpenAI-compatible endpoint, e.g. http://localhost:8000/v1")
    api_key: SecretStr | None = None
    model: str | None = Field(default=None, description="Model name; defaults per backend")
    instructor_mode: InstructorModeName = "json_schema"

    request_timeout_s: float = Field(default=600.0, gt=0, description="Per request; the embedded model is slow")
    max_transient_retries: int = Field(default=4, ge=0, description="Re-sends on connection errors, 429, 5xx")
    retry_max_wait_s: float = Field(default=60.0, gt=0, description="Longest wait between re-sends")
    max_validation_retries: int = Field(default=2, ge=0, description="Re-asks when the output fails validation")

    data_dir: Path = Field(default_factory=default_data_dir, description="Cache, model file and stored results")
    cache_enabled: bool = True
    cache_path: Path | None = Field(default=None, description="Defaults to <data_dir>/cache.sqlite3")

    prompts_dir: Path | None = Field(default=None, description="Defaults to the prompts shipped with the package")
    prompt_name: str = "summarize"
    prompt_version: str | None = Field(default=None, description="Defaults to prompts/defaults.toml")

    local_model_path: Path | None = Field(default=None, description="Any GGUF file instead of the bundled model")
    models_dir: Path | None = Field(default=None, description="Where the joined model file lives; <data_dir>/models")
    local_context_tokens: int = Field(default=8192, ge=512)
    local_threads: int | None = Field(default=None, ge=1, description="Defaults to the number of CPU cores")
    local_speculative: Literal["none", "ngram_simple", "ngram_map_k", "ngram_mod"] = Field(
        default="none",
        description="llama.cpp's n-gram speculative decoding (no draft model); measured slower on 2 cores",
    )

    replay_as: Literal["embedded", "openai"] = Field(
        default="embedded", description="The backend whose recordings replay serves"
    )
    replay_dir: Path = Field(default=Path("tests/recordings"), description="Recorded responses for the replay backend")
    record_dir: Path | None = Field(default=None, description="When set, every LLM exchange is recorded here")

    max_article_chars: int = Field(default=200_000, gt=0)
    language_check: bool = Field(
        default=True, description="Refuse articles that are confidently not English (py3langid); false = summarize all"
    )

    # The REST API (summarizer serve)
    api_keys: Annotated[list[SecretStr], NoDecode] = Field(
        default_factory=list, description="Comma-separated keys for X-API-Key; empty = no auth"
    )
    api_max_text_bytes: int = Field(default=200_000, gt=0, description="Larger article texts get 413")
    api_rate_limit_per_minute: int = Field(default=120, ge=1, description="Per API key (or client address)")
    api_auth_failures_per_minute: int = Field(
        default=10, ge=1, description="Requests with a missing or wrong key, per client address, before 429"
    )
    api_trusted_proxies: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="Comma-separated proxy addresses or networks whose X-Forwarded-For is believed; empty = none",
    )
    api_cors_origins: Annotated[list[str], NoDecode] = Field(
        default_factory=list, description="Comma-separated origins allowed by CORS; empty = CORS off"
    )
    api_concurrency: int | None = Field(
        default=None, ge=1, description="Generations at once; default 1 for the embedded model, 4 otherwise"
    )
    api_max_queue: int = Field(default=8, ge=0, description="Requests waiting for a generation before 503")
    api_store_path: Path | None = Field(default=None, description="Stored results; <data_dir>/results.sqlite3")
    api_idempotency_hours: int = Field(
        default=24, ge=1, description="How long an Idempotency-Key and its first response are kept"
    )
    database_url: SecretStr | None = Field(
        default=None,
        description="postgresql://user:password@host:5432/db: the API's results in PostgreSQL, shared by every "
        "instance; unset = SQLite files under data_dir",
    )
    api_max_batch_bytes: int = Field(default=100_000_000, gt=0, description="Larger batch uploads get 413")
    single_flight_wait_s: float = Field(
        default=300.0,
        gt=0,
        description="With PostgreSQL: how long a request waits for another instance generating the same article "
        "before it generates too (that instance may be frozen or cut off)",
    )
    api_batch_lease_s: float = Field(
        default=60.0,
        ge=0.5,
        description="With PostgreSQL: how long a claimed batch line stays an instance's without a renewal "
        "(renewed every third of it while the article is worked on; then any instance claims it again)",
    )
    api_probe: bool = Field(
        default=True,
        description="At start-up, time one 1-token completion of a remote backend: the gate's pace till a call returns",
    )

    @field_validator("api_keys", "api_cors_origins", "api_trusted_proxies", mode="before")
    @classmethod
    def _comma_separated(cls, value: object) -> object:
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        return value

    def resolved_backend(self) -> Literal["openai", "embedded", "replay"]:
        if self.backend != "auto":
            return self.backend
        return "openai" if (self.base_url or self.api_key) else "embedded"

    def resolved_cache_path(self) -> Path:
        return self.cache_path or self.data_dir / "cache.sqlite3"

    def resolved_store_path(self) -> Path:
        return self.api_store_path or self.data_dir / "results.sqlite3"

    def resolved_database_url(self) -> str | None:
        """The PostgreSQL URL, password included (never log it: ``db.url.redact``); None means SQLite files."""
        return self.database_url.get_secret_value() if self.database_url is not None else None

    def resolved_api_concurrency(self) -> int:
        return self.api_concurrency or (1 if self.resolved_backend() == "embedded" else 4)


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read once; tests build their own ``Settings`` instead."""
    return Settings()
