"""The length budget, held for every system: the token allowance a model gets from it, and the
cut that holds a summary to it.

A model asked for "at most 60 words" often writes more, and ROUGE rewards length, so a model's
summary beside the budget-held extractive systems would be compared unfairly. Two things hold it:

- A model backend whose ``max_new_tokens`` / ``max_tokens`` is left unset (``null``) gets an
  allowance from the budget with headroom: ``TOKENS_PER_WORD`` per word (English news runs
  about 1.3 tokens a word in BPE vocabularies; the rest is room to finish a sentence) or
  ``TOKENS_PER_SENTENCE`` per sentence, plus ``MARGIN`` (chat templates, a bullet's "- ").
- The run holds every summary to its budget (``hold``), after the backend or the cache returns:
  a summary over it is cut at the last sentence end within it, or, when no sentence ends within
  it, at the word limit. The cache keeps the raw text, and the held text is derived from it the
  same way on every read, so turning holding off (``hold_budget=false``) needs no new model call.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from harness.text import WORD, count_words, split_sentences
from harness.types import Budget, Generation, Request

TOKENS_PER_WORD = 1.6
TOKENS_PER_SENTENCE = 48
MARGIN = 32

# What the model backends record when a summary stopped at their token limit (the openai
# backend's text is older than this module, and cached generations carry it as it is).
TOKEN_LIMIT_WARNINGS = (
    "the reply was cut at max_tokens",  # openai
    "the summary was cut at max_new_tokens",  # hf_chat, hf_seq2seq
)

# How a generation record says its summary was cut (``Generation.cut``).
CUT_BY_BUDGET = "budget"
CUT_BY_TOKEN_LIMIT = "token_limit"


def token_allowance(budget: Budget) -> int:
    """The most tokens a model may generate for a summary within ``budget``, with headroom."""
    per_unit = TOKENS_PER_WORD if budget.unit == "words" else TOKENS_PER_SENTENCE
    return math.ceil(budget.size * per_unit) + MARGIN


def allowance_identity() -> dict[str, Any]:
    """What a generation cache key must hold when the allowance comes from the budget."""
    return {"per_word": TOKENS_PER_WORD, "per_sentence": TOKENS_PER_SENTENCE, "margin": MARGIN}


def _sentence_ends(text: str) -> list[int]:
    """The offset just after each sentence of ``text``, in order."""
    ends, at = [], 0
    for sentence in split_sentences(text):
        at = text.index(sentence, at) + len(sentence)
        ends.append(at)
    return ends


def hold(text: str, budget: Budget) -> tuple[str, str | None]:
    """``text`` held to ``budget``, and a warning saying how, if it had to be cut."""
    ends = _sentence_ends(text)
    if budget.unit == "sentences":
        if len(ends) <= budget.size:
            return text, None
        held = text[: ends[budget.size - 1]]
        return held, f"held to the budget of {budget.size} sentences: cut from {len(ends)}"
    words = [m.end() for m in WORD.finditer(text)]
    if len(words) <= budget.size:
        return text, None
    limit = words[budget.size - 1]
    within = [e for e in ends if e <= limit]
    held = text[: within[-1]] if within else text[:limit]
    where = "at its last sentence end within it" if within else "at the word limit"
    kept = count_words(held)
    warning = f"held to the budget of {budget.size} words: cut from {len(words)} to {kept} {where}"
    return held, warning


def stopped_at_token_limit(generation: Generation) -> bool:
    return any(w.startswith(TOKEN_LIMIT_WARNINGS) for w in generation.warnings)


def held_generation(generation: Generation, budget: Budget, enabled: bool = True) -> Generation:
    """The generation with its summary held to the budget (when ``enabled``) and marked if cut.

    ``cut`` says what cut it: ``budget`` (this hold, which records a warning) or ``token_limit``
    (the backend stopped at its token limit, and its warning says so).
    """
    if generation.error is not None or generation.skipped is not None:
        return generation
    summary, warning = hold(generation.summary, budget) if enabled else (generation.summary, None)
    if warning is not None:
        warnings = (*generation.warnings, warning)
        return replace(generation, summary=summary, warnings=warnings, cut=CUT_BY_BUDGET)
    if stopped_at_token_limit(generation):
        return replace(generation, cut=CUT_BY_TOKEN_LIMIT)
    return generation


def hold_to_budget(
    generations: Sequence[Generation], requests: Sequence[Request], enabled: bool = True
) -> list[Generation]:
    """Every summary held to its request's budget (when ``enabled``) and marked where it was cut.

    The run applies it to what the summarizer or the cache returned, for every system.
    """
    pairs = zip(generations, requests, strict=True)
    return [held_generation(g, r.budget, enabled) for g, r in pairs]
