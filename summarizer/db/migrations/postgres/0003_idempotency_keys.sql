-- Idempotency-Key of POST /v1/summaries and POST /v1/batches: one row per key and the API key that sent it
-- (scope: its sha256, never the key), the request's fingerprint, and the first response once there is one
-- (status NULL: still in flight).
CREATE TABLE idempotency_keys (
    scope TEXT NOT NULL,
    key TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    created_at TEXT NOT NULL,
    status INTEGER,
    body TEXT,
    location TEXT,
    PRIMARY KEY (scope, key)
);
CREATE INDEX idempotency_keys_created_at ON idempotency_keys (created_at);
