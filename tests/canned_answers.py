"""Deterministic answers to any chat-completion request that asks for a JSON schema (instructor's JSON_SCHEMA mode).

``canned_completion(body)`` reads ``response_format.json_schema.schema`` and builds the smallest instance
that validates: an enum or literal takes the option picked by a hash of the request (so different
questions get different, yet stable, answers), strings get short text, lists their minimum length.
The fake chat endpoint and the fake batch server both answer with it, so a live run and a batch-API run
of the same articles see the same answers.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from tests.fakes import completion


def canned_completion(body: dict[str, Any]) -> dict[str, Any]:
    seed = hashlib.sha256(json.dumps(body.get("messages"), sort_keys=True).encode("utf-8")).hexdigest()
    schema = body.get("response_format", {}).get("json_schema", {}).get("schema", {"type": "object"})
    content = json.dumps(_instance(schema, schema.get("$defs", {}), seed, "answer"))
    return completion(content, prompt_tokens=max(1, len(json.dumps(body)) // 4), completion_tokens=len(content) // 4)


def _instance(schema: dict[str, Any], defs: dict[str, Any], seed: str, name: str) -> Any:
    if "$ref" in schema:
        return _instance(defs[schema["$ref"].rsplit("/", 1)[-1]], defs, seed, name)
    if "const" in schema:
        return schema["const"]
    if "enum" in schema:
        options = schema["enum"]
        return options[int(hashlib.sha256((seed + name).encode()).hexdigest(), 16) % len(options)]
    for key in ("anyOf", "oneOf"):
        if key in schema:
            choices = [s for s in schema[key] if s.get("type") != "null"] or schema[key]
            return _instance(choices[0], defs, seed, name)
    kind = schema.get("type", "object")
    if kind == "object":
        properties = schema.get("properties", {})
        return {k: _instance(properties[k], defs, seed, f"{name}.{k}") for k in schema.get("required", [])}
    if kind == "array":
        return [
            _instance(schema.get("items", {}), defs, seed, f"{name}[{i}]") for i in range(schema.get("minItems", 0))
        ]
    if kind == "string":
        text = f"Canned answer {seed[:8]} for {name}."
        return text[: schema.get("maxLength", len(text))].ljust(schema.get("minLength", 0), "x")
    if kind in ("integer", "number"):
        return schema.get("minimum", 0)
    if kind == "boolean":
        return False
    return None
