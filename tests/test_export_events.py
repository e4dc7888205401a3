"""Event tables of the 25 corpus summaries: every cell checked against the fact or gazetteer entry it
came from, the four formats read back with the documented types, and stable ids."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner

from summarizer.cli import app
from summarizer.export.events import COLUMNS, EVENT_TYPES, EventRow, event_rows, tie_figures
from summarizer.export.formats import DTYPES, FORMATS, parquet_schema, render
from summarizer.geo import _geonames
from summarizer.schema import Action, ArticleSummary, Casualty
from tests.corpus_support import corpus_summaries


@pytest.fixture(scope="module")
def corpus() -> dict[str, tuple[str, ArticleSummary]]:
    return {summary.id: (text, summary) for text, summary in corpus_summaries().values()}


@pytest.fixture(scope="module")
def rows(corpus: dict[str, tuple[str, ArticleSummary]]) -> list[EventRow]:
    return list(event_rows(summary for _, summary in corpus.values()))


def the_action(summary: ArticleSummary, row: EventRow) -> tuple[int, Action]:
    return row.action_index, summary.actions[row.action_index]


def check_place(row: EventRow, action: Action) -> None:
    """The place columns against the gazetteer entry named in geo_source."""
    if action.location is None:
        assert row.geo_precision is None and row.geo_source is None and row.iso is None and row.latitude is None
        return
    source = row.geo_source or ""
    kind, _, key = source.partition(":")
    if kind == "geonames":
        city = next(c for c in _geonames().get_cities().values() if str(c["geonameid"]) == key)
        assert (row.iso, row.latitude, row.longitude) == (city["countrycode"], city["latitude"], city["longitude"])
        assert row.geo_precision == "town"
    elif kind == "iso3166-2":
        import pycountry

        region = pycountry.subdivisions.get(code=key)
        assert region is not None and row.admin1_code == key and row.iso == region.country_code
        assert row.geo_precision == "region" and row.latitude is None
    elif kind in ("iso3166-1", "article"):
        import pycountry

        assert pycountry.countries.get(alpha_2=key) is not None and row.iso == key
        assert row.geo_precision == "country" and row.latitude is None and row.admin1_code is None
    else:
        assert row.geo_precision == "unresolved" and row.iso is None and row.latitude is None


def best_of(killed: list[Casualty]) -> int | None:
    """The number every killed figure allows: not below any low end, not above any stated high end."""
    lows = [f.count.low if f.count.low is not None else f.count.high for f in killed]
    numbered = [(low, f.count.high) for low, f in zip(lows, killed, strict=True) if low is not None]
    if not numbered:
        return None
    floor = max(low for low, _ in numbered)
    return floor if all(high is None or floor <= high for _, high in numbered) else None


def test_every_cell_comes_from_its_fact_or_gazetteer(
    corpus: dict[str, tuple[str, ArticleSummary]], rows: list[EventRow]
) -> None:
    assert len(rows) > 100
    for row in rows:
        text, summary = corpus[row.summary_id]
        index, action = the_action(summary, row)
        tied = tie_figures(summary)[index].figures
        killed = [f for f in tied if f.outcome.value == "killed"]
        counted = [f for f in killed if f.count.low or f.count.high]  # "scores died" gives no number
        checks: dict[str, bool] = {
            "event_id": row.event_id.startswith("evt_"),
            "event_date": row.event_date == action.date,
            "event_type": (row.event_type, row.sub_event_type) in {*EVENT_TYPES.values()},
            "sub_event_type": True,  # checked with event_type
            "actor1": row.actor1 == (action.actors[0] if action.actors else None),
            "assoc_actor_1": (row.assoc_actor_1 or "").split("; ") == (action.actors[1:] or [""]),
            "actor2": row.actor2 == (action.targets[0] if action.targets else None),
            "assoc_actor_2": (row.assoc_actor_2 or "").split("; ") == (action.targets[1:] or [""]),
            "location": row.location == action.location,
            "fatalities": (
                row.fatalities == (min(f.count.low or f.count.high or 0 for f in counted) if counted else None)
            ),
            "record": row.record == "action" and row.reports is None,
            "story_id": row.story_id is None,  # no story set given
            "reports": True,  # checked with record
            "fatalities_high": (
                row.fatalities_high == (max(f.count.high or f.count.low or 0 for f in counted) if counted else None)
            ),
            "fatalities_best": row.fatalities_best == best_of(killed),
            "notes": all(f.victims in (row.notes or "") for f in tied) and (row.notes is None) == (not tied),
            "source": row.source == summary.article.source,
            "action_type": row.action_type == action.type.value,
            "modality": row.modality == action.modality.value,
            "time_frame": row.time_frame == (action.time_frame.value if action.time_frame else None),
            "time": row.time == action.time,
            "instrument": row.instrument == action.instrument,
            "evidence": (
                row.evidence == action.evidence.text
                and (row.grounding != "grounded" or text[row.evidence_start : row.evidence_end] == row.evidence)
            ),
            "evidence_start": row.evidence_start == action.evidence.start,
            "evidence_end": row.evidence_end == action.evidence.end,
            "grounding": row.grounding == action.evidence.status.value,
            "rules": (row.rules or "").split("; ") == (action.rules or [""]),
            "dateline_place": row.dateline_place == (summary.dateline.place if summary.dateline else None),
            "dateline_iso": row.dateline_place is not None or row.dateline_iso is None,
            "article_id": row.article_id == summary.article.id,
            "article_url": row.article_url == summary.article.url,
            "summary_id": row.summary_id == summary.id,
            "action_index": action.type.value == row.action_type,
            "prompt_version": row.prompt_version == summary.provenance.prompt_version,
            "schema_version": row.schema_version == summary.schema_version,
        }
        place_columns = {
            "country",
            "iso",
            "admin1",
            "admin1_code",
            "latitude",
            "longitude",
            "geo_precision",
            "geo_source",
        }
        assert set(checks) | place_columns == set(COLUMNS)  # a new column needs its check here
        for column, passed in checks.items():
            assert passed, (column, row.event_id, getattr(row, column))
        check_place(row, action)
        for figure in tied:  # tied figures stand in the row's own sentence
            assert figure.evidence.start is not None and row.evidence_start is not None
            assert figure.evidence.start < (row.evidence_end or 0) and row.evidence_start < (figure.evidence.end or 0)


def test_a_story_set_adds_a_row_per_story_and_marks_its_actions(
    corpus: dict[str, tuple[str, ArticleSummary]], tmp_path: Path
) -> None:
    from summarizer.stories.build import link_stories

    summaries = [summary for _, summary in corpus.values()]
    stories = link_stories(summaries)
    assert stories.stories
    rows = list(event_rows(summaries, stories))
    story_rows = [r for r in rows if r.record == "story"]
    assert [r.story_id for r in story_rows] == [s.id for s in stories.stories]
    for row, story in zip(story_rows, stories.stories, strict=True):
        killed = next((line for line in story.ledger if line.outcome.value == "killed"), None)
        assert row.fatalities == (killed.reconciled.conservative if killed else None)
        assert row.fatalities_high == (killed.reconciled.high if killed else None)
        assert row.fatalities_best == (killed.reconciled.best if killed else None)
        assert row.reports == len(story.reports) and row.event_date == (story.date.isoformat() if story.date else None)
        assert row.actor1 == (story.actors[0] if story.actors else None) and row.location == (story.places or [None])[0]
        assert row.summary_id is None and row.evidence is None  # a story stands on its reports' rows
        members = {(r.summary_id, a.evidence.start) for r in story.reports for a in r.actions}
        marked = {(r.summary_id, r.evidence_start) for r in rows if r.record == "action" and r.story_id == story.id}
        assert marked <= members  # a story matched on no action (its figures only) marks no row
    assert sum(r.story_id is not None for r in rows if r.record == "action") > len(stories.stories) // 2
    path = tmp_path / "stories.json"
    path.write_text(stories.model_dump_json())
    out = tmp_path / "events.csv"
    summaries_file = tmp_path / "out.jsonl"
    summaries_file.write_text("".join(s.model_dump_json() + "\n" for s in summaries))
    result = CliRunner().invoke(
        app, ["export", "events", str(summaries_file), "--stories", str(path), "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert out.read_text().count(",story,") == len(stories.stories)


def test_ids_are_stable_and_unique(corpus: dict[str, tuple[str, ArticleSummary]], rows: list[EventRow]) -> None:
    again = list(event_rows(summary for _, summary in corpus.values()))
    assert [r.event_id for r in again] == [r.event_id for r in rows]
    assert len({r.event_id for r in rows}) == len(rows)


def test_csv_and_parquet_read_back_with_the_documented_types(rows: list[EventRow], tmp_path: Path) -> None:
    import io

    import pandas as pd
    import pyarrow.parquet as pq

    from_csv = pd.read_csv(io.BytesIO(render(rows, "csv")), dtype=DTYPES, keep_default_na=False, na_values=[""])
    from_parquet = pd.read_parquet(io.BytesIO(render(rows, "parquet")), dtype_backend="numpy_nullable")
    assert list(from_csv.columns) == list(COLUMNS) == list(from_parquet.columns)
    assert {c: str(t) for c, t in from_csv.dtypes.items()} == DTYPES
    assert {c: str(t) for c, t in from_parquet.dtypes.items()} == {
        c: ("string" if t == "string" else t.replace("float64", "Float64")) for c, t in DTYPES.items()
    }
    assert pq.read_table(io.BytesIO(render(rows, "parquet"))).schema.equals(parquet_schema())
    assert from_csv["event_id"].tolist() == [r.event_id for r in rows]
    assert from_csv["fatalities"].sum() == sum(r.fatalities or 0 for r in rows)


def test_geojson_validates_against_the_geojson_schema(rows: list[EventRow]) -> None:
    from geojson_pydantic import FeatureCollection

    document = json.loads(render(rows, "geojson"))
    jsonschema.validate(document, FeatureCollection.model_json_schema())
    FeatureCollection.model_validate(document)
    points = [f for f in document["features"] if f["geometry"] is not None]
    assert points and all(
        f["geometry"]["coordinates"] == [f["properties"]["longitude"], f["properties"]["latitude"]] for f in points
    )


def test_the_export_command_writes_each_format_and_refuses_articles(
    corpus: dict[str, tuple[str, ArticleSummary]], tmp_path: Path
) -> None:
    summaries = tmp_path / "out.jsonl"
    summaries.write_text("".join(s.model_dump_json() + "\n" for _, s in corpus.values()))
    runner = CliRunner()
    for fmt in FORMATS:
        out = tmp_path / f"events.{fmt}"
        result = runner.invoke(app, ["export", "events", str(summaries), "--out", str(out)])
        assert result.exit_code == 0, result.output
        assert out.stat().st_size > 0 and "event(s) from 25 summary(ies)" in result.output
    bad = runner.invoke(app, ["export", "events", str(summaries), "--out", str(tmp_path / "events.xlsx")])
    assert bad.exit_code == 2 and "--format must be one of csv, jsonl, geojson, parquet" in bad.output
    articles = tmp_path / "articles.jsonl"
    articles.write_text(json.dumps({"id": "a", "text": "Gunmen attacked a convoy."}) + "\n")
    refused = runner.invoke(app, ["export", "events", str(articles), "--out", str(tmp_path / "e.csv")])
    assert refused.exit_code == 2 and "is an article" in refused.output


def test_every_column_is_documented_with_its_type() -> None:
    page = (Path(__file__).parent.parent / "docs" / "exports.md").read_text(encoding="utf-8")
    for column in COLUMNS:
        assert f"| `{column}` | `{DTYPES[column]}` |" in page, column
