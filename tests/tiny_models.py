"""Tiny random-weight Hugging Face models, built offline for the tests and benchmarks.

A byte-level BPE tokenizer is trained on the seed articles with ``tokenizers``; a T5 encoder-decoder
and a Qwen2 causal model with a ChatML chat template (the format of Qwen2.5-Instruct) are
initialized with a fixed seed and saved with ``save_pretrained``, so the harness loads them
through the same ``from_pretrained`` path a user's model folder takes. Their output is noise, but
deterministic noise: enough to test batching, truncation, caching and resume.

``build_gguf_chat`` writes a tiny Llama chat model twice: as a model folder, and as the GGUF file
llama.cpp's ``convert_hf_to_gguf.py`` would write for it (F32 tensors under llama.cpp's names,
the query and key rows permuted as llama.cpp lays them out, the tokenizer as metadata), with the
``gguf`` package's writer.
"""

from __future__ import annotations

import json
from pathlib import Path

import torch
from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
from transformers import (
    LlamaConfig,
    LlamaForCausalLM,
    PreTrainedTokenizerFast,
    Qwen2Config,
    Qwen2ForCausalLM,
    T5Config,
    T5ForConditionalGeneration,
)

from harness import ROOT

# Short contexts, so that every seed article (400 to 1,600 words) is truncated by some model.
CONTEXT = 512

CHATML = (
    "{% for message in messages %}"
    "{{ '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>\\n' }}"
    "{% endfor %}"
    "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}"
)


def train_tokenizer(specials: list[str], vocab_size: int = 1000) -> Tokenizer:
    """A byte-level BPE tokenizer trained on the seed articles; ``specials`` get ids 0, 1, ..."""
    tokenizer = Tokenizer(models.BPE())
    tokenizer.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tokenizer.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=vocab_size,
        special_tokens=specials,
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        show_progress=False,
    )
    seeds = sorted((ROOT / "seeds").glob("*.txt"))
    tokenizer.train_from_iterator((p.read_text(encoding="utf-8") for p in seeds), trainer)
    return tokenizer


def _save(model: torch.nn.Module, folder: Path) -> None:
    """Weights drawn wider than the default init, so that greedy decoding says varied words."""
    torch.manual_seed(0)
    with torch.no_grad():
        for p in model.parameters():
            if p.dim() > 1:
                p.normal_(std=0.2)
    model.save_pretrained(folder)


def build_seq2seq(folder: Path, context: int = CONTEXT) -> Path:
    """A 2-layer T5 with a 512-token tokenizer limit, saved to ``folder``."""
    tok = PreTrainedTokenizerFast(
        tokenizer_object=train_tokenizer(["<pad>", "</s>", "<unk>"]),
        pad_token="<pad>",
        eos_token="</s>",
        unk_token="<unk>",
        model_max_length=context,
    )
    config = T5Config(
        vocab_size=len(tok),
        d_model=32,
        d_kv=8,
        d_ff=64,
        num_layers=2,
        num_decoder_layers=2,
        num_heads=4,
        pad_token_id=0,
        eos_token_id=1,
        decoder_start_token_id=0,
    )
    _save(T5ForConditionalGeneration(config), folder)
    tok.save_pretrained(folder)
    return folder


CHATML_SPECIALS = ["<|endoftext|>", "<|im_start|>", "<|im_end|>"]


def _chat_tokenizer(context: int) -> PreTrainedTokenizerFast:
    """A small BPE tokenizer with ChatML's special tokens and template."""
    return PreTrainedTokenizerFast(
        tokenizer_object=train_tokenizer(CHATML_SPECIALS),
        pad_token="<|endoftext|>",
        eos_token="<|im_end|>",
        model_max_length=context,
        chat_template=CHATML,
    )


def _decoder_settings(vocab_size: int, context: int) -> dict:
    """The shape every tiny decoder here shares: 2 layers, 4 heads (2 for keys and values)."""
    return dict(
        vocab_size=vocab_size,
        hidden_size=32,
        intermediate_size=64,
        num_hidden_layers=2,
        num_attention_heads=4,
        num_key_value_heads=2,
        max_position_embeddings=context,
        bos_token_id=None,
        eos_token_id=2,
        pad_token_id=0,
        tie_word_embeddings=True,
    )


def build_chat(folder: Path, context: int = CONTEXT) -> Path:
    """A 2-layer Qwen2 with a ChatML template and a 512-position context, saved to ``folder``."""
    tok = _chat_tokenizer(context)
    _save(Qwen2ForCausalLM(Qwen2Config(**_decoder_settings(len(tok), context))), folder)
    tok.save_pretrained(folder)
    return folder


def _llama_cpp_rows(weight: torch.Tensor, heads: int) -> torch.Tensor:
    """Query or key rows in llama.cpp's rotary layout (convert_hf_to_gguf.py's ``permute``)."""
    rows = weight.reshape(heads, 2, weight.shape[0] // heads // 2, *weight.shape[1:])
    return rows.swapaxes(1, 2).reshape(weight.shape)


def build_gguf_chat(folder: Path, context: int = CONTEXT) -> tuple[Path, Path]:
    """A 2-layer Llama with a ChatML template: its model folder and the same model as a GGUF file
    (``folder/model/`` and ``folder/tiny-llama-chat.F32.gguf``)."""
    import gguf

    tok = _chat_tokenizer(context)
    config = LlamaConfig(**_decoder_settings(len(tok), context))
    model = LlamaForCausalLM(config)
    _save(model, folder / "model")
    tok.save_pretrained(folder / "model")

    path = folder / "tiny-llama-chat.F32.gguf"
    writer = gguf.GGUFWriter(str(path), "llama")
    writer.add_context_length(context)
    writer.add_embedding_length(config.hidden_size)
    writer.add_block_count(config.num_hidden_layers)
    writer.add_feed_forward_length(config.intermediate_size)
    writer.add_head_count(config.num_attention_heads)
    writer.add_head_count_kv(config.num_key_value_heads)
    writer.add_rope_dimension_count(config.head_dim)
    writer.add_rope_freq_base(config.rope_parameters["rope_theta"])
    writer.add_layer_norm_rms_eps(config.rms_norm_eps)
    writer.add_vocab_size(config.vocab_size)
    vocab = sorted(tok.get_vocab().items(), key=lambda item: item[1])
    merges = json.loads(tok.backend_tokenizer.to_str())["model"]["merges"]
    writer.add_tokenizer_model("gpt2")
    writer.add_token_list([token for token, _ in vocab])
    # Token type 3: a control token.
    writer.add_token_types([3 if token in CHATML_SPECIALS else 1 for token, _ in vocab])
    writer.add_token_merges([m if isinstance(m, str) else " ".join(m) for m in merges])
    writer.add_eos_token_id(tok.eos_token_id)
    writer.add_pad_token_id(tok.pad_token_id)
    writer.add_chat_template(CHATML)
    names = gguf.get_tensor_name_map(gguf.MODEL_ARCH.LLAMA, config.num_hidden_layers)
    for name, weight in model.state_dict().items():
        if name == "lm_head.weight":  # tied to the embeddings: llama.cpp writes it once
            continue
        if name.endswith("q_proj.weight"):
            weight = _llama_cpp_rows(weight, config.num_attention_heads)
        elif name.endswith("k_proj.weight"):
            weight = _llama_cpp_rows(weight, config.num_key_value_heads)
        gguf_name = names.get_name(name, try_suffixes=(".weight",))
        writer.add_tensor(gguf_name, weight.to(torch.float32).numpy())
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    return folder / "model", path
