"""The generation store: every model output is kept the moment it is produced.

A generation is keyed by a hash of everything that determines it: the summarizer's ``identity``
(backend, model and revision, generation settings), the rendered prompt, the length budget and
the document text. (lm-evaluation-harness's cache ignored the model; this one cannot.) Failed
generations are not stored, so a re-run retries exactly those.

The store is SQLite in WAL mode: readers never block, and the jobs of a multirun sweep that
write at once wait for each other (``busy_timeout``) instead of failing.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any

from harness.types import Generation, Request

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
    payload = {
        "identity": identity,
        "system": request.system,
        "user": request.user,
        "budget": asdict(request.budget),
        "document": request.doc.text,
    }
    blob = json.dumps(payload, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(blob.encode()).hexdigest()


class GenerationCache:
    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(self.path, timeout=60, isolation_level=None)
        self._db.execute("PRAGMA busy_timeout = 60000")
        self._db.execute("PRAGMA journal_mode = WAL")
        self._db.execute(_SCHEMA)

    def get(self, key: str) -> Generation | None:
        row = self._db.execute(
            "SELECT summary, warnings FROM generations WHERE key = ?", (key,)
        ).fetchone()
        return Generation(row[0], warnings=tuple(json.loads(row[1]))) if row else None

    def put(self, key: str, generation: Generation, identity: dict[str, Any]) -> None:
        if generation.error is not None:
            return
        self._db.execute(
            "INSERT OR REPLACE INTO generations VALUES (?, ?, ?, ?, ?)",
            (
                key,
                generation.summary,
                json.dumps(list(generation.warnings)),
                json.dumps(identity, sort_keys=True, default=str),
                time.time(),
            ),
        )

    def __len__(self) -> int:
        return self._db.execute("SELECT COUNT(*) FROM generations").fetchone()[0]

    def close(self) -> None:
        self._db.close()
