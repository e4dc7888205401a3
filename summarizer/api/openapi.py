"""The OpenAPI document (/docs/openapi.json): Litestar's, plus what only this app's settings know.

Litestar generates the document from the routes' types. Two facts are not types: the prompt versions
this server has (a request naming another one is answered 422, so the document lists them as an enum),
and whether it requires keys (the ``apiKey`` scheme is declared only then; the guarded routes carry
their ``security`` through the router ``create_app`` builds). And one body is not JSON: the batch
upload is JSONL, read by its handler, so its operation declares it (``JsonlUpload``).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from litestar import Request
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import JsonRenderPlugin, ScalarRenderPlugin, SwaggerRenderPlugin
from litestar.openapi.spec import (
    Components,
    OpenAPIMediaType,
    OpenAPIType,
    Operation,
    Reference,
    RequestBody,
    Schema,
    SecurityRequirement,
    SecurityScheme,
)

from summarizer import __version__
from summarizer.api.security import API_KEY_HEADER

JSONL_MEDIA_TYPE = "application/x-ndjson"
# A line of the batch upload, as documented (the engine checks each line, and reports the bad ones).
_JSONL_LINE = '{"id": "a-1", "text": "Rebels shelled the town of Kidal on Monday, the army said."}\n'


def security(keys_required: bool) -> list[SecurityRequirement] | None:
    """The ``security`` of the guarded routes: the API-key scheme, when the server has keys."""
    return [{"apiKey": []}] if keys_required else None


def openapi_config(*, keys_required: bool, prompt_versions: Sequence[str], default_version: str) -> OpenAPIConfig:
    schemes: dict[str, SecurityScheme | Reference] = {
        "apiKey": SecurityScheme(
            type="apiKey",
            name=API_KEY_HEADER,
            security_scheme_in="header",
            description="Every /v1 route but /v1/schemas needs it; never send it in the query string",
        )
    }
    return OpenAPIConfig(
        title="summarizer",
        version=__version__,
        description="Conflict and politics news in; schema-validated, grounded structured summaries out.",
        path="/docs",
        # No made-up examples (polyfactory's random strings break the formats and patterns they illustrate):
        # the routes give real ones, and the docs UI derives the rest from the schemas.
        create_examples=False,
        render_plugins=[
            SwaggerRenderPlugin(path="/"),
            ScalarRenderPlugin(path="/scalar"),
            OpenAPIJson(prompt_versions, default_version),
        ],
        components=Components(security_schemes=schemes if keys_required else None),
    )


class OpenAPIJson(JsonRenderPlugin):
    """/docs/openapi.json, with the ``prompt_version`` fields that choose a version as an enum of ours, and
    the request bodies and the summary closed to unknown fields (their models forbid them; Litestar does
    not say so)."""

    def __init__(self, prompt_versions: Sequence[str], default_version: str):
        super().__init__()
        self.prompt_versions = list(prompt_versions)
        self.default_version = default_version

    def render(self, request: Request[Any, Any, Any], openapi_schema: dict[str, Any]) -> bytes:
        components = openapi_schema.get("components", {}).get("schemas", {})
        for name in _closed_models():
            if name in components:
                components[name]["additionalProperties"] = False  # the model forbids extras (422), as Litestar omits
        _story_request_takes_the_committed_summary(components)
        for schema in _prompt_version_choices(openapi_schema):
            schema.clear()
            schema.update(
                oneOf=[{"type": "string", "enum": self.prompt_versions}, {"type": "null"}],
                description="A prompt version of this server (GET /v1/prompts); default: the server's",
                examples=[self.default_version],
            )
        return super().render(request, openapi_schema)


_COMMITTED = "CommittedArticleSummary"


def _story_request_takes_the_committed_summary(components: dict[str, Any]) -> None:
    """A summary given to POST /v1/stories is checked against the committed schema file, exactly (its
    bounds, its closed objects): the document says so by carrying that file, its ``$defs`` as
    components of their own."""
    story_request = components.get("StoryRequest")
    if story_request is None:
        return
    from summarizer import schema_files

    committed = schema_files.load(schema_files.bundled_schemas_dir())
    text = json.dumps(committed).replace('"#/$defs/', f'"#/components/schemas/{_COMMITTED}_')
    rewritten = json.loads(text)
    for name, definition in rewritten.pop("$defs", {}).items():
        components[f"{_COMMITTED}_{name}"] = definition
    rewritten.pop("$schema", None)
    rewritten.pop("$id", None)
    components[_COMMITTED] = rewritten
    story_request["properties"]["summaries"]["items"] = {
        "oneOf": [
            {"type": "string"},
            {"$ref": "#/components/schemas/SummaryRequest"},
            {"$ref": f"#/components/schemas/{_COMMITTED}"},
        ]
    }


def _closed_models() -> list[str]:
    """Models that forbid unknown fields: the request bodies, and the summary a story request may carry."""
    from summarizer.schema import ArticleSummary

    return [
        "SummaryRequest",
        "StoryRequest",
        "ArticleFacts",
        "ArticleSummary",
        *ArticleSummary.model_json_schema()["$defs"],
    ]


def _prompt_version_choices(document: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """The schemas of the ``prompt_version`` fields that choose a version (the list filter takes any string):
    the JSON article's, and the query parameter of the batch upload and of the page."""
    request = document.get("components", {}).get("schemas", {}).get("SummaryRequest", {})
    if "prompt_version" in request.get("properties", {}):
        yield request["properties"]["prompt_version"]
    for path in ("/v1/batches", "/v1/summaries/page"):
        operation = document.get("paths", {}).get(path, {}).get("post", {})
        for parameter in operation.get("parameters", []):
            if parameter.get("name") == "prompt_version":
                parameter.pop("examples", None)
                yield parameter["schema"]


@dataclass
class JsonlUpload(Operation):
    """The operation of ``POST /v1/batches``: its body is JSONL, which its handler reads as bytes."""

    def __post_init__(self) -> None:
        line = Schema(
            type=OpenAPIType.STRING,
            pattern=r"[^ \t\n\r\x0b\x0c]",  # some text that is not ASCII white space (an empty upload is 422)
            description="JSONL: one `{id?, text, title?, url?, source?, published_at?, byline?}` per line, UTF-8",
            examples=[_JSONL_LINE],
        )
        self.request_body = RequestBody(
            content={JSONL_MEDIA_TYPE: OpenAPIMediaType(schema=line)},
            description="The articles of the job; a bad line becomes one failure of the job, never a rejected upload",
            required=True,
        )


@dataclass
class HtmlPage(Operation):
    """The operation of ``POST /v1/summaries/page``: its body is an HTML page, which its handler reads as bytes."""

    def __post_init__(self) -> None:
        page = Schema(
            type=OpenAPIType.STRING,
            pattern=r"[^ \t\n\r\x0b\x0c]",
            description="A news page (UTF-8 or as its meta charset says); its article is taken out with trafilatura",
            examples=[
                "<html><head><title>Strikes in Iraq</title></head><body><article><p>...</p></article></body></html>"
            ],
        )
        self.request_body = RequestBody(
            content={"text/html": OpenAPIMediaType(schema=page)},
            description="The page; a page with no article body is a 422 problem (no-article-body)",
            required=True,
        )
