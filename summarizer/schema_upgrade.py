"""Read summaries of earlier schema versions as the current one.

Stored results (the REST API's database, summary files given to ``summarizer eval --summaries``)
outlive a schema change. A v2 summary reads as v3 with what v3 adds empty: its facts name no rules and
its provenance no rules hash, so a summary made by other rules is recognisable. A v1 summary reads as v2
(then v3) with what v1 did not check marked so: every
evidence's reason is what v1's status meant ("normalized" for grounded: found up to whitespace,
quotes and case; "near_match" for fuzzy; "not_found" for ungrounded), every speaker check is
"unknown", and the summary check is "unchecked". Nothing is re-grounded: a v1 result keeps the
weaker promise it was made with, and says so.
"""

from __future__ import annotations

import json
from typing import Any

from summarizer.schema import SCHEMA_VERSION, ArticleSummary

_V1_REASONS = {"grounded": "normalized", "fuzzy": "near_match", "ungrounded": "not_found"}


def read_summary(raw: str | bytes) -> ArticleSummary:
    """An ``ArticleSummary`` from its JSON, whatever schema version made it (raises ``ValueError``)."""
    data = json.loads(raw)
    return ArticleSummary.model_validate(upgrade(data))


def upgrade(data: Any) -> Any:
    """``data`` as the current schema version; data of the current version is returned unchanged."""
    if not isinstance(data, dict) or data.get("schema_version") == SCHEMA_VERSION:
        return data
    if data.get("schema_version") == "1":
        data = _v1_to_v2(data)
    if data.get("schema_version") == "2":
        data = _v2_to_v3(data)
    return data  # an unknown version: let validation say what is wrong


def _v1_to_v2(data: dict[str, Any]) -> dict[str, Any]:
    upgraded = dict(data, schema_version="2", summary_check="unchecked", flagged_passages=[])
    for key in ("actors", "actions", "casualties", "statements"):
        facts = []
        for fact in upgraded.get(key) or []:
            fact = dict(fact, evidence=_evidence(fact.get("evidence")))
            if key == "casualties" and isinstance(fact.get("count"), dict):
                fact["count"] = dict(fact["count"], evidence=_evidence(fact["count"].get("evidence")))
            if key == "statements":
                fact.setdefault("speaker_check", "unknown")
                fact.setdefault("attributed_to", None)
            facts.append(fact)
        upgraded[key] = facts
    return upgraded


def _v2_to_v3(data: dict[str, Any]) -> dict[str, Any]:
    """What v3 adds has defaults that say "not known": no rules, no rules hash, no instrument, modality,
    time frame, date or dateline."""
    return dict(data, schema_version="3")


def _evidence(evidence: Any) -> Any:
    if isinstance(evidence, dict) and "reason" not in evidence:
        return dict(evidence, reason=_V1_REASONS.get(str(evidence.get("status")), "not_found"))
    return evidence
