"""The Litestar application: ``create_app(settings) -> Litestar``.

Litestar does what it already does well: OpenAPI 3.1 and its UI (/docs), problem details
(RFC 9457), rate limiting, CORS, Prometheus metrics, structured logging. The routes re-implement
no pipeline step: they call ``Summarizer`` from a worker thread.
"""

from __future__ import annotations

import logging
import threading
from functools import partial
from typing import Any

import structlog
from jsonschema import Draft202012Validator
from litestar import Litestar, Router
from litestar.config.cors import CORSConfig
from litestar.datastructures import State
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.plugins.prometheus import PrometheusConfig, PrometheusController
from litestar.template import TemplateConfig

from summarizer import schema_files
from summarizer.api import metrics, problems
from summarizer.api.batches import open_batch_jobs
from summarizer.api.csp import add_policy
from summarizer.api.gate import BATCH, GenerationGate, typical_generation_s
from summarizer.api.gate_memory import FILE_NAME, DurationFile, DurationKey
from summarizer.api.logs import REQUEST_ID_HEADER, request_id_middleware, structlog_plugin, uvicorn_log_config
from summarizer.api.openapi import openapi_config, security
from summarizer.api.routes.batches import BatchController
from summarizer.api.routes.catalog import PromptController, SchemaController
from summarizer.api.routes.catalog import schema_files as read_schema_files
from summarizer.api.routes.health import HealthController
from summarizer.api.routes.review import ReviewController, ReviewKeyController
from summarizer.api.routes.stories import StoryController
from summarizer.api.routes.summaries import SummaryController
from summarizer.api.security import (
    API_KEY_HEADER,
    api_key_guard,
    rate_limits,
    refuse_query_keys,
    trusted_proxies,
)
from summarizer.api.storage import open_result_store
from summarizer.pipeline import Summarizer
from summarizer.review.render import environment as review_templates
from summarizer.settings import Settings, get_settings
from summarizer.stories.model import STORY_SCHEMA_NAME, STORY_SCHEMA_VERSION

log = structlog.get_logger(__name__)


class MetricsController(PrometheusController):
    """Prometheus text format at /metrics; left out of the OpenAPI document (it is not JSON)."""

    include_in_schema = False


def create_app(settings: Settings | None = None, *, summarizer: Summarizer | None = None) -> Litestar:
    """Build the app; ``summarizer`` may be given (tests inject one with a fake backend).

    Nothing here touches the stored results or batch jobs: broken storage is reported by /ready and
    answered 503, and ``summarizer serve`` refuses to start on it with one line. (The gate reads the
    durations its last run measured; a file it cannot read is logged and ignored.)
    """
    settings = settings or get_settings()
    summarizer = summarizer or Summarizer(settings)
    logging.getLogger("instructor").setLevel(logging.CRITICAL)  # its retry chatter repeats our problem details
    schemas_dir = schema_files.bundled_schemas_dir()
    api_keys = tuple(key.get_secret_value() for key in settings.api_keys)
    llm = summarizer.llm
    gate = GenerationGate(
        settings.resolved_api_concurrency(),
        settings.api_max_queue,
        initial_estimate_s=typical_generation_s(llm.backend),
        probe_s=lambda: llm.probe_s,  # timed by the start-up warm-up, in the background
        memory=DurationFile(
            settings.data_dir / FILE_NAME, DurationKey(llm.backend, llm.model, summarizer.prompt().version)
        ),
    )
    metrics.watch_gate(gate)
    state = State(
        {
            "settings": settings,
            "summarizer": summarizer,
            "store": open_result_store(settings),
            "gate": gate,
            "schema_files": read_schema_files(schemas_dir),
            "schema_validator": Draft202012Validator(schema_files.load(schemas_dir)),
            "story_validator": Draft202012Validator(
                schema_files.load(schemas_dir, STORY_SCHEMA_NAME, STORY_SCHEMA_VERSION)
            ),
            "api_keys": api_keys,
            # Batch jobs take the model through the same gate as interactive requests, after them.
            "batches": open_batch_jobs(settings, summarizer.admitted_by(partial(gate.hold, BATCH))),
        }
    )
    guarded = Router(
        "/",
        route_handlers=[SummaryController, BatchController, StoryController, PromptController],
        guards=[api_key_guard],
        security=security(bool(api_keys)),
    )
    prometheus = PrometheusConfig(app_name="summarizer", prefix="summarizer_http", group_path=True)
    cors = (
        CORSConfig(
            allow_origins=settings.api_cors_origins,
            allow_headers=["Content-Type", API_KEY_HEADER, REQUEST_ID_HEADER, "If-None-Match"],
            expose_headers=["Retry-After", REQUEST_ID_HEADER, "ETag", "Content-Disposition", "RateLimit-Reset"],
        )
        if settings.api_cors_origins
        else None
    )
    prompt_versions = summarizer.prompts.versions(settings.prompt_name)
    return Litestar(
        route_handlers=[
            guarded,
            ReviewController,
            ReviewKeyController,
            SchemaController,
            HealthController,
            MetricsController,
        ],
        state=state,
        middleware=[
            request_id_middleware,
            *trusted_proxies(settings.api_trusted_proxies),
            refuse_query_keys,
            *rate_limits(settings.api_rate_limit_per_minute, settings.api_auth_failures_per_minute),
            prometheus.middleware,
        ],
        plugins=[problems.plugin(), structlog_plugin()],
        template_config=TemplateConfig(instance=JinjaTemplateEngine.from_environment(review_templates())),
        before_send=[add_policy],  # a Content-Security-Policy on every HTML response
        exception_handlers={Exception: problems.internal_error_handler},
        request_class=problems.JsonRequest,
        cors_config=cors,
        # JSON escapes can make a body up to 6x its text; the text itself is checked against the limit.
        request_max_body_size=settings.api_max_text_bytes * 6 + 65_536,
        openapi_config=openapi_config(
            keys_required=bool(api_keys),
            prompt_versions=prompt_versions,
            default_version=summarizer.prompt().version,
        ),
        on_startup=[lambda app: _warm_up(summarizer, probe=settings.api_probe), lambda app: app.state.batches.start()],
        on_shutdown=[lambda app: app.state.batches.stop(), lambda app: app.state.gate.close(), _close_databases],
    )


def server_options() -> dict[str, Any]:
    """How uvicorn runs this app (``summarizer serve``; the tests' live servers)."""
    return {
        # X-Forwarded-For is the app's business (SUMMARIZER_API_TRUSTED_PROXIES): uvicorn's own handling
        # would believe it from 127.0.0.1.
        "proxy_headers": False,
        "log_config": uvicorn_log_config(),  # its access log, with keys in query strings redacted
        # A generation can take minutes: stop waiting for it after 10 s (batch jobs resume at next start).
        "timeout_graceful_shutdown": 10,
    }


def _warm_up(summarizer: Summarizer, *, probe: bool) -> None:
    """Start the backend in the background: the embedded model loads, so /ready turns green without a first
    request, and so does spaCy's pipeline for the candidates strategy (~1 s); a remote endpoint's client is
    built (~0.4 s) and, with ``probe``, one 1-token completion is
    timed (``LLMClient.probe``). The first call then pays neither: its caller waits less, and the gate
    does not take the set-up for the backend's pace; the probe's round trip is that pace until a call
    returns (``gate.py``)."""

    def load() -> None:
        try:
            summarizer.warm_up(probe=probe)
        except Exception as exc:  # reported by /ready and by the first request
            log.warning("the backend did not start", backend=summarizer.llm.backend, detail=str(exc))

    threading.Thread(target=load, name="summarizer-warm-up", daemon=True).start()


def _close_databases(app: Litestar) -> None:
    """Close this process's PostgreSQL pools, if it opened any (the module is imported only then)."""
    import sys

    postgres = sys.modules.get("summarizer.db.postgres")
    if postgres is not None:
        postgres.close_all()
