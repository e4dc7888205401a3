"""Event rows written as CSV, JSONL, GeoJSON or Parquet, with one set of column types for all four.

The types (``DTYPES``) are what pandas reads: ``string`` for text, ``Int64`` (nullable) for counts and
offsets, ``float64`` for coordinates. CSV writes an empty cell for a missing value; GeoJSON gives a row
with no point a ``null`` geometry (RFC 7946 allows it); Parquet carries the types in its own schema.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from pathlib import Path
from types import UnionType
from typing import Any, Literal, get_args

from summarizer.errors import ConfigError
from summarizer.export.events import COLUMNS, EventRow

Format = Literal["csv", "jsonl", "geojson", "parquet"]
FORMATS: tuple[Format, ...] = ("csv", "jsonl", "geojson", "parquet")
MEDIA_TYPES: dict[Format, str] = {
    "csv": "text/csv; charset=utf-8",
    "jsonl": "application/x-ndjson",
    "geojson": "application/geo+json",
    "parquet": "application/vnd.apache.parquet",
}


def _kind(column: str) -> type:
    annotation = EventRow.model_fields[column].annotation
    kinds: list[Any] = (
        [k for k in get_args(annotation) if k is not type(None)] if isinstance(annotation, UnionType) else []
    )
    found = kinds[0] if kinds else annotation
    assert isinstance(found, type)
    return found


DTYPES: dict[str, str] = {column: {str: "string", int: "Int64", float: "float64"}[_kind(column)] for column in COLUMNS}


def render(rows: Iterable[EventRow], fmt: Format) -> bytes:
    """The whole table in ``fmt``."""
    records = [row.model_dump() for row in rows]
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows({k: "" if v is None else v for k, v in record.items()} for record in records)
        return buffer.getvalue().encode("utf-8")
    if fmt == "jsonl":
        return b"".join(json.dumps(r, ensure_ascii=False).encode("utf-8") + b"\n" for r in records)
    if fmt == "geojson":
        return (json.dumps(feature_collection(records), ensure_ascii=False) + "\n").encode("utf-8")
    return _parquet(records)


def write(rows: Iterable[EventRow], fmt: Format, out: Path) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(render(rows, fmt))


def feature_collection(records: list[dict[str, Any]]) -> dict[str, Any]:
    features = []
    for record in records:
        lon, lat = record["longitude"], record["latitude"]
        geometry = {"type": "Point", "coordinates": [lon, lat]} if lon is not None and lat is not None else None
        features.append({"type": "Feature", "id": record["event_id"], "geometry": geometry, "properties": record})
    return {"type": "FeatureCollection", "features": features}


def parquet_schema() -> Any:
    """The Parquet (Arrow) schema of the table, from the same column types."""
    pa = _pyarrow()
    arrow = {str: pa.string(), int: pa.int64(), float: pa.float64()}
    return pa.schema([pa.field(column, arrow[_kind(column)], nullable=True) for column in COLUMNS])


def _parquet(records: list[dict[str, Any]]) -> bytes:
    pa = _pyarrow()
    import pyarrow.parquet as pq

    schema = parquet_schema()
    table = pa.Table.from_pylist(records, schema=schema)
    sink = io.BytesIO()
    pq.write_table(table, sink)
    return sink.getvalue()


def _pyarrow() -> Any:
    try:
        import pyarrow
    except ImportError as exc:
        raise ConfigError(
            "Parquet needs pyarrow: pip install 'summarizer[parquet]' (or choose csv, jsonl, geojson)"
        ) from exc
    return pyarrow
