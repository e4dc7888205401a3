#!/usr/bin/env python3
"""Build the kairos-fresh evaluation set (WikiEvents format) from the marked-up sources in src/.

usage (from anywhere):
  python3 eval/kairos-fresh/build.py            # write articles/, split.jsonl, coref.jsonlines
  python3 eval/kairos-fresh/build.py --stats    # also print per-document counts
  python3 eval/kairos-fresh/build.py --show DOC # print a document's sentences, mentions and events
  python3 eval/kairos-fresh/build.py --set DIR  # build another set of this format from DIR/src into DIR

Source format (src/<doc_id>.src):

  doc: fresh_road_ied_kunduz
  types: bomb=WEA convoy=VEH police=ORG ...     (default entity type of each label; several lines allowed)
  ---
  <article text with inline markup>

Markup inside the article text:

  [[label|text]]            an entity mention; every mention with the same label is one coreference cluster
  [[label:TYPE|text]]       the same, with an entity type other than the label's default
  [[label#tag|text]]        a mention that an argument can name explicitly as label#tag
  {{Type|trigger|Role=label Role=label ...}}
                            an event mention; Type is a short name (see EVENT_TYPES) or a full KAIROS type.
                            An argument names a cluster; the builder picks the cluster's mention closest to
                            the trigger (same sentence first, then the nearest sentence; within a sentence a
                            name or nominal before a pronoun, then the nearest by tokens). It refuses a mention
                            more than one sentence away unless the label ends with "!" (label!).

Everything else is copied verbatim: the article file is the source text with the markup removed. Token,
sentence and character offsets are computed (regex tokenizer: numbers, words, each punctuation mark), and
every mention and trigger is checked to start and end on token boundaries inside one sentence.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent

EVENT_TYPES = {
    "Attack": "Conflict.Attack.Unspecified",
    "Detonate": "Conflict.Attack.DetonateExplode",
    "Demonstrate": "Conflict.Demonstrate.Unspecified",
    "DemonstrateViolent": "Conflict.Demonstrate.DemonstrateWithViolence",
    "Die": "Life.Die.Unspecified",
    "Injure": "Life.Injure.Unspecified",
    "Arrest": "Justice.ArrestJailDetain.Unspecified",
    "Broadcast": "Contact.Contact.Broadcast",
    "Trial": "Justice.TrialHearing.Unspecified",
    "Charge": "Justice.ChargeIndict.Unspecified",
    "Convict": "Justice.Convict.Unspecified",
    "Sentence": "Justice.Sentence.Unspecified",
    "Acquit": "Justice.Acquit.Unspecified",
    "Release": "Justice.ReleaseParole.Unspecified",
    "Investigate": "Justice.InvestigateCrime.Unspecified",
    "Destroy": "ArtifactExistence.DamageDestroyDisableDismantle.Destroy",
    "Damage": "ArtifactExistence.DamageDestroyDisableDismantle.Damage",
}
# roles allowed per in-scope type (KAIROS); out-of-scope types are not checked
ROLES = {
    "Conflict.Attack.Unspecified": {"Attacker", "Target", "Place", "Instrument"},
    "Conflict.Attack.DetonateExplode": {"Attacker", "Target", "Place", "Instrument", "ExplosiveDevice"},
    "Conflict.Demonstrate.Unspecified": {"Demonstrator", "Regulator", "Target", "Place"},
    "Conflict.Demonstrate.DemonstrateWithViolence": {"Demonstrator", "Regulator", "Target", "Place"},
    "Life.Die.Unspecified": {"Victim", "Killer", "Place", "Instrument"},
    "Life.Injure.Unspecified": {"Victim", "Injurer", "Place", "Instrument"},
    "Justice.ArrestJailDetain.Unspecified": {"Jailer", "Detainee", "Place"},
}
ENTITY_TYPES = {"PER", "ORG", "GPE", "LOC", "FAC", "WEA", "VEH", "COM", "VAL", "ABS", "MHI", "TTL", "SID", "MON"}
PLACE_TYPES = {"GPE", "LOC", "FAC"}

MARK = re.compile(r"\[\[([^\]|]+)\|([^\]]+)\]\]|\{\{([^}|]+)\|([^}|]+)(?:\|([^}]*))?\}\}")
TOKEN = re.compile(r"\d+(?:[.,:]\d+)+|\w+|[^\w\s]")
ABBREV = {"mr", "mrs", "ms", "dr", "gen", "lt", "col", "maj", "capt", "sgt", "gov", "sen", "rep", "st", "jr",
          "sr", "inc", "co", "corp", "no", "jan", "feb", "aug", "sept", "sep", "oct", "nov", "dec", "vs"}
CLOSERS = {'"', "”", "’", "'", ")"}
PRONOUNS = set("he him his she her it its they them their who whom which that this these those one".split())


class BuildError(Exception):
    pass


def parse_source(path: Path):
    raw = path.read_text(encoding="utf-8")
    head, sep, body = raw.partition("\n---\n")
    if not sep:
        raise BuildError(f"{path}: no '---' line between header and text")
    doc_id, types = None, {}
    for line in head.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        key, _, val = line.partition(":")
        if key == "doc":
            doc_id = val.strip()
        elif key == "types":
            for item in val.split():
                lab, _, typ = item.partition("=")
                if typ not in ENTITY_TYPES:
                    raise BuildError(f"{path}: label {lab}: unknown entity type {typ!r}")
                if lab in types:
                    raise BuildError(f"{path}: label {lab} declared twice")
                types[lab] = typ
        else:
            raise BuildError(f"{path}: header line {line!r}")
    if not doc_id:
        raise BuildError(f"{path}: no 'doc:' line")
    return doc_id, types, body.strip("\n") + "\n"


def strip_markup(body: str):
    """Plain text plus the mentions and events with character offsets into it."""
    out, pos, mentions, events = [], 0, [], []
    n = 0
    for m in MARK.finditer(body):
        out.append(body[pos:m.start()])
        n += len(body[pos:m.start()])
        if m.group(1) is not None:
            spec, text = m.group(1).strip(), m.group(2)
            mm = re.fullmatch(r"([A-Za-z0-9_]+)(?::([A-Z]+))?(?:#([A-Za-z0-9_]+))?", spec)
            if not mm:
                raise BuildError(f"bad mention spec {spec!r}")
            mentions.append({"label": mm.group(1), "type": mm.group(2), "tag": mm.group(3),
                             "cs": n, "ce": n + len(text), "text": text})
        else:
            typ, trig, args = m.group(3).strip(), m.group(4), (m.group(5) or "").split()
            events.append({"type": EVENT_TYPES.get(typ, typ), "cs": n, "ce": n + len(trig), "text": trig,
                           "args": args, "src": m.group(0)})
            text = trig
        out.append(text)
        n += len(text)
        pos = m.end()
    out.append(body[pos:])
    plain = "".join(out)
    if "[[" in plain or "]]" in plain or "{{" in plain or "}}" in plain:
        i = min(x for x in (plain.find("[["), plain.find("]]"), plain.find("{{"), plain.find("}}")) if x >= 0)
        raise BuildError(f"unparsed markup near {plain[max(0, i - 60):i + 60]!r}")
    return plain, mentions, events


def tokenize(text: str):
    return [(m.group(0), m.start(), m.end()) for m in TOKEN.finditer(text)]


def split_sentences(text: str, toks):
    """Lists of token indexes: a new sentence after . ? ! (and closing quotes) before a capital, digit or
    opening quote, unless the period ends an abbreviation or an initial; and at every line break."""
    sents, cur = [], []
    i = 0
    while i < len(toks):
        cur.append(i)
        t, s, e = toks[i]
        nxt = toks[i + 1] if i + 1 < len(toks) else None
        end = False
        if nxt is not None and "\n" in text[e:nxt[1]]:
            end = True
        elif t in ".?!" and nxt is not None:
            prev = toks[i - 1] if i > 0 else None
            abbrev = (t == "." and prev is not None and prev[2] == s and
                      (prev[0].lower() in ABBREV or (len(prev[0]) == 1 and prev[0].isalpha())))
            j = i + 1
            while j < len(toks) and toks[j][0] in CLOSERS and toks[j][1] == toks[j - 1][2]:
                j += 1
            if j < len(toks) and not abbrev:
                nt, ns, _ = toks[j]
                gap = text[toks[j - 1][2]:ns]
                if gap.strip() == "" and gap and (nt[0].isupper() or nt[0].isdigit() or nt in ('"', "“", "‘")):
                    for k in range(i + 1, j):
                        cur.append(k)
                    i = j - 1
                    end = True
        if end:
            sents.append(cur)
            cur = []
        i += 1
    if cur:
        sents.append(cur)
    return sents


def build_doc(path: Path):
    doc_id, types, body = parse_source(path)
    text, mraw, eraw = strip_markup(body)
    toks = tokenize(text)
    start_of = {s: i for i, (_, s, _) in enumerate(toks)}
    end_of = {e: i + 1 for i, (_, _, e) in enumerate(toks)}
    sents = split_sentences(text, toks)
    sent_of = {}
    for si, idxs in enumerate(sents):
        for k in idxs:
            sent_of[k] = si

    def span(cs, ce, what):
        if cs not in start_of or ce not in end_of:
            raise BuildError(f"{doc_id}: {what} {text[cs:ce]!r} does not sit on token boundaries")
        a, b = start_of[cs], end_of[ce]
        if sent_of[a] != sent_of[b - 1]:
            raise BuildError(f"{doc_id}: {what} {text[cs:ce]!r} crosses a sentence boundary")
        return a, b, sent_of[a]

    ents, by_label, by_tag, seen_spans = [], defaultdict(list), {}, set()
    for k, m in enumerate(mraw, 1):
        lab = m["label"]
        typ = m["type"] or types.get(lab)
        if typ is None:
            raise BuildError(f"{doc_id}: label {lab!r} ({m['text']!r}) has no type")
        if typ not in ENTITY_TYPES:
            raise BuildError(f"{doc_id}: {lab}: bad type {typ}")
        a, b, si = span(m["cs"], m["ce"], "mention")
        if (a, b) in seen_spans:
            raise BuildError(f"{doc_id}: two mentions on the same span {m['text']!r}")
        seen_spans.add((a, b))
        mid = f"{doc_id}-T{k}"
        rec = {"id": mid, "sent_idx": si, "start": a, "end": b, "entity_type": typ, "mention_type": "UNK",
               "text": text[m["cs"]:m["ce"]]}
        ents.append(rec)
        by_label[lab].append(rec)
        if m["tag"]:
            key = f"{lab}#{m['tag']}"
            if key in by_tag:
                raise BuildError(f"{doc_id}: tag {key} used twice")
            by_tag[key] = rec
    unused = set(types) - set(by_label)
    if unused:
        raise BuildError(f"{doc_id}: declared labels never used: {sorted(unused)}")

    events = []
    for k, e in enumerate(eraw, 1):
        a, b, si = span(e["cs"], e["ce"], "trigger")
        et = e["type"]
        if et.count(".") != 2:
            raise BuildError(f"{doc_id}: unknown event type in {e['src']}")
        args, seen = [], set()
        for item in e["args"]:
            role, _, ref = item.partition("=")
            if not role or not ref:
                raise BuildError(f"{doc_id}: bad argument {item!r} in {e['src']}")
            if et in ROLES and role not in ROLES[et]:
                raise BuildError(f"{doc_id}: role {role} not allowed for {et} in {e['src']}")
            far = ref.endswith("!")
            ref = ref.rstrip("!")
            if "#" in ref:
                if ref not in by_tag:
                    raise BuildError(f"{doc_id}: no mention tagged {ref} for {e['src']}")
                cands = [by_tag[ref]]
                lab = ref.split("#")[0]
            else:
                lab = ref
                cands = by_label.get(lab)
                if not cands:
                    raise BuildError(f"{doc_id}: argument label {lab!r} has no mention ({e['src']})")
            # the closest mention: same sentence first, a name or nominal before a pronoun, then by tokens
            best = min(cands, key=lambda r: (abs(r["sent_idx"] - si), r["text"].lower() in PRONOUNS,
                                             min(abs(r["start"] - a), abs(r["end"] - b))))
            if abs(best["sent_idx"] - si) > 1 and not far:
                raise BuildError(f"{doc_id}: {role}={lab}: nearest mention {best['text']!r} is "
                                 f"{abs(best['sent_idx'] - si)} sentences from {e['src']}")
            if (role, lab) in seen:
                raise BuildError(f"{doc_id}: {role}={lab} twice in {e['src']}")
            seen.add((role, lab))
            args.append({"entity_id": best["id"], "role": role, "text": best["text"]})
        events.append({"id": f"{doc_id}-E{k}", "event_type": et,
                       "trigger": {"start": a, "end": b, "text": text[e["cs"]:e["ce"]], "sent_idx": si},
                       "arguments": args})

    sentences = []
    for idxs in sents:
        tl = [[toks[k][0], toks[k][1], toks[k][2]] for k in idxs]
        sentences.append([tl, text[tl[0][1]:tl[-1][2]]])
    doc = {"doc_id": doc_id, "tokens": [t for t, _, _ in toks], "text": text, "sentences": sentences,
           "entity_mentions": ents, "relation_mentions": [], "event_mentions": events}

    clusters, informative = [], []
    order = sorted(by_label, key=lambda lab: min(r["start"] for r in by_label[lab]))
    for lab in order:
        recs = by_label[lab]
        clusters.append([r["id"] for r in recs])
        good = [r for r in recs if r["text"].lower() not in PRONOUNS]
        named = [r for r in good if any(w[:1].isupper() for w in r["text"].split())
                 and r["sent_idx"] != 0 or r["entity_type"] in PLACE_TYPES and r["text"][:1].isupper()]
        pick = max(named or good or recs, key=lambda r: (len(r["text"]), -r["start"]))
        informative.append(pick["text"])
    coref = {"doc_key": doc_id, "clusters": clusters, "informative_mentions": informative}
    validate(doc, coref)
    return doc, coref


def validate(doc, coref):
    text, toks = doc["text"], doc["tokens"]
    flat = [tok for s in doc["sentences"] for tok in s[0]]
    if [t for t, _, _ in flat] != toks:
        raise BuildError(f"{doc['doc_id']}: sentences do not cover the tokens in order")
    for t, s, e in flat:
        if text[s:e] != t:
            raise BuildError(f"{doc['doc_id']}: token {t!r} at {s}:{e}")
    for m in doc["entity_mentions"]:
        s, e = flat[m["start"]][1], flat[m["end"] - 1][2]
        if text[s:e] != m["text"]:
            raise BuildError(f"{doc['doc_id']}: mention {m['id']} text {m['text']!r} != {text[s:e]!r}")
        if flat[m["start"]] not in doc["sentences"][m["sent_idx"]][0]:
            raise BuildError(f"{doc['doc_id']}: mention {m['id']} sent_idx")
    ids = {m["id"] for m in doc["entity_mentions"]}
    for ev in doc["event_mentions"]:
        t = ev["trigger"]
        s, e = flat[t["start"]][1], flat[t["end"] - 1][2]
        if text[s:e] != t["text"]:
            raise BuildError(f"{doc['doc_id']}: trigger {ev['id']}")
        for a in ev["arguments"]:
            if a["entity_id"] not in ids:
                raise BuildError(f"{doc['doc_id']}: argument of {ev['id']} names no mention")
    inclus = [i for c in coref["clusters"] for i in c]
    if sorted(inclus) != sorted(ids) or len(set(inclus)) != len(inclus):
        raise BuildError(f"{doc['doc_id']}: clusters do not partition the mentions")


GROUP = {"Attacker": "agent", "Killer": "agent", "Injurer": "agent", "Jailer": "agent", "Demonstrator": "agent",
         "Target": "target", "Victim": "victim", "Detainee": "victim", "Place": "place",
         "Instrument": "instrument", "ExplosiveDevice": "instrument"}
SCOPE = ("Conflict.", "Life.Die.", "Life.Injure.", "Justice.ArrestJailDetain.")


def stats(docs):
    tot_ev, tot = 0, Counter()
    rows = []
    for d in docs:
        evs = [e for e in d["event_mentions"] if e["event_type"].startswith(SCOPE)]
        c = Counter(GROUP.get(a["role"], "other") for e in evs for a in e["arguments"])
        words = len(re.findall(r"[A-Za-z0-9]+(?:['’.-][A-Za-z0-9]+)*", d["text"]))
        rows.append((d["doc_id"], words, len(d["sentences"]), len(d["entity_mentions"]), len(evs), c))
        tot_ev += len(evs)
        tot += c
    groups = ["agent", "target", "victim", "place", "instrument", "other"]
    print(f"{'doc_id':44} words sents ments events " + " ".join(f"{g[:6]:>6}" for g in groups))
    for did, w, s, m, e, c in rows:
        print(f"{did:44} {w:5} {s:5} {m:5} {e:6} " + " ".join(f"{c[g]:6}" for g in groups))
    print(f"{'total':44} {'':5} {'':5} {'':5} {tot_ev:6} " + " ".join(f"{tot[g]:6}" for g in groups)
          + f"   (arguments: {sum(tot.values())})")


def show(doc):
    ments = {m["id"]: m for m in doc["entity_mentions"]}
    for i, (toks, st) in enumerate(doc["sentences"]):
        print(f"[{i}] {st}")
        for ev in doc["event_mentions"]:
            if ev["trigger"]["sent_idx"] == i:
                args = "; ".join(f"{a['role']}={a['text']}({ments[a['entity_id']]['sent_idx']})"
                                 for a in ev["arguments"])
                print(f"      {ev['event_type']} <{ev['trigger']['text']}> {args}")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--stats", action="store_true")
    ap.add_argument("--show")
    ap.add_argument("--set", default=str(HERE), help="the set's folder, whose src/ is read (default: this one's)")
    ap.add_argument("--out", help="where articles/, split.jsonl and coref.jsonlines go (default: the set's folder)")
    a = ap.parse_args(argv)
    folder = Path(a.set)
    out = Path(a.out) if a.out else folder
    docs, corefs = [], []
    try:
        for p in sorted((folder / "src").glob("*.src")):
            d, c = build_doc(p)
            if d["doc_id"] != p.stem:
                raise BuildError(f"{p}: doc id {d['doc_id']} differs from the file name")
            docs.append(d)
            corefs.append(c)
    except BuildError as e:
        sys.exit(f"build.py: {e}")
    (out / "articles").mkdir(parents=True, exist_ok=True)
    keep = {f"{d['doc_id']}.txt" for d in docs}
    for old in (out / "articles").glob("*.txt"):
        if old.name not in keep:
            old.unlink()
    for d in docs:
        (out / "articles" / f"{d['doc_id']}.txt").write_text(d["text"], encoding="utf-8")
    with open(out / "split.jsonl", "w", encoding="utf-8") as f:
        for d in docs:
            f.write(json.dumps(d, ensure_ascii=False) + "\n")
    with open(out / "coref.jsonlines", "w", encoding="utf-8") as f:
        for c in corefs:
            f.write(json.dumps(c, ensure_ascii=False) + "\n")
    print(f"build.py: {len(docs)} documents -> {out}/articles, split.jsonl, coref.jsonlines")
    if a.stats:
        stats(docs)
    if a.show:
        show(next(d for d in docs if d["doc_id"] == a.show))
    return 0


if __name__ == "__main__":
    sys.exit(main())
