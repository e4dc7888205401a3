-- The stored results of the REST API, as SQLite files made before migrations were numbered already hold
-- them: every statement may find its table there.
CREATE TABLE IF NOT EXISTS summaries (
    id TEXT PRIMARY KEY,
    stored_at TEXT NOT NULL,
    prompt_version TEXT NOT NULL,
    model TEXT NOT NULL,
    backend TEXT NOT NULL,
    title TEXT,
    url TEXT,
    source TEXT,
    published_at TEXT,
    data TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS summaries_stored_at ON summaries (stored_at);
CREATE TABLE IF NOT EXISTS articles (
    sha256 TEXT PRIMARY KEY,
    text TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS story_sets (
    id TEXT PRIMARY KEY,
    stored_at TEXT NOT NULL,
    data TEXT NOT NULL
);
