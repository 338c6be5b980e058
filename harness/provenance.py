"""What a run ran on, so the gate can tell other data or settings from a regression.

``run.json`` keeps a run's provenance: the dataset's name, document count and a fingerprint of
its documents and references; the prompt and its budget; the metrics' settings; each system's
settings. The baseline keeps the part each of its rows depends on (``of_row``), and
``summbench-check`` names every setting that differs instead of reporting "worse" scores.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from typing import Any

from omegaconf import DictConfig, OmegaConf

from harness import ROOT
from harness.prompts import PromptTemplate
from harness.types import Document

# Which text each flattened key stands for when it differs.
_MEANING = {"dataset.fingerprint": "the documents or references changed"}


def fingerprint(documents: Sequence[Document]) -> str:
    """A hash of every document's id, text and references, in order."""
    digest = hashlib.sha256()
    for doc in documents:
        record = [doc.id, doc.text, list(doc.references)]
        digest.update(json.dumps(record, ensure_ascii=False).encode("utf-8") + b"\n")
    return digest.hexdigest()[:20]


def settings(node: Any) -> Any:
    """A config node as plain data, with the checkout's own path written ``${root:}`` so a
    baseline made in one clone matches a run in another."""
    data = OmegaConf.to_container(node, resolve=True) if isinstance(node, DictConfig) else node
    return _relative(data)


def _relative(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _relative(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_relative(v) for v in value]
    if isinstance(value, str) and value.startswith(str(ROOT)):
        return "${root:}" + value[len(str(ROOT)) :]
    return value


def of_run(
    dataset: str,
    documents: Sequence[Document],
    prompt: PromptTemplate,
    metrics: Any,
    systems: Mapping[str, Any],
) -> dict[str, Any]:
    """The provenance ``run.json`` records."""
    return {
        "dataset": {
            "name": dataset,
            "documents": len(documents),
            "fingerprint": fingerprint(documents),
        },
        "prompt": {
            "name": prompt.name,
            "system": prompt.system,
            "user": prompt.user,
            "budget": {"size": prompt.budget.size, "unit": prompt.budget.unit},
        },
        "metrics": settings(metrics),
        "systems": {name: settings(node) for name, node in systems.items()},
    }


def of_row(provenance: Mapping[str, Any], system: str) -> dict[str, Any]:
    """What one (system, prompt, dataset) row of a run depends on."""
    return {
        "dataset": provenance["dataset"],
        "prompt": provenance["prompt"],
        "metrics": provenance["metrics"],
        "system": provenance["systems"][system],
    }


def _flat(value: Any, prefix: str = "") -> dict[str, Any]:
    if isinstance(value, Mapping) and value:
        out: dict[str, Any] = {}
        for k, v in value.items():
            out.update(_flat(v, f"{prefix}.{k}" if prefix else str(k)))
        return out
    return {prefix: value}


def differences(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[str]:
    """Each setting that differs, as ``key: old -> new`` (``(none)`` for an absent key)."""
    old, new = _flat(before), _flat(after)
    out = []
    for key in dict.fromkeys([*old, *new]):
        if old.get(key, _ABSENT) != new.get(key, _ABSENT):
            a, b = (_show(d.get(key, _ABSENT)) for d in (old, new))
            why = f" ({_MEANING[key]})" if key in _MEANING else ""
            out.append(f"{key}: {a} -> {b}{why}")
    return out


_ABSENT = object()


def _show(value: Any) -> str:
    if value is _ABSENT:
        return "(none)"
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 60 else text[:57] + "..."
