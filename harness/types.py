"""The small frozen records that flow through a run, and the two interfaces.

A run turns Documents into Requests (a rendered prompt and a length budget), hands them to a
Summarizer, and gives every resulting Generation to each Metric. Everything else (which class,
which options) comes from Hydra configs through ``_target_``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol, runtime_checkable


@dataclass(frozen=True)
class Document:
    """An article to summarize with its reference summaries (possibly none)."""

    id: str
    text: str
    references: tuple[str, ...] = ()


@dataclass(frozen=True)
class Budget:
    """The length every system is held to, so comparisons are fair."""

    unit: Literal["words", "sentences"] = "words"
    size: int = 60

    def __post_init__(self) -> None:
        if self.unit not in ("words", "sentences"):
            raise ValueError(f"budget.unit must be words or sentences, not {self.unit!r}")
        # bool is an int to Python; 2.5 words cannot be cut
        if not isinstance(self.size, int) or isinstance(self.size, bool):
            raise ValueError(f"budget.size must be a whole number, not {self.size!r}")
        if self.size < 1:
            raise ValueError(f"budget.size must be at least 1, not {self.size}")


@dataclass(frozen=True)
class Request:
    """One document with its prompt rendered: what a summarizer is asked to do."""

    doc: Document
    system: str
    user: str
    budget: Budget = field(default_factory=Budget)


@dataclass(frozen=True)
class Generation:
    """A summarizer's answer to one request.

    ``error`` is set when the summarizer gave up on this request (the run records it and goes on);
    ``skipped`` says why the summarizer has nothing to say for this document (the oracle without
    references): recorded, neither scored nor counted as a failure; ``warnings`` carries what a
    reader of the record should know, e.g. that the input was truncated. ``cut`` is set by the
    run (harness.budget), never by a summarizer: ``budget`` when the summary was held to its
    length budget, ``token_limit`` when the model stopped at its token limit.
    """

    summary: str
    error: str | None = None
    warnings: tuple[str, ...] = ()
    skipped: str | None = None
    cut: str | None = None


@runtime_checkable
class Summarizer(Protocol):
    """Turns requests into summaries, in batches.

    Yields ``(index into requests, generation)`` as each one is produced, in any order, so the run
    can store every generation the moment it exists (a killed run loses only what was in flight).

    A summarizer whose output is worth caching (a model call) also has an ``identity`` attribute:
    a JSON-able dict of everything besides the request that determines its output (backend, model
    and revision, generation settings). Summarizers without one are cheap and never cached.

    A summarizer that runs a model also has a ``label``: the system's name in every result (the
    model's name, see ``model_label``); the others are named by their config key (``lead``).
    """

    def summarize(self, requests: Sequence[Request]) -> Iterable[tuple[int, Generation]]: ...


@runtime_checkable
class Metric(Protocol):
    """Scores one prediction against its document (source text and references).

    ``score`` returns numbers (``None`` where a value is undefined, e.g. precision over zero
    figures) and, optionally, tables: a list of dicts under a key, which the run writes to
    ``<key>.csv`` and ``<key>.jsonl`` with the document and system added to each row.
    ``higher_is_better`` names the measures (leaderboard columns, gated in CI) and their direction;
    other numbers are diagnostics kept in ``scores.jsonl``.
    """

    higher_is_better: Mapping[str, bool]

    def score(self, doc: Document, prediction: str) -> dict[str, Any]: ...


def model_label(name_or_path: str) -> str:
    """A model's name from its hub id, folder, file or served name: the last part of the path,
    without a ``.gguf`` suffix (``Qwen/Qwen2.5-0.5B-Instruct`` is ``Qwen2.5-0.5B-Instruct``,
    ``/models/SmolLM2-135M-Instruct.Q4_1.gguf`` is ``SmolLM2-135M-Instruct.Q4_1``). No slash is
    left: a system name is one part of ``summbench-report --compare``'s ``SYSTEM/PROMPT/DATASET``.
    """
    last = name_or_path.replace("\\", "/").rstrip("/").rsplit("/", 1)[-1]
    return last[: -len(".gguf")] if last.lower().endswith(".gguf") else last
