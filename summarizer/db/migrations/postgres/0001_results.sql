-- The stored results of the REST API: summaries by id, the articles they were made of (once per text),
-- and story sets. Times are ISO 8601 text, as in the SQLite files, so both sort and filter alike.
CREATE TABLE summaries (
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
CREATE INDEX summaries_stored_at ON summaries (stored_at);
CREATE TABLE articles (
    sha256 TEXT PRIMARY KEY,
    text TEXT NOT NULL
);
CREATE TABLE story_sets (
    id TEXT PRIMARY KEY,
    stored_at TEXT NOT NULL,
    data TEXT NOT NULL
);
