"""The generation store: what its key covers, that it keeps what it is given, and shared use."""

import sqlite3
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from harness import ROOT
from harness.cache import GenerationCache, cache_key, cache_keys
from harness.errors import UsageError
from harness.types import Budget, Document, Generation, Request

IDENTITY = {"backend": "hf_chat", "name_or_path": "m", "revision": "abc", "generation": {"t": 0}}
REQUEST = Request(Document("d1", "The article.", ("ref",)), "sys", "Summarize: The article.")


def test_the_key_covers_everything_that_determines_a_generation():
    key = cache_key(IDENTITY, REQUEST)
    assert key == cache_key(dict(IDENTITY), REQUEST)
    changed = [
        cache_key({**IDENTITY, "name_or_path": "other"}, REQUEST),
        cache_key({**IDENTITY, "revision": "def"}, REQUEST),
        cache_key({**IDENTITY, "generation": {"t": 1}}, REQUEST),
        cache_key({**IDENTITY, "backend": "openai"}, REQUEST),
        cache_key(IDENTITY, replace(REQUEST, system="other")),
        cache_key(IDENTITY, replace(REQUEST, user="other")),
        cache_key(IDENTITY, replace(REQUEST, budget=Budget("words", 61))),
        cache_key(IDENTITY, replace(REQUEST, doc=Document("d1", "Another article."))),
    ]
    assert len({key, *changed}) == len(changed) + 1
    # The document's id and references do not change what a model writes.
    same_text = replace(REQUEST, doc=Document("other-id", "The article.", ("other ref",)))
    assert cache_key(IDENTITY, same_text) == key


# Texts with what JSON escapes (quotes, backslashes, control characters), non-ASCII and the
# document's own text repeated or cut, so the document is found in a prompt, twice, or not at all.
TEXT = st.text(alphabet=st.sampled_from('ab "\\\n\t\x00\x1fé€😀\u2028'), max_size=12)


@settings(max_examples=300, deadline=None)
@given(document=TEXT, before=TEXT, after=TEXT, system=TEXT, size=st.integers(1, 500))
def test_keys_made_in_bulk_are_the_keys_of_cache_key(document, before, after, system, size):
    identity = {**IDENTITY, "path": Path("/m"), "extra": {"b": [1.5, None], "a": "ü"}}
    requests = [
        Request(
            Document("d", document), system, f"{before}{document}{after}", Budget("words", size)
        ),
        Request(Document("d", document), f"{system}{document}", before, Budget("sentences", 2)),
        Request(Document("d", document), "", f"{document}{before}{document}"),
    ]
    assert cache_keys(identity, requests) == [cache_key(identity, r) for r in requests]


def test_a_generation_is_kept_across_connections(tmp_path):
    path = tmp_path / "sub" / "cache.sqlite"
    generation = Generation("A summary, with ünicode.", warnings=("input truncated",))
    with GenerationCache(path) as cache:
        assert cache.get("k") is None
        cache.put("k", generation, IDENTITY)
        cache.put("failed", Generation("", error="HTTP 500"), IDENTITY)
    with GenerationCache(path) as cache:
        assert cache.get("k") == generation
        # Failures are not stored, so the next run retries them.
        assert cache.get("failed") is None
        assert len(cache) == 1
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


WRITER = """
import sys
from harness.cache import GenerationCache
from harness.types import Generation
path, worker, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
cache = GenerationCache(path)
for i in range(n):
    cache.put(f"{worker}-{i}", Generation(f"summary {worker} {i}"), {"worker": worker})
    assert cache.get(f"{worker}-{i}") is not None
cache.close()
"""


def test_several_processes_write_one_new_cache_at_once(tmp_path):
    """As the jobs of a multirun sweep do: all of them create the file, then all write."""
    path, workers, n = tmp_path / "cache.sqlite", 6, 300
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(path), str(w), str(n)],
            cwd=ROOT,
            stderr=subprocess.PIPE,
            text=True,
        )
        for w in range(workers)
    ]
    for proc in procs:
        _, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
    with GenerationCache(path) as cache:
        assert len(cache) == workers * n
        for w in range(workers):
            for i in range(n):
                assert cache.get(f"{w}-{i}") == Generation(f"summary {w} {i}")


def test_a_file_that_is_not_a_cache_is_a_one_line_error(tmp_path):
    path = tmp_path / "cache.sqlite"
    path.write_text("not a database, but something a user wanted to keep\n" * 100)
    with pytest.raises(UsageError, match=r"^cache_path .*cache\.sqlite: .*not a database"):
        GenerationCache(path)
    assert path.read_text().startswith("not a database")


def test_a_cache_from_another_schema_is_refused(tmp_path):
    path = tmp_path / "cache.sqlite"
    GenerationCache(path).close()
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA user_version = 99")
    with pytest.raises(UsageError, match="schema 99"):
        GenerationCache(path)


def stored(path) -> set[str]:
    """The keys committed to the file, as another process would see them."""
    with sqlite3.connect(path) as db:
        return {row[0] for row in db.execute("SELECT key FROM generations")}


def test_a_put_is_committed_within_the_flush_interval_without_closing(tmp_path):
    from harness.cache import FLUSH_SECONDS

    path = tmp_path / "cache.sqlite"
    cache = GenerationCache(path)
    keys = [f"k{i}" for i in range(5)]
    for key in keys:
        cache.put(key, Generation(f"summary {key}"), IDENTITY)
    assert stored(path) >= {"k0"}  # the first of a burst at once
    assert cache.get("k4") == Generation("summary k4")  # a waiting one is seen by its cache
    time.sleep(FLUSH_SECONDS + 0.5)  # no other put, no close: the timer commits the rest
    assert stored(path) == set(keys)
    cache.close()


CRASHER = """
import os, sys, time
from harness.cache import FLUSH_SECONDS, GenerationCache
from harness.types import Generation
cache = GenerationCache(sys.argv[1])
for i in range(int(sys.argv[2])):
    cache.put(f"k{i}", Generation(f"summary {i}"), {"backend": "x"})
time.sleep(FLUSH_SECONDS + float(sys.argv[3]))
os._exit(9)  # a crash: no close, no clean-up
"""


def test_a_crash_loses_nothing_finished_before_the_last_flush_interval(tmp_path):
    path = tmp_path / "cache.sqlite"
    subprocess.run([sys.executable, "-c", CRASHER, str(path), "600", "0.5"], cwd=ROOT, check=False)
    assert stored(path) == {f"k{i}" for i in range(600)}


def test_close_commits_what_waits(tmp_path):
    path = tmp_path / "cache.sqlite"
    with GenerationCache(path) as cache:
        for i in range(300):
            cache.put(f"k{i}", Generation("s"), IDENTITY)
    assert len(stored(path)) == 300


def test_many_keys_are_looked_up_at_once_as_one_by_one(tmp_path):
    keys = [f"k{i}" for i in range(1200)]  # more than one query's worth
    with GenerationCache(tmp_path / "cache.sqlite") as cache:
        for i, key in enumerate(keys[::4]):
            cache.put(key, Generation(f"summary {i}", warnings=("w",)), IDENTITY)
        cache.close()
    with GenerationCache(tmp_path / "cache.sqlite") as cache:
        cache.put("k1102", Generation("waiting"), IDENTITY)  # not committed yet
        cache.put("k1101", Generation("waiting too"), IDENTITY)
        found = cache.get_many(keys)
        assert sum(g is not None for g in found) == 302
        assert found[4] == Generation("summary 1", warnings=("w",))
        assert found[1196] == Generation("summary 299", warnings=("w",))  # the third query's
        assert found[1197] is None
        assert found[1101] == Generation("waiting too")
