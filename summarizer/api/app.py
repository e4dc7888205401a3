"""The Litestar application: ``create_app(settings) -> Litestar``.

Litestar does what it already does well: OpenAPI 3.1 and its UI (/docs), problem details
(RFC 9457), rate limiting, CORS, Prometheus metrics, structured logging. The routes re-implement
no pipeline step: they call ``Summarizer`` from a worker thread.
"""

from __future__ import annotations

import logging
import threading
from typing import Literal

import structlog
from jsonschema import Draft202012Validator
from litestar import Litestar
from litestar.config.cors import CORSConfig
from litestar.datastructures import State
from litestar.logging.config import StructLoggingConfig
from litestar.middleware.logging import LoggingMiddlewareConfig
from litestar.middleware.rate_limit import RateLimitConfig
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import ScalarRenderPlugin, SwaggerRenderPlugin
from litestar.openapi.spec import Components, SecurityScheme
from litestar.plugins.prometheus import PrometheusConfig, PrometheusController
from litestar.plugins.structlog import StructlogConfig, StructlogPlugin

from summarizer import __version__, schema_files
from summarizer.api import problems
from summarizer.api.batches import BatchManager
from summarizer.api.gate import GenerationGate
from summarizer.api.routes.batches import BatchController
from summarizer.api.routes.catalog import PromptController, SchemaController
from summarizer.api.routes.catalog import schema_files as read_schema_files
from summarizer.api.routes.health import HealthController
from summarizer.api.routes.summaries import SummaryController
from summarizer.api.security import API_KEY_HEADER, rate_limit_identity, request_id_middleware
from summarizer.api.store import ResultStore
from summarizer.pipeline import Summarizer
from summarizer.settings import Settings, get_settings

log = structlog.get_logger(__name__)

_RESPONSE_LOG_FIELDS: tuple[Literal["status_code"], ...] = ("status_code",)
OPEN_PATHS = ["/health", "/ready", "/metrics", "/docs", "/v1/schemas"]


class MetricsController(PrometheusController):
    """Prometheus text format at /metrics; left out of the OpenAPI document (it is not JSON)."""

    include_in_schema = False


def create_app(settings: Settings | None = None, *, summarizer: Summarizer | None = None) -> Litestar:
    """Build the app; ``summarizer`` may be given (tests inject one with a fake backend)."""
    settings = settings or get_settings()
    summarizer = summarizer or Summarizer(settings)
    logging.getLogger("instructor").setLevel(logging.CRITICAL)  # its retry chatter repeats our problem details
    schemas_dir = schema_files.bundled_schemas_dir()
    state = State(
        {
            "settings": settings,
            "summarizer": summarizer,
            "store": ResultStore(settings.resolved_store_path()),
            "gate": GenerationGate(settings.resolved_api_concurrency(), settings.api_max_queue),
            "schema_files": read_schema_files(schemas_dir),
            "schema_validator": Draft202012Validator(schema_files.load(schemas_dir)),
            "api_keys": tuple(key.get_secret_value() for key in settings.api_keys),
            "batches": BatchManager(settings.data_dir / "batches", settings, summarizer),
        }
    )
    rate_limit = RateLimitConfig(
        rate_limit=("minute", settings.api_rate_limit_per_minute),
        identifier_for_request=rate_limit_identity,
        exclude=OPEN_PATHS,
    )
    prometheus = PrometheusConfig(app_name="summarizer", prefix="summarizer_http", group_path=True)
    logging_config = StructlogConfig(
        # Client errors are answered, not logged as exceptions; the unexpected ones are logged by
        # problems.internal_error_handler with their traceback.
        structlog_logging_config=StructLoggingConfig(log_exceptions="never"),
        middleware_logging_config=LoggingMiddlewareConfig(
            # Never headers or bodies: keys and article texts stay out of the logs.
            request_log_fields=("path", "method", "query"),
            response_log_fields=_RESPONSE_LOG_FIELDS,
        ),
    )
    cors = (
        CORSConfig(
            allow_origins=settings.api_cors_origins,
            allow_headers=["Content-Type", API_KEY_HEADER, "X-Request-ID", "If-None-Match"],
            expose_headers=["Retry-After", "X-Request-ID", "ETag", "Content-Disposition", "RateLimit-Reset"],
        )
        if settings.api_cors_origins
        else None
    )
    return Litestar(
        route_handlers=[
            SummaryController,
            BatchController,
            SchemaController,
            PromptController,
            HealthController,
            MetricsController,
        ],
        state=state,
        middleware=[request_id_middleware, rate_limit.middleware, prometheus.middleware],
        plugins=[problems.plugin(), StructlogPlugin(logging_config)],
        exception_handlers={Exception: problems.internal_error_handler},
        cors_config=cors,
        # JSON escapes can make a body up to 6x its text; the text itself is checked against the limit.
        request_max_body_size=settings.api_max_text_bytes * 6 + 65_536,
        openapi_config=OpenAPIConfig(
            title="summarizer",
            version=__version__,
            description="Conflict and politics news in; schema-validated, grounded structured summaries out.",
            path="/docs",
            create_examples=True,  # every request and response schema gets an example (polyfactory)
            render_plugins=[SwaggerRenderPlugin(path="/"), ScalarRenderPlugin(path="/scalar")],
            components=Components(
                security_schemes={
                    "apiKey": SecurityScheme(
                        type="apiKey",
                        name=API_KEY_HEADER,
                        security_scheme_in="header",
                        description="Needed when the server sets SUMMARIZER_API_KEYS",
                    )
                }
            ),
        ),
        on_startup=[lambda app: _warm_up(summarizer), lambda app: app.state.batches.start()],
        on_shutdown=[lambda app: app.state.batches.stop()],
    )


def _warm_up(summarizer: Summarizer) -> None:
    """Load the embedded model in the background, so /ready turns green without a first request."""
    if summarizer.llm.backend != "embedded":
        return

    def load() -> None:
        try:
            summarizer.llm.warm_up()
        except Exception as exc:  # reported by /ready and by the first request
            log.warning("the embedded model did not load", detail=str(exc))

    threading.Thread(target=load, name="summarizer-warm-up", daemon=True).start()
