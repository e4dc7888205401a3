from __future__ import annotations

import summarizer


def test_public_names_are_pinned() -> None:
    """Removing or renaming a public name breaks library users: change this list deliberately."""
    assert sorted(summarizer.__all__) == sorted(
        [
            "SCHEMA_VERSION",
            "ArticleSummary",
            "BackendError",
            "ConfigError",
            "ExtractionError",
            "InputError",
            "ModelFileError",
            "PromptError",
            "Settings",
            "Summarizer",
            "SummarizerError",
            "__version__",
            "summarize",
            "StorySet",
            "link_stories",
        ]
    )
    for name in summarizer.__all__:
        assert hasattr(summarizer, name)
