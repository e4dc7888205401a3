"""A model whose JSON Schema is generated once per class, not on every LLM call.

instructor asks the response model for ``model_json_schema()`` on every request it builds, and pydantic
generates it afresh each time (a deep walk of the model, milliseconds for the extraction). The schema of
a class never changes, so the first one is kept (per class and arguments) and each caller gets its own
copy (callers may change what they get). ``llm.py`` hands instructor one class per model, so the cache
holds one entry per response model.
"""

from __future__ import annotations

import json
import threading
from typing import Any

from pydantic import BaseModel

_schemas: dict[tuple[Any, ...], str] = {}
_lock = threading.Lock()


class CachedSchema(BaseModel):
    @classmethod
    def model_json_schema(cls, *args: Any, **kwargs: Any) -> dict[str, Any]:
        key = (cls, args, tuple(sorted(kwargs.items())))
        text = _schemas.get(key)
        if text is None:
            text = json.dumps(super().model_json_schema(*args, **kwargs))
            with _lock:
                _schemas[key] = text
        loaded: dict[str, Any] = json.loads(text)
        return loaded
