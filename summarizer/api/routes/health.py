"""/health (the process answers) and /ready (a summary could be made now)."""

from __future__ import annotations

import anyio.to_thread
from litestar import Controller, Response, get
from litestar.datastructures import State
from litestar.openapi import ResponseSpec

from summarizer.api.models import Health, Readiness
from summarizer.pipeline import Summarizer


class HealthController(Controller):
    tags = ["health"]

    @get("/health", summary="Liveness", description="200 while the process serves requests.")
    async def health(self) -> Health:
        return Health(status="ok")

    @get(
        "/ready",
        summary="Readiness",
        description="200 when the backend is reachable and the model loaded; 503 otherwise (with the reason).",
        responses={503: ResponseSpec(data_container=Readiness, description="Not ready; `detail` says why")},
    )
    async def ready(self, state: State) -> Response[Readiness]:
        summarizer: Summarizer = state.summarizer
        ready, detail = await anyio.to_thread.run_sync(summarizer.llm.readiness)
        body = Readiness(ready=ready, backend=summarizer.llm.backend, model=summarizer.llm.model, detail=detail)
        return Response(body, status_code=200 if ready else 503)
