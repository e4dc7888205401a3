"""summarizer: conflict and politics news in, schema-validated, grounded structured summaries out.

from summarizer import Summarizer
summary = Summarizer().summarize(article_text)
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("summarizer")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0+source"

from summarizer.errors import (
    BackendError,
    ConfigError,
    ExtractionError,
    InputError,
    ModelFileError,
    PromptError,
    SummarizerError,
)
from summarizer.pipeline import Summarizer, summarize
from summarizer.schema import SCHEMA_VERSION, ArticleSummary
from summarizer.settings import Settings

__all__ = [
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
]
