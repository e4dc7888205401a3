"""/health (the process answers) and /ready (a summary could be made and stored now)."""

from __future__ import annotations

import anyio.to_thread
from litestar import Controller, Response, get
from litestar.datastructures import State
from litestar.openapi import ResponseSpec

from summarizer.api.gate import GenerationGate
from summarizer.api.models import GateStatus, Health, Readiness
from summarizer.api.storage import storage_problem
from summarizer.pipeline import Summarizer


class HealthController(Controller):
    tags = ["health"]

    @get("/health", summary="Liveness", description="200 while the process serves requests.")
    async def health(self) -> Health:
        return Health(status="ok")

    @get(
        "/ready",
        summary="Readiness",
        description=(
            "200 when the backend is reachable, the model loaded, and the stored results and batch jobs can be "
            "read and written; 503 otherwise (`detail` says why, `storage` says whether storage is the reason). "
            "`gate` says how many generations run and wait now."
        ),
        responses={503: ResponseSpec(data_container=Readiness, description="Not ready; `detail` says why")},
    )
    async def ready(self, state: State) -> Response[Readiness]:
        summarizer: Summarizer = state.summarizer
        storage = await anyio.to_thread.run_sync(storage_problem, state.settings)
        ready, detail = await anyio.to_thread.run_sync(summarizer.llm.readiness)
        body = Readiness(
            ready=ready and storage is None,
            backend=summarizer.llm.backend,
            model=summarizer.llm.model,
            storage="ok" if storage is None else "unavailable",
            detail=detail if storage is None else storage,
            gate=_gate_status(state.gate),
        )
        return Response(body, status_code=200 if body.ready else 503)


def _gate_status(gate: GenerationGate) -> GateStatus:
    now = gate.state()
    return GateStatus(
        slots=now.slots, free=now.free, running=now.running, waiting=now.waiting, median_s=now.median_s, basis=now.basis
    )
