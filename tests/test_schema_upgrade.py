"""Results made under schema v1 and v2 read as v3, saying what the older version did not check or record."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema

from summarizer import Summarizer
from summarizer.api.store import ResultStore
from summarizer.schema import SpeakerCheck, SummaryCheck
from summarizer.schema_files import bundled_schemas_dir, load
from summarizer.schema_upgrade import read_summary, upgrade
from summarizer.settings import Settings
from tests.conftest import SEEDS

_V3_FACT_FIELDS = {"rules", "instrument", "time_frame", "date"}
_V3_FIGURE_FIELDS = {"modality", "time"}


_V3_PROVENANCE_FIELDS = {"rules_sha256", "endpoint", "request_mode"}
# The modalities v1 and v2 had; an act v3 tells as attempted, planned or hypothetical, they told as done.
_V2_MODALITIES = {"actual", "claimed", "threatened", "denied"}


def as_v2(data: dict) -> dict:
    """A v3 summary written back as v2 would have stored it."""
    v2 = {k: v for k, v in data.items() if k != "dateline"}
    v2["schema_version"] = "2"
    v2["provenance"] = {k: v for k, v in data["provenance"].items() if k not in _V3_PROVENANCE_FIELDS}
    v2["article"] = {k: v for k, v in data["article"].items() if k != "byline"}
    for key in ("actors", "actions", "casualties", "statements"):
        dropped = _V3_FACT_FIELDS | (_V3_FIGURE_FIELDS if key == "casualties" else set())
        v2[key] = [{k: v for k, v in fact.items() if k not in dropped} for fact in data[key]]
        for fact in v2[key]:
            if fact.get("modality") is not None and fact["modality"] not in _V2_MODALITIES:
                fact["modality"] = "actual"
    return v2


def as_v1(data: dict) -> dict:
    """A v3 summary written back as v1 would have stored it."""
    data = as_v2(data)
    v1 = {k: v for k, v in data.items() if k not in {"summary_check", "flagged_passages"}}
    v1["schema_version"] = "1"
    for key in ("actors", "actions", "casualties", "statements"):
        for fact in v1[key]:
            fact["evidence"].pop("reason")
            if key == "casualties":
                fact["count"]["evidence"].pop("reason")
            if key == "statements":
                fact.pop("speaker_check")
                fact.pop("attributed_to")
    return v1


def test_a_v2_summary_reads_as_v3_naming_no_rules(settings: Settings) -> None:
    current = Summarizer(settings).summarize(SEEDS[0].read_text()).model_dump(mode="json")
    old = as_v2(current)
    jsonschema.validate(old, load(bundled_schemas_dir(), version="2"))
    upgraded = upgrade(old)
    jsonschema.validate(upgraded, load(bundled_schemas_dir()))
    summary = read_summary(json.dumps(old))
    assert summary.schema_version == "3" and summary.provenance.rules_sha256 is None  # made by other rules
    assert all(not fact.rules for fact in (*summary.actors, *summary.actions, *summary.casualties, *summary.statements))
    assert current["provenance"]["rules_sha256"] and all(fact["rules"] for fact in current["actions"])


def test_a_v1_summary_reads_as_v3_and_validates(settings: Settings) -> None:
    current = Summarizer(settings).summarize(SEEDS[0].read_text()).model_dump(mode="json")
    old = as_v1(current)
    jsonschema.validate(old, load(bundled_schemas_dir(), version="1"))
    upgraded = upgrade(old)
    jsonschema.validate(upgraded, load(bundled_schemas_dir()))
    summary = read_summary(json.dumps(old))
    assert summary.summary_check is SummaryCheck.unchecked
    assert all(s.speaker_check is SpeakerCheck.unknown for s in summary.statements)
    assert {a.evidence.reason for a in summary.actors} <= {"normalized", "near_match", "not_found"}
    assert upgrade(current) is current  # the current version passes through


def test_the_results_database_serves_rows_stored_under_v1(settings: Settings, tmp_path: Path) -> None:
    summary = Summarizer(settings).summarize(SEEDS[0].read_text())
    store = ResultStore(tmp_path / "results.sqlite3")
    store.put(summary)
    with store._connection() as conn, conn:  # what an earlier version left in the database
        conn.execute("UPDATE summaries SET data = ?", (json.dumps(as_v1(summary.model_dump(mode="json"))),))
    again = store.get(summary.id)
    assert again is not None and again.schema_version == "3" and again.summary_check is SummaryCheck.unchecked
