"""The OpenAI backend's throughput against its ideal, and against plain clients in the same run.

A chat-completions server answering after a fixed latency runs in its own process
(bench/latency_server.py: a small asyncio HTTP/1.1 server, keep-alive, that parses each request's
JSON body and answers a chat completion, at about 0.1 CPU-ms per request, so that it is not what
is measured; ``--server aiohttp`` runs the aiohttp.web server used before, 0.2-0.3 CPU-ms). Each
scenario sends N documents at concurrency C through:

- ``OpenAISummarizer``: summbench's client (aiohttp, retries, adaptive in-flight limit), its
  construction (a probe of ``/models``) included;
- ``+ cache (generate)``: the same as a run drives it (``harness.run.generate``): the cache keys
  of every request and their lookups first, then each generation stored in a fresh generation
  cache as it arrives;
- ``plain aiohttp``: a semaphore and ``session.post``, nothing else: the floor for aiohttp;
- ``plain httpx``: the same with ``httpx.AsyncClient`` and the connection limits the backend used
  before it moved to aiohttp (skipped with ``--skip-httpx`` or if httpx is not installed).

Columns: the median wall time over ``--repeat`` runs; its ratio to the ideal N * latency / C
(the target: at most 1.2; 1,000 requests at 64 take 16 rounds, so 1.02 is the floor there);
the client's CPU milliseconds per request (process time of this process, median); the server's
(its process, from /proc); with ``--calls``, the Python function calls per request in this
process counted by cProfile over one more run (a count: the machine's load does not change
it). Wall times depend on the machine's load: the load average is printed with each scenario,
and ratios are comparable only within one run. Defaults: 1,000 documents at concurrency 64 and
50 ms, and 64 at 16 and 200 ms.

    .venv/bin/python bench/bench_openai.py [--repeat 3] [--skip-httpx] [--calls]
        [--server latency|aiohttp]
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import logging
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import aiohttp

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT)]

from harness.cache import GenerationCache  # noqa: E402
from harness.prompts import PromptTemplate  # noqa: E402
from harness.run import SystemStats, generate  # noqa: E402
from harness.summarizers.openai import OpenAISummarizer  # noqa: E402
from harness.types import Document, Request  # noqa: E402

SCENARIOS = [(1000, 64, 0.05), (64, 16, 0.2)]  # documents, concurrency, latency in seconds

# The aiohttp.web server this benchmark used before bench/latency_server.py (--server aiohttp):
# as costly per request as the client it serves, so it measured itself as much as the client.
AIOHTTP_SERVER = """
import asyncio, sys
from aiohttp import web
latency = float(sys.argv[1])

async def chat(request):
    body = await request.json()
    await asyncio.sleep(latency)
    words = body["messages"][-1]["content"].split()[:40]
    return web.json_response({"object": "chat.completion", "model": body["model"], "choices": [
        {"index": 0, "message": {"role": "assistant", "content": " ".join(words)},
         "finish_reason": "stop"}]})

async def models(request):
    return web.json_response({"object": "list", "data": []})

async def main():
    app = web.Application()
    app.add_routes([web.post("/v1/chat/completions", chat), web.get("/v1/models", models)])
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0, backlog=1024)
    await site.start()
    print(runner.addresses[0][1], flush=True)
    await asyncio.get_running_loop().run_in_executor(None, sys.stdin.read)

asyncio.run(main())
"""


def summbench_client(url: str, requests: list[Request], concurrency: int) -> None:
    summarizer = OpenAISummarizer("bench", base_url=url, concurrency=concurrency)
    out = list(summarizer.summarize(requests))
    assert len(out) == len(requests) and all(g.error is None for _, g in out)


def summbench_generate(url: str, requests: list[Request], concurrency: int) -> None:
    """As a run calls it: each generation stored in a fresh generation cache as it arrives."""
    summarizer = OpenAISummarizer("bench", base_url=url, concurrency=concurrency)
    with (
        tempfile.TemporaryDirectory() as folder,
        GenerationCache(Path(folder) / "generations.sqlite") as cache,
    ):
        generations = generate(summarizer, requests, cache, SystemStats())
    assert all(g.error is None for g in generations)


def _bodies(requests: list[Request]) -> list[dict]:
    return [
        {
            "model": "bench",
            "messages": [
                {"role": "system", "content": r.system},
                {"role": "user", "content": r.user},
            ],
            "max_tokens": 256,
        }
        for r in requests
    ]


def plain_aiohttp(url: str, requests: list[Request], concurrency: int) -> None:
    async def go() -> None:
        slots = asyncio.Semaphore(concurrency)
        connector = aiohttp.TCPConnector(limit=concurrency)
        async with aiohttp.ClientSession(connector=connector) as session:

            async def one(body: dict) -> None:
                async with slots, session.post(url + "/chat/completions", json=body) as reply:
                    assert reply.status == 200
                    await reply.json()

            await asyncio.gather(*(one(b) for b in _bodies(requests)))

    asyncio.run(go())


def plain_httpx(url: str, requests: list[Request], concurrency: int) -> None:
    import httpx

    async def go() -> None:
        slots = asyncio.Semaphore(concurrency)
        limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
        async with httpx.AsyncClient(limits=limits, timeout=120) as client:

            async def one(body: dict) -> None:
                async with slots:
                    reply = await client.post(url + "/chat/completions", json=body)
                    assert reply.status_code == 200
                    reply.json()

            await asyncio.gather(*(one(b) for b in _bodies(requests)))

    asyncio.run(go())


def server_cpu(pid: int) -> float:
    """CPU seconds the server process has used so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def measure(
    client: Callable, url: str, requests: list[Request], concurrency: int, repeat: int, pid: int
) -> tuple[float, float, float]:
    """Median wall seconds, client CPU ms per request, server CPU ms per request."""
    walls, cpus, served = [], [], []
    for _ in range(repeat):
        wall, cpu, server = time.perf_counter(), time.process_time(), server_cpu(pid)
        client(url, requests, concurrency)
        walls.append(time.perf_counter() - wall)
        cpus.append((time.process_time() - cpu) * 1000 / len(requests))
        served.append((server_cpu(pid) - server) * 1000 / len(requests))
    return statistics.median(walls), statistics.median(cpus), statistics.median(served)


def python_calls(client: Callable, url: str, requests: list[Request], concurrency: int) -> float:
    """Python function calls per request in this process, counted by cProfile over one run: a
    count, so unlike CPU time the machine's load does not blur it."""
    profile = cProfile.Profile()
    profile.runcall(client, url, requests, concurrency)
    calls = sum(entry.callcount for entry in profile.getstats())
    return calls / len(requests)


def start_server(kind: str, latency: float) -> tuple[subprocess.Popen, str]:
    command = [str(ROOT / "bench" / "latency_server.py")]
    if kind == "aiohttp":
        command = ["-c", AIOHTTP_SERVER]
    server = subprocess.Popen(
        [sys.executable, *command, str(latency)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    return server, f"http://127.0.0.1:{server.stdout.readline().strip()}/v1"


def load() -> str:
    return "load average " + ", ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--skip-httpx", action="store_true", help="it takes tens of seconds")
    parser.add_argument(
        "--server",
        choices=["latency", "aiohttp"],
        default="latency",
        help="latency: bench/latency_server.py (default); aiohttp: the aiohttp.web server used "
        "before it, for comparison",
    )
    parser.add_argument(
        "--calls", action="store_true", help="also count Python calls per request (cProfile)"
    )
    args = parser.parse_args()
    logging.disable(logging.INFO)
    seeds = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt"))]
    prompt = PromptTemplate("bench", "Summarize in {budget}.\n\nArticle:\n{document}", "Be brief.")
    clients = {
        "OpenAISummarizer": summbench_client,
        "+ cache (generate)": summbench_generate,
        "plain aiohttp": plain_aiohttp,
    }
    if not args.skip_httpx:
        try:
            import httpx  # noqa: F401

            clients["plain httpx"] = plain_httpx
        except ImportError:
            print("httpx is not installed: its row is skipped")
    print(f"server: {args.server}; {os.cpu_count()} CPUs; {load()}")
    for docs, concurrency, latency in SCENARIOS:
        requests = [
            prompt.render(Document(f"d{i}", f"Document {i}.\n{seeds[i % len(seeds)]}"))
            for i in range(docs)
        ]
        ideal = docs * latency / concurrency
        server, url = start_server(args.server, latency)
        try:
            print(f"\n{docs} documents, concurrency {concurrency}, {latency * 1000:g} ms per reply")
            print(f"ideal {ideal:.3f} s; median of {args.repeat} runs; {load()}")
            head = f"{'client':<18} {'wall s':>7} {'/ideal':>6} {'client CPU ms/req':>17}"
            head += f" {'server CPU ms/req':>17}" + (f" {'calls/req':>9}" if args.calls else "")
            print(head)
            for name, client in clients.items():
                repeat = 1 if name == "plain httpx" else args.repeat
                wall, cpu, served = measure(client, url, requests, concurrency, repeat, server.pid)
                row = f"{name:<18} {wall:>7.3f} {wall / ideal:>6.2f} {cpu:>17.2f} {served:>17.2f}"
                if args.calls and name != "plain httpx":
                    row += f" {python_calls(client, url, requests, concurrency):>9.0f}"
                print(row, flush=True)
        finally:
            server.stdin.close()
            server.wait(timeout=30)
    print(f"\n{load()}")


if __name__ == "__main__":
    main()
