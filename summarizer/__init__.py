"""summarizer: conflict and politics news in, schema-validated, grounded structured summaries out.

from summarizer import Summarizer
summary = Summarizer().summarize(article_text)

The package root is lazy (PEP 562): ``import summarizer`` or ``import summarizer.counts`` loads no
model client; a public name's module is imported the first time the name is read. A new public name
is one line in ``_EXPORTS`` (plus its twin in the ``TYPE_CHECKING`` block, for type checkers, and the
pinned list in ``tests/test_public_api.py``).
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module
from typing import TYPE_CHECKING, Any

# Public name -> the module that defines it.
_EXPORTS: dict[str, str] = {
    "SCHEMA_VERSION": "summarizer.schema",
    "ArticleSummary": "summarizer.schema",
    "BackendError": "summarizer.errors",
    "ConfigError": "summarizer.errors",
    "ExtractionError": "summarizer.errors",
    "InputError": "summarizer.errors",
    "ModelFileError": "summarizer.errors",
    "PromptError": "summarizer.errors",
    "Settings": "summarizer.settings",
    "Summarizer": "summarizer.pipeline",
    "SummarizerError": "summarizer.errors",
    "__version__": "summarizer._version",
    "summarize": "summarizer.pipeline",
    "StorySet": "summarizer.stories.model",
    "link_stories": "summarizer.stories.build",
}

__all__ = list(_EXPORTS)


def _lazy_exports(
    package: str, exports: dict[str, str], namespace: dict[str, Any]
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """PEP 562 ``__getattr__`` and ``__dir__`` for a package whose public names live in its modules:
    a name's module is imported the first time the name is read, then the name is a plain attribute.
    ``summarizer.batch`` uses it too."""

    def __getattr__(name: str) -> Any:
        module = exports.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(import_module(module), name)
        namespace[name] = value  # the next read is a plain attribute
        return value

    def __dir__() -> list[str]:
        return sorted({*namespace, *exports})

    return __getattr__, __dir__


__getattr__, __dir__ = _lazy_exports(__name__, _EXPORTS, globals())


if TYPE_CHECKING:  # what type checkers and editors see (``X as X``: an explicit re-export); never run
    from summarizer._version import __version__ as __version__
    from summarizer.errors import BackendError as BackendError
    from summarizer.errors import ConfigError as ConfigError
    from summarizer.errors import ExtractionError as ExtractionError
    from summarizer.errors import InputError as InputError
    from summarizer.errors import ModelFileError as ModelFileError
    from summarizer.errors import PromptError as PromptError
    from summarizer.errors import SummarizerError as SummarizerError
    from summarizer.pipeline import Summarizer as Summarizer
    from summarizer.pipeline import summarize as summarize
    from summarizer.schema import SCHEMA_VERSION as SCHEMA_VERSION
    from summarizer.schema import ArticleSummary as ArticleSummary
    from summarizer.settings import Settings as Settings
    from summarizer.stories.build import link_stories as link_stories
    from summarizer.stories.model import StorySet as StorySet
