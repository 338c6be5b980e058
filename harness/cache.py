"""The generation store: every model output is kept the moment it is produced.

A generation is keyed by a hash of everything that determines it: the summarizer's ``identity``
(backend, model and revision, generation settings), the rendered prompt, the length budget and
the document text. (lm-evaluation-harness's cache ignored the model; this one cannot.) Failed
generations are not stored, so a re-run retries exactly those.

The store is SQLite (https://www.sqlite.org/wal.html) in WAL mode: readers never block a writer,
and the jobs of a multirun sweep that write at once wait for each other (``busy_timeout``) instead
of failing. Each ``put`` is its own transaction, committed before the next generation is asked
for, so a killed run loses only what was in flight. ``synchronous=NORMAL`` keeps every committed
transaction through a crash of the process (not of the machine's power), at a fraction of the
cost of a sync per put. WAL needs a local file system (not NFS).
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any

from harness.errors import UsageError
from harness.types import Generation, Request

# Part of every key: bump it when what a key covers changes, and old entries stop matching.
KEY_VERSION = 1
# PRAGMA user_version of the table layout below.
SCHEMA_VERSION = 1

_SCHEMA = """
CREATE TABLE IF NOT EXISTS generations (
    key TEXT PRIMARY KEY,
    summary TEXT NOT NULL,
    warnings TEXT NOT NULL,
    identity TEXT NOT NULL,
    created REAL NOT NULL
)
"""


def cache_key(identity: dict[str, Any], request: Request) -> str:
    """The sha256 of everything that determines a generation."""
    payload = {
        "version": KEY_VERSION,
        "identity": identity,
        "system": request.system,
        "user": request.user,
        "budget": asdict(request.budget),
        "document": request.doc.text,
    }
    blob = json.dumps(payload, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(blob.encode()).hexdigest()


class GenerationCache:
    """Generations by key, in one SQLite file that several processes may share.

    Raises:
        UsageError: the file cannot be created, or is not a generation cache.
    """

    def __init__(self, path: str | Path, timeout: float = 60.0):
        self.path = Path(path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            # Autocommit (isolation_level=None): every statement is its own transaction.
            self._db = sqlite3.connect(self.path, timeout=timeout, isolation_level=None)
            self._db.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")
            self._setup()
        except (OSError, sqlite3.DatabaseError) as e:
            raise UsageError(
                f"cache_path {self.path}: {e}; choose another cache_path, or cache=false"
            ) from None

    def _setup(self) -> None:
        # Switching to WAL takes an exclusive lock, and several jobs of a sweep may open a new
        # cache at the same moment; busy_timeout covers most of it, a retry the rest.
        for attempt in range(20):
            try:
                self._db.execute("PRAGMA journal_mode = WAL")
                self._db.execute("PRAGMA synchronous = NORMAL")
                self._db.execute(_SCHEMA)
                break
            except sqlite3.OperationalError as e:
                if "locked" not in str(e) or attempt == 19:
                    raise
                time.sleep(0.05 * (attempt + 1))
        version = self._db.execute("PRAGMA user_version").fetchone()[0]
        if version == 0:
            self._db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        elif version != SCHEMA_VERSION:
            raise sqlite3.DatabaseError(
                f"written by another version of summbench (schema {version}, "
                f"this one reads {SCHEMA_VERSION})"
            )

    def _execute(self, sql: str, parameters: tuple = ()) -> sqlite3.Cursor:
        """A statement; a damaged file (or a full disk) is a UsageError naming it."""
        try:
            return self._db.execute(sql, parameters)
        except sqlite3.DatabaseError as e:
            raise UsageError(
                f"cache_path {self.path}: {e}; move the file aside, choose another cache_path, "
                "or cache=false"
            ) from None

    def get(self, key: str) -> Generation | None:
        row = self._execute(
            "SELECT summary, warnings FROM generations WHERE key = ?", (key,)
        ).fetchone()
        return Generation(row[0], warnings=tuple(json.loads(row[1]))) if row else None

    def put(self, key: str, generation: Generation, identity: dict[str, Any]) -> None:
        """Stores a generation, committed when this returns; failed or skipped ones are not."""
        if generation.error is not None or generation.skipped is not None:
            return
        self._execute(
            "INSERT OR REPLACE INTO generations VALUES (?, ?, ?, ?, ?)",
            (
                key,
                generation.summary,
                json.dumps(list(generation.warnings), ensure_ascii=False),
                json.dumps(identity, sort_keys=True, ensure_ascii=False, default=str),
                time.time(),
            ),
        )

    def __len__(self) -> int:
        return self._execute("SELECT COUNT(*) FROM generations").fetchone()[0]

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> GenerationCache:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
