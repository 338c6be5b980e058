"""A metric that fails on one document, for the run's never-fatal tests (a real class the
command line names with ``_target_``, as a user's own metric would be)."""

from __future__ import annotations

from typing import Any


class FailsOnOneDocument:
    """Scores 1.0 on every document but ``doc_id``, where it raises."""

    def __init__(self, doc_id: str):
        self.doc_id = doc_id
        self.higher_is_better = {"fails_on_one": True}

    def score(self, doc: Any, prediction: str) -> dict[str, float]:
        if doc.id == self.doc_id:
            raise RuntimeError(f"cannot score {doc.id}")
        return {"fails_on_one": 1.0}
