"""Exports for the analyst's desk: event tables (``events.py``) in CSV, JSONL, GeoJSON and Parquet
(``formats.py``), from ``summarizer export events`` (``cli.py``)."""
