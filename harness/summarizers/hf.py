"""Hugging Face summarizers: encoder-decoder models and chat models, batched, on local hardware.

- ``HFSeq2SeqSummarizer``: ``AutoModelForSeq2SeqLM`` + ``generate`` (BART, PEGASUS, T5). This is
  what the ``summarization`` pipeline did before transformers 5 removed it.
- ``HFChatSummarizer``: ``AutoModelForCausalLM`` with the prompt rendered by the tokenizer's
  chat template (``apply_chat_template``), left-padded so every row of a batch ends where
  generation starts.

Batching follows lm-evaluation-harness (``lm_eval.models.huggingface.HFLM`` and its
``Collator``): requests are sorted by input length, longest first, so a batch pads little and an
out-of-memory error shows up on the first batch rather than the last. Greedy decoding with a fixed
seed is the default; every generation setting is in the config and in the summarizer's
``identity``, with the model's revision, so the generation cache never serves an answer from
another model or another setting.

The model is loaded on the first call to ``summarize``: a re-run served entirely from the cache
does not load it.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator, Mapping, Sequence
from typing import Any, ClassVar, Literal

import torch
from transformers import AutoModelForCausalLM, AutoModelForSeq2SeqLM, GenerationConfig

from harness.budget import allowance_identity, token_allowance
from harness.errors import UsageError
from harness.stages import throughput
from harness.summarizers.hf_generation import (
    batches,
    fit_input,
    generate_batch,
    generation_config,
    input_length,
    token_limit_warning,
)
from harness.summarizers.hf_loading import device as _device
from harness.summarizers.hf_loading import locate
from harness.summarizers.hf_loading import one_line as _one_line
from harness.types import Budget, Generation, Request

log = logging.getLogger(__name__)


class _HFSummarizer:
    """What both Hugging Face backends share: loading, identity, truncation, batched generation.

    Args:
        name_or_path: a hub id (``Qwen/Qwen2.5-0.5B-Instruct``), a local model folder, or a
            local GGUF file (harness/summarizers/hf_loading.py).
        label: the system's name in the results; default: the model's (``model_label``).
        revision: a hub branch, tag or commit (default: ``main``).
        max_new_tokens: the most tokens a summary may take; None (the default): an allowance
            from the prompt's length budget, with headroom (harness.budget.token_allowance).
            A summary that stops there carries a warning saying so.
        do_sample, temperature, top_p, num_beams: passed to ``generate``; ``temperature``
            and ``top_p`` only count when ``do_sample`` is on.
        seed: ``torch.manual_seed`` before each batch.
        generation_kwargs: any other ``generate`` setting (``repetition_penalty``,
            ``min_new_tokens`` ...). Settings given nowhere come from the model's
            ``generation_config.json``, which the revision covers.
        batch_size: documents per ``generate`` call.
        max_input_tokens: the longest input, in tokens; longer documents are cut to fit (a
            warning is recorded with the generation). Default: the model's context.
        dtype: ``auto`` (the checkpoint's), ``float32``, ``bfloat16``, ``float16``.
        device: ``auto`` (cuda, then mps, then cpu), or a torch device.
        trust_remote_code: run the model repository's own code. Off unless turned on.
    """

    backend: ClassVar[str]
    _auto_model: ClassVar[Any]
    _encoder_decoder: ClassVar[bool]
    _padding_side: ClassVar[Literal["left", "right"]]
    _add_special_tokens: ClassVar[bool]

    def __init__(
        self,
        name_or_path: str,
        label: str | None = None,
        revision: str | None = None,
        max_new_tokens: int | None = None,
        do_sample: bool = False,
        temperature: float = 1.0,
        top_p: float = 1.0,
        num_beams: int = 1,
        seed: int = 0,
        generation_kwargs: Mapping[str, Any] | None = None,
        batch_size: int = 8,
        max_input_tokens: int | None = None,
        dtype: str = "auto",
        device: str = "auto",
        trust_remote_code: bool = False,
    ):
        if batch_size < 1:
            raise ValueError(f"batch_size must be at least 1, not {batch_size}")
        if dtype != "auto" and not isinstance(getattr(torch, dtype, None), torch.dtype):
            raise ValueError(f"dtype {dtype!r} is not a torch dtype (auto, float32, bfloat16 ...)")
        self.name_or_path = str(name_or_path)
        self.batch_size = batch_size
        self.max_input_tokens = max_input_tokens
        self.dtype = dtype
        self.device = _device(device)
        self.seed = seed
        if num_beams < 1:
            raise ValueError(f"num_beams must be at least 1, not {num_beams}")
        if do_sample and temperature <= 0:
            raise ValueError(f"temperature must be above 0 when do_sample is on, not {temperature}")
        self.generation: dict[str, Any] = {
            "max_new_tokens": max_new_tokens,
            "do_sample": do_sample,
            "num_beams": num_beams,
            **({"temperature": float(temperature), "top_p": float(top_p)} if do_sample else {}),
            **dict(generation_kwargs or {}),
        }
        GenerationConfig(**self.generation)  # ValueError now, not after the model has loaded
        # A sampled document's draws would depend on the documents sharing its batch: sampling
        # goes one document at a time, each seeded alike, so a resumed run or another batch
        # size gives the same text (and the cache, which ignores batch_size, stays right).
        if do_sample:
            self.batch_size = 1
        self.source = locate(self.name_or_path, revision, trust_remote_code)
        self.name_or_path = self.source.name_or_path
        self.label = label or self.source.label
        config = self.source.config()
        if bool(getattr(config, "is_encoder_decoder", False)) != self._encoder_decoder:
            kind = "an encoder-decoder" if self._encoder_decoder else "a decoder-only (chat)"
            other = "hf_chat" if self._encoder_decoder else "hf_seq2seq"
            raise ValueError(
                f"name_or_path {self.name_or_path!r} is not {kind} model "
                f"({config.model_type}); use model={other}"
            )
        self._config = config
        # Batch size and device change speed, not what greedy decoding produces: a cache filled
        # on one machine serves another. Everything else that shapes the output is here.
        self.identity: dict[str, Any] = {
            "backend": self.backend,
            "name_or_path": self.name_or_path,
            "revision": self.source.revision,
            "dtype": dtype,
            "max_input_tokens": max_input_tokens,
            "seed": seed,
            "generation": self.generation,
            **self._input_identity(),
        }
        if max_new_tokens is None:  # how it follows the budget (the budget is in every cache key)
            self.identity["max_new_tokens_from_budget"] = allowance_identity()
        self._model: Any = None
        self._tokenizer: Any = None

    # --- what the two backends do differently ------------------------------------------------

    def _input_identity(self) -> dict[str, Any]:
        return {}

    def _check_tokenizer(self, tokenizer: Any) -> None:
        """Raises UsageError when the model cannot take this backend's input."""

    def _render(self, request: Request) -> str:
        """The model's input text for one request."""
        raise NotImplementedError

    def _context(self, new_tokens: int) -> int | None:
        """The longest input the model takes, in tokens, with ``new_tokens`` to generate."""
        raise NotImplementedError

    # --- shared ------------------------------------------------------------------------------

    def _load(self) -> None:
        if self._model is not None:
            return
        start = time.perf_counter()
        tokenizer, model = self.source.load(self._auto_model, self.dtype)
        self._check_tokenizer(tokenizer)
        tokenizer.padding_side = self._padding_side
        if tokenizer.pad_token is None:
            tokenizer.pad_token = tokenizer.eos_token
        self._tokenizer = tokenizer
        self._model = model.to(self.device).eval()
        log.info(
            "%s: loaded %s on %s in %.1f s",
            self.backend,
            self.name_or_path,
            self.device,
            time.perf_counter() - start,
        )

    def _length(self, text: str) -> int:
        return input_length(self._tokenizer, text, self._add_special_tokens)

    def _fit(self, request: Request, limit: int | None) -> tuple[str, int, str | None]:
        """The input text with the document cut to fit ``limit`` tokens (see ``fit_input``)."""
        text = self._render(request)
        return fit_input(self._tokenizer, text, request.doc.text, limit, self._add_special_tokens)

    def _new_tokens(self, budget: Budget) -> int:
        return self.generation["max_new_tokens"] or token_allowance(budget)

    def _inputs(
        self, requests: Sequence[Request], allowances: Mapping[int, int]
    ) -> tuple[dict[int, tuple[str, int, tuple[str, ...]]], dict[int, Generation]]:
        """Per request that fits: its input text, length in tokens and warnings; per request
        that cannot: its failed generation."""
        limits = {n: self._context(n) for n in set(allowances.values())}
        if any(limit is not None and limit <= 0 for limit in limits.values()):
            raise UsageError(
                f"model {self.name_or_path!r}: no room for the input ({min(limits.values())} "
                "tokens): lower max_new_tokens or set max_input_tokens"
            )
        inputs, failed = {}, {}
        for i, request in enumerate(requests):
            try:
                text, length, warning = self._fit(request, limits[allowances[i]])
            except ValueError as e:
                failed[i] = Generation("", error=str(e))
                continue
            if warning:
                log.warning("%s: %s: %s", self.backend, request.doc.id, warning)
            inputs[i] = (text, length, (warning,) if warning else ())
        return inputs, failed

    def summarize(self, requests: Sequence[Request]) -> Iterator[tuple[int, Generation]]:
        if not requests:
            return
        self._load()
        start = time.perf_counter()
        allowances = {i: self._new_tokens(r.budget) for i, r in enumerate(requests)}
        inputs, failed = self._inputs(requests, allowances)
        yield from failed.items()
        done = len(failed)
        lengths = {i: inputs[i][1] for i in inputs}
        for batch in batches(lengths, allowances, self.batch_size):
            yield from zip(batch, self._generate(batch, inputs, allowances[batch[0]]), strict=True)
            done += len(batch)
            rate = throughput(done, time.perf_counter() - start)
            log.info("%s: %d/%d documents, %s", self.backend, done, len(requests), rate)

    def _generate(
        self, batch: list[int], inputs: Mapping[int, tuple[str, int, tuple[str, ...]]], limit: int
    ) -> list[Generation]:
        """The generations of one batch; a summary that stopped at ``limit`` says so."""
        config = generation_config(self._model, self._tokenizer, self.generation)
        config.max_new_tokens = limit
        try:
            outputs = generate_batch(
                self._model,
                self._tokenizer,
                [inputs[i][0] for i in batch],
                config,
                seed=self.seed,
                add_special_tokens=self._add_special_tokens,
            )
        except (RuntimeError, ValueError) as e:
            # Out of memory, or a setting generate() rejects: these documents fail and the
            # next run retries them (failures are not cached); this run goes on.
            log.error("%s: a batch of %d failed: %s", self.backend, len(batch), _one_line(e))
            return [Generation("", error=_one_line(e))] * len(batch)
        cut = token_limit_warning(limit)
        return [
            Generation(text, warnings=(*inputs[i][2], *([cut] if stopped else [])))
            for i, (text, stopped) in zip(batch, outputs, strict=True)
        ]


def _sane(n: Any) -> int | None:
    """A context length, or None for the huge placeholder tokenizers use for 'unknown'."""
    return int(n) if isinstance(n, int) and 0 < n < 10_000_000 else None


class HFSeq2SeqSummarizer(_HFSummarizer):
    """An encoder-decoder model (BART, PEGASUS, T5) through ``generate``.

    Args:
        input: what the encoder reads. ``document``: the article alone, as models fine-tuned for
            summarization expect (``facebook/bart-large-cnn``, ``google/pegasus-xsum``);
            ``prompt``: the rendered prompt (system and user parts), for instruction-tuned
            encoder-decoders (``google/flan-t5-base``).
        prefix: text put before the input: ``"summarize: "`` for the original T5 checkpoints.
        **kwargs: the settings every Hugging Face backend shares (see ``_HFSummarizer``).
    """

    backend = "hf_seq2seq"
    _auto_model = AutoModelForSeq2SeqLM
    _encoder_decoder = True
    _padding_side = "right"
    _add_special_tokens = True

    def __init__(
        self,
        name_or_path: str = "facebook/bart-large-cnn",
        input: Literal["document", "prompt"] = "document",
        prefix: str = "",
        **kwargs: Any,
    ):
        if input not in ("document", "prompt"):
            raise ValueError(f"input must be 'document' or 'prompt', not {input!r}")
        self.input = input
        self.prefix = prefix
        super().__init__(name_or_path, **kwargs)

    def _input_identity(self) -> dict[str, Any]:
        return {"input": self.input, "prefix": self.prefix}

    def _render(self, request: Request) -> str:
        if self.input == "document":
            return self.prefix + request.doc.text
        prompt = f"{request.system}\n\n{request.user}" if request.system else request.user
        return self.prefix + prompt

    def _context(self, new_tokens: int) -> int | None:
        if self.max_input_tokens is not None:
            return self.max_input_tokens
        return _sane(self._tokenizer.model_max_length) or _sane(
            getattr(self._config, "max_position_embeddings", None)
        )


class HFChatSummarizer(_HFSummarizer):
    """An instruction-tuned causal model, prompted through its tokenizer's chat template.

    Args:
        system_role: send the prompt's system part as a system message. Some templates (Gemma's)
            reject the system role: turn this off and the system part opens the user message.
        **kwargs: the settings every Hugging Face backend shares (see ``_HFSummarizer``).
    """

    backend = "hf_chat"
    _auto_model = AutoModelForCausalLM
    _encoder_decoder = False
    _padding_side = "left"
    # The chat template writes the special tokens itself; adding BOS again would double it.
    _add_special_tokens = False

    def __init__(
        self,
        name_or_path: str = "Qwen/Qwen2.5-0.5B-Instruct",
        system_role: bool = True,
        **kwargs: Any,
    ):
        self.system_role = system_role
        super().__init__(name_or_path, **kwargs)

    def _input_identity(self) -> dict[str, Any]:
        return {"system_role": self.system_role}

    def _check_tokenizer(self, tokenizer: Any) -> None:
        if not getattr(tokenizer, "chat_template", None):
            raise UsageError(
                f"name_or_path {self.name_or_path!r}: the tokenizer has no chat template "
                "(hf_chat needs an instruction-tuned model that ships one)"
            )

    def _render(self, request: Request) -> str:
        if not request.system:
            messages = [{"role": "user", "content": request.user}]
        elif self.system_role:
            messages = [
                {"role": "system", "content": request.system},
                {"role": "user", "content": request.user},
            ]
        else:
            messages = [{"role": "user", "content": f"{request.system}\n\n{request.user}"}]
        return self._tokenizer.apply_chat_template(
            messages, tokenize=False, add_generation_prompt=True
        )

    def _context(self, new_tokens: int) -> int | None:
        if self.max_input_tokens is not None:
            return self.max_input_tokens
        context = _sane(getattr(self._config, "max_position_embeddings", None)) or _sane(
            self._tokenizer.model_max_length
        )
        # The prompt and the answer share a causal model's context.
        return None if context is None else context - new_tokens
