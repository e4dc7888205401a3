"""Property-based run of schemathesis against the app's own OpenAPI document (in-process, ASGI).

Every built-in check runs (the CLI's ``--checks all``), on positive and negative cases. The backend is a
fake that always answers with a valid extraction, so every generated article can be summarized: what is
checked is the HTTP layer, not the model. A deeper run is one command:

    SUMMARIZER_SCHEMATHESIS_EXAMPLES=100 .venv/bin/pytest tests/test_api_schemathesis.py

The last line of the run says how many cases were generated and checked.
"""

from __future__ import annotations

import json
import os
import tempfile
import uuid
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

# hypothesis reads sys.modules["numpy"] as it imports; the app's start-up thread loads spaCy, and numpy with
# it: numpy imported whole here first, a half-imported one cannot fail the collection.
import numpy  # noqa: F401
import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from summarizer.settings import Settings
from tests.api_support import build_app
from tests.fakes import Script, ok
from tests.webpages import page

EXAMPLES = int(os.environ.get("SUMMARIZER_SCHEMATHESIS_EXAMPLES", "25"))

# The batch upload is JSONL, which schemathesis cannot make by itself: records, with now and then a bad line.
_record = st.fixed_dictionaries({"text": st.text(min_size=1)}, optional={"id": st.text(), "title": st.text()})
_line = st.one_of(_record.map(json.dumps), st.text(min_size=1).filter(lambda line: "\n" not in line))
schemathesis.openapi.media_type(
    "application/x-ndjson",
    st.lists(_line, min_size=1, max_size=5)
    .map(lambda lines: ("\n".join(lines) + "\n").encode())
    .filter(lambda upload: upload.strip() != b""),
)

# A page is schema-valid HTML, but only one with an article body can be summarized: the news pages of
# tests/webpages.py around corpus articles (a page with no body is a documented 422, tested in test_webpage.py).
_NEWS = sorted((Path(__file__).parent / "data" / "news").glob("*.txt"))[:3]
schemathesis.openapi.media_type(
    "text/html",
    st.sampled_from(
        [
            page(layout, "A report", [line for line in path.read_text().splitlines() if line.strip()],
                 byline="A. Writer", date="2024-03-02", site="Site")
            for layout, path in zip(("wire", "agency", "portal"), _NEWS, strict=True)
        ]
    ),
)  # fmt: skip


def _app_schema() -> schemathesis.BaseSchema:
    # Built at import (schemathesis parametrizes at collection; its from_fixture fails under pytest 9),
    # so it gets its own data directory.
    data_dir = Path(tempfile.mkdtemp(prefix="summarizer-schemathesis-"))
    settings_ = Settings(
        _env_file=None,  # type: ignore[call-arg]
        data_dir=data_dir,
        api_rate_limit_per_minute=1_000_000,
    )
    app = build_app(settings_, transport=Script([ok()]))
    return schemathesis.openapi.from_asgi("/docs/openapi.json", app)


schema = _app_schema()
CASES: Counter[str] = Counter()


@pytest.fixture(scope="module", autouse=True)
def report_cases(pytestconfig: pytest.Config) -> Iterator[None]:
    """One line at the end: how many cases were generated and checked, so a deep run states its size."""
    yield
    reporter = pytestconfig.pluginmanager.get_plugin("terminalreporter")
    capture = pytestconfig.pluginmanager.get_plugin("capturemanager")
    if reporter is not None and capture is not None and CASES:
        with capture.global_and_fixture_disabled():
            reporter.write_line(
                f"\nschemathesis: {CASES.total()} cases over {len(CASES)} operations, every check "
                f"(SUMMARIZER_SCHEMATHESIS_EXAMPLES={EXAMPLES})"
            )


@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_conforms_to_its_openapi_document(case: schemathesis.Case) -> None:
    CASES[case.operation.label] += 1
    if case.headers and "Idempotency-Key" in case.headers:
        # A client makes a new key per request; a generated key reused with another body is a documented 422
        # (idempotency-key-reused, tested in test_idempotency.py) that the positive-data check would flag.
        case.headers["Idempotency-Key"] = uuid.uuid4().hex
    case.call_and_validate()  # every built-in check, as `schemathesis run --checks all`
