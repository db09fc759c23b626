"""The project's own error types; every failure a user can cause is one of these."""

from __future__ import annotations


class AqbError(Exception):
    """Base class: a problem the user can act on, with a German one-line message."""


class DocumentRefused(AqbError):
    """A document that cannot be read as a Zielvereinbarung.

    ``file_name`` says which file, ``reason`` what is missing or wrong (German, one line).
    """

    def __init__(self, file_name: str, reason: str):
        self.file_name = file_name
        self.reason = reason
        super().__init__(f"{file_name}: {reason}")


class StoreError(AqbError):
    """The store is missing, locked or inconsistent."""


class SettingsError(AqbError):
    """A setting (environment variable, path) is invalid."""
