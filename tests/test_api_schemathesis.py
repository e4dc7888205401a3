"""Property-based run of schemathesis against the app's own OpenAPI document (in-process, ASGI).

The backend is a fake that always answers with a valid extraction, so every generated article can be
summarized: what is checked is the HTTP layer, not the model. The CLI variant of this run (against a
live server) is in the README.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import schemathesis
from hypothesis import HealthCheck, settings

from summarizer.settings import Settings
from tests.api_support import build_app
from tests.fakes import Script, ok


def _app_schema() -> schemathesis.BaseSchema:
    # Built at import (schemathesis parametrizes at collection), so it gets its own data directory.
    data_dir = Path(tempfile.mkdtemp(prefix="summarizer-schemathesis-"))
    settings_ = Settings(_env_file=None, data_dir=data_dir, api_rate_limit_per_minute=100_000)  # type: ignore[call-arg]
    app = build_app(settings_, transport=Script([ok()]))
    return schemathesis.openapi.from_asgi("/docs/openapi.json", app)


schema = _app_schema()


@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_conforms_to_its_openapi_document(case: schemathesis.Case) -> None:
    case.call_and_validate(
        checks=[
            schemathesis.checks.not_a_server_error,
            schemathesis.checks.status_code_conformance,
            schemathesis.checks.content_type_conformance,
            schemathesis.checks.response_schema_conformance,
        ]
    )
