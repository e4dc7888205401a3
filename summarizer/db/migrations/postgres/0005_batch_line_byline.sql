-- An article's byline (schema v3's ArticleMeta.byline), kept with its batch line like its other metadata.
ALTER TABLE batch_lines ADD COLUMN byline TEXT;
