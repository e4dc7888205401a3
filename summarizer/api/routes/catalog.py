"""/v1/schemas (open to all) and /v1/prompts (behind the API key, when keys are configured)."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Annotated, Any

from litestar import Controller, Request, Response, get
from litestar.datastructures import State
from litestar.exceptions import NotFoundException
from litestar.openapi import ResponseSpec
from litestar.params import PathParameter

from summarizer.api.models import PromptInfo, SchemaInfo
from summarizer.api.problems import documented
from summarizer.prompts import PromptLibrary

_SCHEMA_FILE = re.compile(r"^(?P<name>[a-z0-9-]+)\.v(?P<version>[0-9]+)\.json$")


def schema_files(directory: Path) -> dict[tuple[str, str], bytes]:
    """Every committed schema file by (name, version), read once at start."""
    found: dict[tuple[str, str], bytes] = {}
    for path in sorted(directory.glob("*.json")):
        match = _SCHEMA_FILE.match(path.name)
        if match:
            found[(match["name"], match["version"])] = path.read_bytes()
    return found


class SchemaController(Controller):
    path = "/v1/schemas"
    tags = ["schemas"]

    @get("/", summary="The committed JSON Schemas of the results")
    async def list_schemas(self, state: State) -> list[SchemaInfo]:
        files: dict[tuple[str, str], bytes] = state.schema_files
        return [
            SchemaInfo(name=name, version=version, sha256=hashlib.sha256(body).hexdigest(), href=_href(name, version))
            for (name, version), body in files.items()
        ]

    @get(
        "/{name:str}/{version:str}",
        summary="Download one JSON Schema file",
        description="`application/schema+json` with an ETag; send If-None-Match to get 304 when unchanged. "
        "The version may be given as `1` or `v1`.",
        media_type="application/schema+json",
        responses={
            200: ResponseSpec(
                data_container=dict[str, Any],
                description="The JSON Schema (draft 2020-12) document",
                media_type="application/schema+json",
                generate_examples=False,
            ),
            304: ResponseSpec(data_container=None, description="Not modified (If-None-Match matched the ETag)"),
            **documented(404),
        },
    )
    async def get_schema(
        self,
        state: State,
        request: Request,  # type: ignore[type-arg]
        name: Annotated[str, PathParameter(description="Schema name, e.g. article-summary")],
        version: Annotated[str, PathParameter(description="Schema version, e.g. 1")],
    ) -> Response[bytes]:
        files: dict[tuple[str, str], bytes] = state.schema_files
        body = files.get((name, version.removeprefix("v")))
        if body is None:
            raise NotFoundException(detail=f"no schema {name} version {version}; see GET /v1/schemas")
        etag = '"' + hashlib.sha256(body).hexdigest() + '"'
        headers = {
            "ETag": etag,
            "Cache-Control": "public, max-age=3600",
            "Content-Disposition": f'attachment; filename="{name}.v{version.removeprefix("v")}.json"',
        }
        if etag in [tag.strip() for tag in request.headers.get("if-none-match", "").split(",")]:
            return Response(b"", status_code=304, headers=headers)
        return Response(body, media_type="application/schema+json", headers=headers)


def _href(name: str, version: str) -> str:
    return f"/v1/schemas/{name}/{version}"


class PromptController(Controller):
    path = "/v1/prompts"
    tags = ["prompts"]

    @get(
        "/",
        summary="Prompt names and versions",
        description="`default` marks the version used when none is asked.",
        responses=documented(401, 429),
    )
    async def list_prompts(self, state: State) -> list[PromptInfo]:
        library: PromptLibrary = state.summarizer.prompts
        default = state.summarizer.prompt()  # this server's backend's default
        return [
            PromptInfo(
                name=name,
                version=version,
                description=prompt.meta.description,
                default=(name, version) == (default.name, default.version),
                sha256=prompt.sha256,
                targets=prompt.meta.targets,
            )
            for (name, version), prompt in sorted(library.prompts.items())
        ]
