"""Where the REST API keeps what it makes: SQLite files by default, one PostgreSQL database when
``SUMMARIZER_DATABASE_URL`` is set (``postgresql://...``), so that several servers share it.

``url`` reads and redacts the database URL, ``migrations`` applies the numbered SQL files of
``migrations/<backend>/`` once each, and ``postgres`` holds the connection pool."""
