"""The OpenAI backend's concurrency against its ideal: N documents, C in flight, L s per reply.

Starts the tests' chat-completions server (tests/chat_server.py) on 127.0.0.1 with a fixed
latency, in its own process as a real server would be, summarizes N documents at concurrency C
through ``OpenAISummarizer`` (a fresh connection pool each run, as each summbench run has), and
compares the wall time with the ideal N * L / C (64 * 0.2 / 16 = 0.8 s by default). The target:
within 20%.

    .venv/bin/python bench/bench_openai.py [--docs 64] [--concurrency 16] [--latency 0.2]
"""

from __future__ import annotations

import argparse
import logging
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from harness.prompts import PromptTemplate  # noqa: E402
from harness.summarizers.openai import OpenAISummarizer  # noqa: E402
from harness.types import Document  # noqa: E402

SERVER = """
import sys, time
sys.path.insert(0, sys.argv[2])
from chat_server import ChatServer
with ChatServer(delay=float(sys.argv[1])) as server:
    print(server.url, flush=True)
    sys.stdin.read()  # until the benchmark closes it
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=64)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--latency", type=float, default=0.2)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    logging.disable(logging.INFO)
    seeds = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt"))]
    prompt = PromptTemplate("bench", "Summarize in {budget}.\n\nArticle:\n{document}", "Be brief.")
    requests = [
        prompt.render(Document(f"d{i}", f"Document {i}.\n{seeds[i % len(seeds)]}"))
        for i in range(args.docs)
    ]
    ideal = args.docs * args.latency / args.concurrency
    walls = []
    server = subprocess.Popen(
        [sys.executable, "-c", SERVER, str(args.latency), str(ROOT / "tests")],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        url = server.stdout.readline().strip()
        summarizer = OpenAISummarizer("bench", base_url=url, concurrency=args.concurrency)
        for i in range(args.repeat):
            start = time.perf_counter()
            out = list(summarizer.summarize(requests))
            walls.append(time.perf_counter() - start)
            assert len(out) == args.docs and all(g.error is None for _, g in out)
            print(f"run {i + 1}: {walls[-1]:.3f} s, {args.docs / walls[-1]:.1f} docs/s")
    finally:
        server.stdin.close()
        server.wait(timeout=30)
    median = statistics.median(walls)
    # With --latency 0 there is no ideal to compare with: the wall time is the overhead.
    against = f"{(median / ideal - 1) * 100:+.1f}% (target: within +20%)" if ideal else "overhead"
    print(
        f"{args.docs} documents, concurrency {args.concurrency}, {args.latency} s per reply: "
        f"median {median:.3f} s (min {min(walls):.3f} s) against the ideal {ideal:.3f} s: {against}"
    )


if __name__ == "__main__":
    main()
