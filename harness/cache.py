"""The generation store: every model output is kept the moment it is produced.

A generation is keyed by a hash of everything that determines it: the summarizer's ``identity``
(backend, model and revision, generation settings), the rendered prompt, the length budget and
the document text. (lm-evaluation-harness's cache ignored the model; this one cannot.) Failed
generations are not stored, so a re-run retries exactly those.

The store is SQLite (https://www.sqlite.org/wal.html) in WAL mode: readers never block a writer,
and the jobs of a multirun sweep that write at once wait for each other (``busy_timeout``) instead
of failing. WAL needs a local file system (not NFS).

Generations are committed in batches, one transaction each (a commit per generation cost a
served model's run a third more client CPU): a ``put`` is committed at once when no commit
happened in the last ``FLUSH_SECONDS``, and otherwise by a timer thread at most
``FLUSH_SECONDS`` later, or at once when ``FLUSH_ROWS`` wait. ``close`` commits what waits, and a
run closes its cache also when it fails or is stopped (Ctrl-C, SIGTERM). So the guarantee: a
stop loses nothing; a crash of the process (SIGKILL, out of memory) loses at most the
generations finished in the last ``FLUSH_SECONDS``, which the next run asks for again.
``synchronous=NORMAL`` keeps every committed transaction through a crash of the process (not of
the machine's power), at a fraction of the cost of a sync per commit.
"""

from __future__ import annotations

import copy
import hashlib
import json
import sqlite3
import threading
import time
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

from harness.errors import UsageError
from harness.types import Budget, Generation, Request

# Part of every key: bump it when what a key covers changes, and old entries stop matching.
KEY_VERSION = 1
# PRAGMA user_version of the table layout below.
SCHEMA_VERSION = 1
# A generation waits at most this long for its commit, with at most this many others.
FLUSH_SECONDS = 0.1
FLUSH_ROWS = 256
# Keys looked up in one query (SQLite allows 999 parameters before 3.32).
_KEYS_PER_QUERY = 500

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
    """The sha256 of everything that determines a generation (``cache_keys`` makes the same
    keys faster, for many requests)."""
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


# json.dumps(value, sort_keys=True, ensure_ascii=False, default=str), without making an
# encoder for each call.
_json = json.JSONEncoder(sort_keys=True, ensure_ascii=False, default=str).encode


def _json_around(text: str, document: str, document_json: bytes) -> bytes:
    """``_json(text)`` encoded, reusing the document's encoding where the text holds it (JSON
    escapes each character on its own, so the encoding of a concatenation concatenates)."""
    at = text.find(document) if document else -1
    if at < 0:
        return _json(text).encode()
    before, after = _json(text[:at]), _json(text[at + len(document) :])
    return before[:-1].encode() + document_json[1:-1] + after[1:].encode()


def cache_keys(identity: dict[str, Any], requests: Sequence[Request]) -> list[str]:
    """``cache_key`` of each request, byte for byte (keys of existing caches stay valid), at
    about two thirds of its cost: the identity and each budget are encoded once, the document
    once although the prompt holds it too (the texts' encoding is most of a key's cost)."""
    identity_json = _json(identity).encode()
    budgets: dict[Budget, bytes] = {}
    keys = []
    for request in requests:
        budget = budgets.get(request.budget)
        if budget is None:
            budget = budgets[request.budget] = _json(asdict(request.budget)).encode()
        document = request.doc.text
        document_json = _json(document).encode()
        # json.dumps(payload, sort_keys=True) of cache_key, written out in its key order.
        blob = b"".join(
            (
                b'{"budget": ',
                budget,
                b', "document": ',
                document_json,
                b', "identity": ',
                identity_json,
                b', "system": ',
                _json_around(request.system, document, document_json),
                b', "user": ',
                _json_around(request.user, document, document_json),
                b', "version": %d}' % KEY_VERSION,
            )
        )
        keys.append(hashlib.sha256(blob).hexdigest())
    return keys


class GenerationCache:
    """Generations by key, in one SQLite file that several processes may share.

    Raises:
        UsageError: the file cannot be created, or is not a generation cache.
    """

    def __init__(self, path: str | Path, timeout: float = 60.0):
        self.path = Path(path)
        self._lock = threading.Lock()
        self._pending: dict[str, tuple] = {}  # key -> row, waiting for its commit
        self._flushed = float("-inf")  # time.monotonic() of the last commit
        self._timer: threading.Timer | None = None
        self._closed = False
        self._late_error: UsageError | None = None
        self._identity: tuple[Any, str] = (None, "")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            # Autocommit (isolation_level=None): a statement is its own transaction, and
            # `_flush` opens one for a batch. Shared with the flush timer's thread, under _lock.
            self._db = sqlite3.connect(
                self.path, timeout=timeout, isolation_level=None, check_same_thread=False
            )
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
        return self.get_many([key])[0]

    def get_many(self, keys: Sequence[str]) -> list[Generation | None]:
        """``get`` of each key, in one query per few hundred keys."""
        found: dict[str, tuple[str, str]] = {}
        with self._lock:
            for start in range(0, len(keys), _KEYS_PER_QUERY):
                chunk = keys[start : start + _KEYS_PER_QUERY]
                marks = ", ".join("?" * len(chunk))
                found.update(
                    (key, (summary, warnings))
                    for key, summary, warnings in self._execute(
                        f"SELECT key, summary, warnings FROM generations WHERE key IN ({marks})",
                        tuple(chunk),
                    )
                )
            found.update((key, row[1:3]) for key, row in self._pending.items())
        return [
            Generation(row[0], warnings=tuple(json.loads(row[1]))) if row else None
            for row in map(found.get, keys)
        ]

    def put(self, key: str, generation: Generation, identity: dict[str, Any]) -> None:
        """Stores a generation, committed within FLUSH_SECONDS (see the module's docstring);
        failed or skipped ones are not."""
        if generation.error is not None or generation.skipped is not None:
            return
        if identity != self._identity[0]:  # one summarizer's puts share it: encoded once
            text = _json(identity)
            self._identity = (copy.deepcopy(identity), text)
        row = (
            key,
            generation.summary,
            _json(list(generation.warnings)),
            self._identity[1],
            time.time(),
        )
        with self._lock:
            self._raise_late_error()
            self._pending[key] = row
            due = time.monotonic() - self._flushed >= FLUSH_SECONDS
            if due or len(self._pending) >= FLUSH_ROWS:
                self._flush()
            elif self._timer is None:
                self._timer = threading.Timer(FLUSH_SECONDS, self._flush_later)
                self._timer.daemon = True
                self._timer.start()

    def _flush_later(self) -> None:
        with self._lock:
            self._timer = None
            if self._pending and not self._closed:
                try:
                    self._flush()
                except UsageError as e:  # (a full disk): raised in the run's thread, next put
                    self._late_error = e

    def _raise_late_error(self) -> None:
        if self._late_error is not None:
            error, self._late_error = self._late_error, None
            raise error

    def _flush(self) -> None:
        """Commits every waiting row in one transaction (hold _lock)."""
        rows = list(self._pending.values())
        self._pending.clear()
        self._flushed = time.monotonic()
        if not rows:
            return
        self._execute("BEGIN IMMEDIATE")
        try:
            self._execute_many("INSERT OR REPLACE INTO generations VALUES (?, ?, ?, ?, ?)", rows)
            self._execute("COMMIT")
        except BaseException:
            if self._db.in_transaction:
                self._db.rollback()
            raise

    def _execute_many(self, sql: str, rows: list[tuple]) -> None:
        try:
            self._db.executemany(sql, rows)
        except sqlite3.DatabaseError as e:
            raise UsageError(
                f"cache_path {self.path}: {e}; move the file aside, choose another cache_path, "
                "or cache=false"
            ) from None

    def __len__(self) -> int:
        with self._lock:
            self._flush()
            return self._execute("SELECT COUNT(*) FROM generations").fetchone()[0]

    def close(self) -> None:
        """Commits what waits, then closes the file."""
        with self._lock:
            if self._closed:
                return
            if self._timer is not None:
                self._timer.cancel()
                self._timer = None
            try:
                self._raise_late_error()
                self._flush()
            finally:
                self._closed = True
                self._db.close()

    def __enter__(self) -> GenerationCache:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
