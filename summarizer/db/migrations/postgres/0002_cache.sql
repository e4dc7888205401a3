-- The result cache, shared by every instance: model answers by answer key, finished summaries by summary
-- key (what the SQLite cache file keeps in its tables "results" and "summaries").
CREATE TABLE cache_answers (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL,
    material TEXT NOT NULL,
    created_at DOUBLE PRECISION NOT NULL
);
CREATE TABLE cache_summaries (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL,
    material TEXT NOT NULL,
    created_at DOUBLE PRECISION NOT NULL
);
