"""The batch-API engine on a folder of articles (default: the 20 news articles), killed once mid-poll and resumed.

Starts the fake files+batches server (``tests/fake_batch_server.py``) on 127.0.0.1, answering every
request with ``tests/canned_answers.py`` (deterministic, schema-valid answers computed from the request).
Runs ``summarizer batch FOLDER --engine batch-api`` as a real process, SIGKILLs it once the batch has
been polled ``--kill-after-polls`` times, then runs the same command again. Then runs the live engine on
the same folder against the fake chat endpoint answering with the same canned answers, and prints:
batches created and files uploaded (1 and 1 = re-attached, nothing paid twice), lines written, lines
that validate against the committed JSON Schema, and lines equal to the live engine's (times aside).

    python benchmarks/batch_api_resume.py [--input /work/shared/corpus/news] [--prompt-version v3]

It talks only to 127.0.0.1 and writes only to a temporary directory.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # for tests.* when run as a script

import jsonschema  # noqa: E402

from summarizer.batch import BatchJob, BatchRunner  # noqa: E402
from summarizer.schema_files import bundled_schemas_dir, load  # noqa: E402
from summarizer.settings import Settings  # noqa: E402
from tests.canned_answers import canned_completion  # noqa: E402
from tests.fake_batch_server import fake_batch_server  # noqa: E402
from tests.fake_openai_server import FakeConfig, fake_openai_server  # noqa: E402

VOLATILE = ("latency_ms", "llm_latency_ms", "created_at", "served_at")


def lines_by_id(path: Path) -> dict[str, dict[str, Any]]:
    found = {}
    for raw in path.read_text(encoding="utf-8").splitlines():
        record = json.loads(raw)
        found[record["article"]["id"]] = record
    return found


def without_times(record: dict[str, Any]) -> dict[str, Any]:
    copy = json.loads(json.dumps(record))
    for name in VOLATILE:
        copy["provenance"].pop(name)
    return copy


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--input", default="/work/shared/corpus/news")
    parser.add_argument("--prompt-version", default="v3", help="v3: steps (the openai default); v5: candidates")
    parser.add_argument("--kill-after-polls", type=int, default=3)
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="batch-api-") as tmp, fake_batch_server(polls_in_progress=10_000) as server:
        work = Path(tmp)
        out = work / "batch.jsonl"
        env = {
            **os.environ,
            "SUMMARIZER_API_KEY": "x",
            "SUMMARIZER_DATA_DIR": str(work / "batch-data"),
            "SUMMARIZER_PROMPT_VERSION": args.prompt_version,
        }
        command = [sys.executable, "-m", "summarizer.cli", "batch", args.input, "--out", str(out)]
        command += ["--engine", "batch-api", "--poll-interval", "0.05", "--backend", "openai"]
        command += ["--base-url", server.base_url, "--progress-interval", "1"]
        started = time.monotonic()
        process = subprocess.Popen(command, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL)
        while server.stats["polls"] < args.kill_after_polls and process.poll() is None:
            time.sleep(0.01)
        process.send_signal(signal.SIGKILL)
        killed = process.wait()
        at_kill = dict(server.stats)
        server.config.polls_in_progress = 2
        resumed = subprocess.run(command, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, check=False)
        batch_s = time.monotonic() - started
        stats = dict(server.stats)

        with fake_openai_server(FakeConfig(answer=canned_completion)) as chat:
            settings = Settings(
                backend="openai",
                base_url=chat.base_url,
                api_key="x",
                data_dir=work / "live-data",
                prompt_version=args.prompt_version,
            )
            live_report = BatchRunner(BatchJob(input=args.input, out=work / "live.jsonl"), settings).run()

        batch_lines, live_lines = lines_by_id(out), lines_by_id(work / "live.jsonl")
        validator = jsonschema.Draft202012Validator(load(bundled_schemas_dir()))
        valid = sum(1 for record in batch_lines.values() if validator.is_valid(record))
        equal = sum(
            1
            for key, record in batch_lines.items()
            if key in live_lines and without_times(record) == without_times(live_lines[key])
        )
        failures = (work / "batch.failures.jsonl").read_text().count("\n")

    print(f"input               {args.input} (prompt {args.prompt_version})")
    print(
        f"first run           killed (exit {killed}) after {at_kill.get('polls', 0)} polls; "
        f"{at_kill.get('creations', 0)} batch created, {at_kill.get('uploads', 0)} file uploaded"
    )
    print(f"resumed run         exit {resumed.returncode}; total {batch_s:.1f} s for both runs")
    print(
        f"provider            {stats.get('creations', 0)} batch(es) created, {stats.get('uploads', 0)} upload(s), "
        f"{stats.get('polls', 0)} polls, {stats.get('downloads', 0)} download(s)"
    )
    print(f"output              {len(batch_lines)} lines, {failures} failures")
    print(f"schema-valid        {valid}/{len(batch_lines)}")
    print(
        f"equal to live       {equal}/{len(batch_lines)} (live engine: {live_report.stats.done} done, "
        f"{live_report.stats.requests} requests)"
    )
    ok = killed == -signal.SIGKILL and resumed.returncode == 0 and stats.get("creations") == 1
    return 0 if ok and valid == equal == len(batch_lines) == live_report.stats.done else 1


if __name__ == "__main__":
    raise SystemExit(main())
