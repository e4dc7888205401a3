"""Stories: one real-world event across the articles that report it, with its casualty ledger."""

from summarizer.stories.build import link_stories
from summarizer.stories.model import STORY_SCHEMA_NAME, STORY_SCHEMA_VERSION, Story, StorySet

__all__ = ["STORY_SCHEMA_NAME", "STORY_SCHEMA_VERSION", "Story", "StorySet", "link_stories"]
