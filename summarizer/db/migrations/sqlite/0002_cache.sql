-- PostgreSQL keeps the result cache in the shared database (its migration 0002); the SQLite results file
-- does not: the cache is its own file (summarizer/cache.py). Numbered here too, so both backends count
-- their migrations alike.
SELECT 1;
