"""HF batching against one document at a time, in documents per second, on tiny models.

Builds the tiny random-weight T5 and Qwen2 chat models the tests use (tests/tiny_models.py),
then summarizes the same documents (the four seeds, each cut at several lengths, so a batch
holds inputs of different lengths as real data does) with batch_size 1 and larger batches.
Reports the best of REPEAT timings for each, and checks the answers do not depend on batching.

    .venv/bin/python bench/bench_hf_batching.py [--docs 32] [--batch-sizes 1 4 8 16] [--repeat 3]
"""

from __future__ import annotations

import argparse
import logging
import sys
import tempfile
import time
from pathlib import Path

import torch
from transformers.utils.logging import disable_progress_bar

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from tiny_models import build_chat, build_seq2seq  # noqa: E402

from harness.prompts import PromptTemplate  # noqa: E402
from harness.summarizers.hf import HFChatSummarizer, HFSeq2SeqSummarizer  # noqa: E402
from harness.types import Document  # noqa: E402


def documents(n: int) -> list[Document]:
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt"))]
    cuts = (60, 120, 180, 240, 300, 360, 420, 480)
    return [
        Document(f"d{i}", " ".join(texts[i % len(texts)].split()[: cuts[i // len(texts) % 8]]))
        for i in range(n)
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=32)
    parser.add_argument("--batch-sizes", type=int, nargs="+", default=[1, 4, 8, 16])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--max-new-tokens", type=int, default=32)
    args = parser.parse_args()
    logging.disable(logging.WARNING)  # every input is cut to the tiny context: expected here
    disable_progress_bar()  # model writing and loading bars
    prompt = PromptTemplate("bench", "Summarize in {budget}.\n\nArticle:\n{document}", "Be brief.")
    requests = [prompt.render(d) for d in documents(args.docs)]
    print(
        f"{len(requests)} documents, max_new_tokens={args.max_new_tokens}, "
        f"{torch.get_num_threads()} torch threads"
    )
    with tempfile.TemporaryDirectory() as tmp:
        models = {
            "hf_seq2seq (T5, 2 layers)": (HFSeq2SeqSummarizer, build_seq2seq(Path(tmp) / "t5")),
            "hf_chat (Qwen2, 2 layers)": (HFChatSummarizer, build_chat(Path(tmp) / "qwen2")),
        }
        for label, (cls, folder) in models.items():
            reference = None
            for batch_size in args.batch_sizes:
                summarizer = cls(
                    str(folder),
                    batch_size=batch_size,
                    max_new_tokens=args.max_new_tokens,
                    # Stop only at max_new_tokens, so every batch size does the same work.
                    generation_kwargs={"min_new_tokens": args.max_new_tokens},
                    device="cpu",
                )
                summarizer._load()
                best = float("inf")
                for _ in range(args.repeat):
                    start = time.perf_counter()
                    out = dict(summarizer.summarize(requests))
                    best = min(best, time.perf_counter() - start)
                answers = [out[i].summary for i in range(len(requests))]
                reference = reference or answers
                same = sum(a == b for a, b in zip(answers, reference, strict=True))
                print(
                    f"{label}: batch_size {batch_size:>2}: {len(requests) / best:6.1f} docs/s "
                    f"({best:.2f} s); answers equal to batch_size {args.batch_sizes[0]}: "
                    f"{same}/{len(requests)}"
                )


if __name__ == "__main__":
    main()
