-- Batch jobs of the REST API shared by every instance: a job, and one row per line of its upload.
-- A worker claims a pending line (FOR UPDATE SKIP LOCKED) with a fresh claim token and a lease it renews
-- while working; a line whose lease ran out is claimed again by any instance. A result is written once,
-- by the holder of the line's current claim (state pending -> done or failed): a worker that lost its
-- lease writes nothing. Times are the database's clock (timestamptz), so instances need not agree.
CREATE TABLE batch_jobs (
    id TEXT PRIMARY KEY,
    status TEXT NOT NULL,
    prompt_version TEXT,
    total INTEGER NOT NULL,
    message TEXT,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX batch_jobs_open ON batch_jobs (created_at) WHERE status IN ('queued', 'running');
CREATE TABLE batch_lines (
    job_id TEXT NOT NULL REFERENCES batch_jobs (id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    item_id TEXT NOT NULL,
    origin TEXT NOT NULL,
    text TEXT,
    title TEXT,
    url TEXT,
    source TEXT,
    published_at TEXT,
    state TEXT NOT NULL,
    claim UUID,
    claimed_by TEXT,
    lease_until TIMESTAMPTZ,
    claims INTEGER NOT NULL DEFAULT 0,
    result TEXT,
    failure TEXT,
    cache_hit BOOLEAN NOT NULL DEFAULT FALSE,
    prompt_tokens INTEGER NOT NULL DEFAULT 0,
    completion_tokens INTEGER NOT NULL DEFAULT 0,
    finished_at TIMESTAMPTZ,
    PRIMARY KEY (job_id, seq)
);
CREATE INDEX batch_lines_pending ON batch_lines (job_id, seq) WHERE state = 'pending';
