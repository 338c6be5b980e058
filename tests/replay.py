"""A summarizer that replays summaries stored beside the documents: the outputs of a model run
elsewhere (here SummEdits' edited summaries), scored and reported like any system's."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from pathlib import Path

from harness.types import Generation, Request


class Replay:
    def __init__(self, path: str, field: str = "edited"):
        rows = [json.loads(line) for line in Path(path).read_text().splitlines() if line.strip()]
        self._by_id = {str(r["id"]): r[field] for r in rows}

    def summarize(self, requests: Sequence[Request]) -> Iterable[tuple[int, Generation]]:
        for i, r in enumerate(requests):
            summary = self._by_id.get(r.doc.id)
            yield (
                i,
                Generation("", error="no stored summary")
                if summary is None
                else Generation(summary),
            )
