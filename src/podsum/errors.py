"""Exceptions that the CLI turns into one-line messages."""

from __future__ import annotations


class PodsumError(Exception):
    """Base class: every error podsum raises on purpose is one of these."""


class ParseError(PodsumError, ValueError):
    """The input holds no summary page podsum can read."""


class SourceError(PodsumError):
    """A source could not be read (missing file, directory, network failure, too large)."""
