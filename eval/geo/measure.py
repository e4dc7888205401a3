"""Geocoding measured on the Place arguments of the WikiEvents dev split, against the countries written by
hand in ``eval/geo/wikievents-dev-places.json``: the share resolved to the right country, the share given
a point, and every wrong resolution. Offline: the gazetteers are installed packages.

    python eval/geo/measure.py [--json eval/reports/geocoding-wikievents-dev.json]
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from summarizer.geo import article_context, resolve

ROOT = Path(__file__).resolve().parents[2]
EXPECTED = ROOT / "eval" / "geo" / "wikievents-dev-places.json"
ARTICLES = ROOT.parent / "shared" / "eval" / "wikievents" / "dev.jsonl"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--json", type=Path, help="write the report here too")
    args = parser.parse_args()
    texts = {}
    for line in ARTICLES.read_text(encoding="utf-8").splitlines():
        doc = json.loads(line)
        texts[doc["doc_id"]] = " ".join(doc["tokens"])
    contexts = {doc_id: article_context(text) for doc_id, text in texts.items()}
    rows = []
    for place in json.loads(EXPECTED.read_text(encoding="utf-8"))["places"]:
        found = resolve(place["text"], context=contexts[place["doc_id"]])
        rows.append(
            {
                **place,
                "resolved": found.country,
                "precision": found.precision,
                "point": found.latitude is not None,
                "source": found.source,
                "note": found.note,
            }
        )
    total = len(rows)
    right = sum(r["resolved"] == r["country"] for r in rows)
    wrong = [r for r in rows if r["resolved"] is not None and r["resolved"] != r["country"]]
    unresolved = [r for r in rows if r["resolved"] is None]
    points = sum(r["point"] for r in rows)
    by_precision: dict[str, int] = {}
    for r in rows:
        by_precision[r["precision"]] = by_precision.get(r["precision"], 0) + 1
    print(f"Place arguments: {total}")
    print(f"right country: {right}/{total} = {right / total:.3f}")
    print(f"given a point: {points}/{total} = {points / total:.3f}")
    print(f"by precision: {by_precision}")
    print(f"wrong country: {len(wrong)}")
    for r in wrong:
        print(f"  {r['doc_id']}: {r['text']!r} -> {r['resolved']} ({r['source']}), expected {r['country']}")
    print(f"unresolved: {len(unresolved)}")
    for r in unresolved:
        print(f"  {r['doc_id']}: {r['text']!r}: {r['note']}")
    if args.json:
        summary = {"total": total, "right_country": right, "with_point": points, "by_precision": by_precision}
        args.json.write_text(json.dumps({"summary": summary, "places": rows}, indent=1, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
