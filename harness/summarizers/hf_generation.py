"""Inputs and batched ``generate`` for the Hugging Face backends (harness.summarizers.hf): an
input cut to the model's limit, the settings each batch gets, which documents share a batch, and
which summaries stopped at the token limit.

A document's token allowance comes from its budget unless ``max_new_tokens`` is set
(harness.budget.token_allowance), so documents are batched with others of the same allowance:
a greedy summary is then the same whatever batch it shares. Within an allowance, the longest
input comes first, as lm-evaluation-harness orders them: batches pad little, and running out of
memory happens on the first batch, not after an hour.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator, Mapping
from typing import Any

import torch

from harness.budget import TOKEN_LIMIT_WARNINGS

SAMPLING_ONLY = ("temperature", "top_p", "top_k", "min_p", "typical_p")


def token_limit_warning(max_new_tokens: int) -> str:
    """The warning of a summary that stopped at the limit (harness.budget reads it back)."""
    return f"{TOKEN_LIMIT_WARNINGS[1]} ({max_new_tokens} tokens)"


def input_length(tokenizer: Any, text: str, add_special_tokens: bool) -> int:
    # verbose=False: the tokenizer warns of inputs over its limit, which fit_input() then cuts.
    encoded = tokenizer(text, add_special_tokens=add_special_tokens, verbose=False)
    return len(encoded["input_ids"])


def fit_input(
    tokenizer: Any, text: str, document: str, limit: int | None, add_special_tokens: bool
) -> tuple[str, int, str | None]:
    """The input ``text``, with its ``document`` cut so the whole input fits ``limit`` tokens.

    The document is cut, not the input, so the instructions around it and the chat
    template's markers survive. Returns the text, its length in tokens, and a warning if
    anything was cut.

    Raises:
        ValueError: the input without its document is already too long.
    """
    n = input_length(tokenizer, text, add_special_tokens)
    if limit is None or n <= limit:
        return text, n, None
    doc_ids = tokenizer(document, add_special_tokens=False, verbose=False)["input_ids"]
    keep = len(doc_ids) - (n - limit)
    # Re-tokenizing a cut text can merge differently at the seam; a few rounds settle it.
    for _ in range(5):
        if keep <= 0 or document not in text:
            raise ValueError(
                f"the input without its document is {n - len(doc_ids)} tokens, over the "
                f"limit of {limit} (max_input_tokens)"
            )
        cut = text.replace(document, tokenizer.decode(doc_ids[:keep]), 1)
        m = input_length(tokenizer, cut, add_special_tokens)
        if m <= limit:
            warning = (
                f"input truncated to {m} of {n} tokens (the limit is {limit}: "
                f"max_input_tokens or the model's context); the document's end was dropped"
            )
            return cut, m, warning
        keep -= m - limit
    raise ValueError(f"could not cut the document to fit {limit} tokens")


def generation_config(model: Any, tokenizer: Any, settings: Mapping[str, Any]) -> Any:
    """The model's own generation config, with ``settings`` over it."""
    config = copy.deepcopy(model.generation_config)
    config.update(**settings)
    config.pad_token_id = tokenizer.pad_token_id
    if not config.do_sample:
        # Greedy or beam search: drop the checkpoint's sampling defaults, which generate()
        # would ignore with a warning.
        for key in SAMPLING_ONLY:
            setattr(config, key, None)
    return config


def batches(
    lengths: Mapping[int, int], allowances: Mapping[int, int], size: int
) -> Iterator[list[int]]:
    """Indices in batches of at most ``size`` that share a token allowance, longest input first."""
    order = sorted(lengths, key=lambda i: (allowances[i], -lengths[i]))
    batch: list[int] = []
    for i in order:
        if batch and (len(batch) == size or allowances[i] != allowances[batch[0]]):
            yield batch
            batch = []
        batch.append(i)
    if batch:
        yield batch


def _stop_ids(config: Any) -> set[int]:
    eos = config.eos_token_id
    ids = set(eos) if isinstance(eos, (list, tuple)) else {eos}
    return {int(i) for i in (*ids, config.pad_token_id) if i is not None}


def generate_batch(
    model: Any,
    tokenizer: Any,
    texts: list[str],
    config: Any,
    *,
    seed: int,
    add_special_tokens: bool,
) -> list[tuple[str, bool]]:
    """Each text's summary, and whether it stopped at ``config.max_new_tokens``.

    A row stopped at the limit when it filled every new position without ending on an end or
    padding token (a row that ended earlier is padded to the batch's width).
    """
    encoded = tokenizer(
        texts, return_tensors="pt", padding=True, add_special_tokens=add_special_tokens
    ).to(model.device)
    torch.manual_seed(seed)
    with torch.inference_mode():
        output = model.generate(**encoded, generation_config=config)
    # A causal model returns the prompt too (with left padding it ends at the same column); an
    # encoder-decoder's output opens with the decoder's start token.
    encoder_decoder = bool(getattr(model.config, "is_encoder_decoder", False))
    start = 1 if encoder_decoder else encoded["input_ids"].shape[1]
    output = output[:, start:]
    stops = _stop_ids(config)
    full = output.shape[1] >= config.max_new_tokens
    stopped = [full and int(row[-1]) not in stops for row in output]
    texts = [s.strip() for s in tokenizer.batch_decode(output, skip_special_tokens=True)]
    return list(zip(texts, stopped, strict=True))
