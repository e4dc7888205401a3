"""The installed package's version, on its own so that reading it loads nothing else."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("summarizer")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0+source"
