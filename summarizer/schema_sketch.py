"""A compact, human-readable sketch of a JSON Schema, for putting the schema in a prompt.

The full JSON Schema of the extraction model is ~1,500 tokens of ``$defs`` and titles; a small
model reads this sketch (~350 tokens) just as well, and the server still enforces the real schema.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel


def sketch(model: type[BaseModel]) -> str:
    schema = model.model_json_schema()
    return _render(schema, schema.get("$defs", {}), indent=0)


def _render(node: dict[str, Any], defs: dict[str, Any], indent: int) -> str:
    if "$ref" in node:
        return _render(defs[node["$ref"].rsplit("/", 1)[-1]], defs, indent)
    if "anyOf" in node:
        return " | ".join(_render(option, defs, indent) for option in node["anyOf"])
    if "enum" in node:
        return " | ".join(f'"{value}"' for value in node["enum"])
    kind = node.get("type")
    if kind == "object":
        pad = "  " * (indent + 1)
        properties = list(node.get("properties", {}).items())
        lines = []
        for position, (name, prop) in enumerate(properties):
            line = f'{pad}"{name}": {_render(prop, defs, indent + 1)}'
            if position < len(properties) - 1:
                line += ","
            if description := prop.get("description"):
                line += f"  // {description}"
            lines.append(line)
        return "{\n" + "\n".join(lines) + "\n" + "  " * indent + "}"
    if kind == "array":
        inner = _render(node.get("items", {}), defs, indent)
        limit = f" (at most {node['maxItems']})" if "maxItems" in node else ""
        return f"[{inner}, ...]{limit}"
    return str(kind or "any")
