"""The one exception a user sees as a one-line message instead of a traceback, and its helpers."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager


class UsageError(Exception):
    """Bad input or configuration. The message names the file or setting at fault."""


def first_line(e: BaseException) -> str:
    """An exception's message cut to its first line (its type's name when it has none)."""
    text = str(e).strip()
    return text.splitlines()[0] if text else type(e).__name__


@contextmanager
def quiet(logger: str, level: int = logging.CRITICAL) -> Iterator[None]:
    """Hide a library's log records below ``level`` while its exception becomes our one line."""
    log = logging.getLogger(logger)
    before = log.level
    log.setLevel(level)
    try:
        yield
    finally:
        log.setLevel(before)


class DamagedFile(UsageError):
    """A results file that cannot be read as written (a cut or corrupt line): the message names
    the file and line, and the tools exit 2 instead of reporting on what is left."""
