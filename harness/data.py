"""Datasets of documents with their reference summaries, as ``datasets.Dataset`` objects.

Each source is a small class with a ``name`` and a ``load()`` that returns a Dataset with the
columns ``id``, ``text`` and ``references`` (a list of strings, possibly empty). Hydra picks the
class through ``_target_`` in ``conf/dataset/``.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Sequence
from pathlib import Path

import datasets

from harness.errors import UsageError, first_line, quiet
from harness.text import read_text
from harness.types import Document

log = logging.getLogger(__name__)

_SENTENCE_END = re.compile(r"[.!?:;\"”’')\]]\s*$")


def clean_text(text: str, drop_lines: Sequence[str] = (), drop_headings: bool = False) -> str:
    """Strip web-capture boilerplate, line by line.

    Args:
        drop_lines: regular expressions; a line that matches one in full (case-insensitive) goes.
        drop_headings: also drop short lines (12 words or fewer) that do not end a sentence:
            section headings and bylines, which extractive systems would otherwise pick.
    """
    patterns = [re.compile(p, re.IGNORECASE) for p in drop_lines]
    kept = []
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped or any(p.fullmatch(stripped) for p in patterns):
            continue
        if drop_headings and len(stripped.split()) <= 12 and not _SENTENCE_END.search(stripped):
            continue
        kept.append(stripped)
    return "\n".join(kept)


class SeedArticles:
    """Plain-text articles (``<id>.txt``) with references in ``references/<id>/<name>.txt``."""

    def __init__(
        self,
        seeds_dir: str,
        references_dir: str,
        name: str = "seeds",
        drop_lines: Sequence[str] = (),
        drop_headings: bool = False,
        limit: int | None = None,
    ):
        self.name = name
        self.seeds_dir = Path(seeds_dir)
        self.references_dir = Path(references_dir)
        self.drop_lines = list(drop_lines)
        self.drop_headings = drop_headings
        self.limit = _check_limit(limit)

    def load(self) -> datasets.Dataset:
        if not self.seeds_dir.is_dir():
            raise UsageError(f"dataset.seeds_dir: {self.seeds_dir} is not a folder")
        paths = sorted(self.seeds_dir.glob("*.txt"))
        if not paths:
            raise UsageError(f"dataset.seeds_dir: no .txt files in {self.seeds_dir}")
        ids = [p.stem for p in paths]
        if self.references_dir.is_dir():
            for folder in sorted(p for p in self.references_dir.iterdir() if p.is_dir()):
                if folder.name not in ids:
                    raise UsageError(
                        f"{folder}: references for an unknown document {folder.name!r}"
                    )
        paths = paths[: self.limit] if self.limit else paths
        rows = {"id": [], "text": [], "references": []}
        for path in paths:
            text = clean_text(read_text(path), self.drop_lines, self.drop_headings)
            if not text.strip():
                raise UsageError(f"{path}: nothing left after cleaning")
            refs = sorted((self.references_dir / path.stem).glob("*.txt"))
            if not refs:
                log.warning(
                    "%s has no references in %s: reference-based metrics are left empty",
                    path.stem,
                    self.references_dir / path.stem,
                )
            rows["id"].append(path.stem)
            rows["text"].append(text)
            rows["references"].append([read_text(r).strip() for r in refs])
        return datasets.Dataset.from_dict(rows, features=_FEATURES)


def _check_limit(limit: int | None) -> int | None:
    """``dataset.limit``: null for every document, else a count of at least 1."""
    if limit is not None and (not isinstance(limit, int) or isinstance(limit, bool) or limit < 1):
        raise UsageError(
            f"dataset.limit={limit}: must be a number of documents, at least 1 (null for all)"
        )
    return limit


_FEATURES = datasets.Features(
    {
        "id": datasets.Value("string"),
        "text": datasets.Value("string"),
        "references": datasets.Sequence(datasets.Value("string")),
    }
)
_LOCAL_FORMATS = {".json": "json", ".jsonl": "json", ".csv": "csv", ".parquet": "parquet"}


class HFDataset:
    """Any Hugging Face dataset, or local json/jsonl/csv/parquet files.

    ``summary_field`` may hold one reference (a string) or several (a list of strings). The
    dataset's name (its column in leaderboards) defaults to the file's stem or the hub id's last
    part with its config: runs on different data must not share a row.
    """

    def __init__(
        self,
        path: str,
        name: str | None = None,
        config_name: str | None = None,
        split: str | None = None,
        text_field: str = "document",
        summary_field: str | None = "summary",
        id_field: str | None = None,
        limit: int | None = None,
    ):
        self.name = name or _name_of(path, config_name)
        self.path = path
        self.config_name = config_name
        self.split = split
        self.text_field = text_field
        self.summary_field = summary_field
        self.id_field = id_field
        self.limit = _check_limit(limit)

    def load(self) -> datasets.Dataset:
        builder = _LOCAL_FORMATS.get(Path(self.path).suffix.lower())
        try:
            # datasets logs a failed file at ERROR level before raising: the line below says it.
            with quiet("datasets"):
                ds = self._load_dataset(builder)
        except UsageError:
            raise
        except Exception as e:  # datasets raises many types; the user needs the one line
            raise UsageError(f"dataset.path={self.path}: cannot load ({_root_cause(e)})") from None
        for setting in ("text_field", "summary_field", "id_field"):
            column = getattr(self, setting)
            if column is not None and column not in ds.column_names:
                raise UsageError(
                    f"dataset.{setting}={column!r} is not a column of {self.path} "
                    f"(columns: {', '.join(ds.column_names)})"
                )
        self._check_types(ds.features)
        if self.limit:
            ds = ds.select(range(min(self.limit, len(ds))))
        ds = ds.map(
            self._row,
            remove_columns=ds.column_names,
            features=_FEATURES,
            with_indices=True,
            desc=f"reading {self.name}",
        )
        self._check(ds)
        return ds

    def _load_dataset(self, builder: str | None) -> datasets.Dataset:
        if builder is None:
            return datasets.load_dataset(self.path, self.config_name, split=self.split or "test")
        if not Path(self.path).is_file():
            raise UsageError(f"dataset.path: no such file {self.path}")
        if builder != "parquet":  # pyarrow reads bad UTF-8 silently; fail here, by line
            text = read_text(Path(self.path))
            if builder == "json":  # pyarrow names a byte offset; the user needs the line
                _check_json_lines(Path(self.path), text)
        return datasets.load_dataset(builder, data_files=self.path, split=self.split or "train")

    def _check_types(self, features: datasets.Features) -> None:
        """The text column holds strings; the summary column strings or lists of them."""
        text = features[self.text_field]
        if not _is_string(text):
            raise UsageError(
                f"dataset.text_field={self.text_field!r}: the column holds {_kind(text)} "
                f"in {self.path}, not text"
            )
        summary = features[self.summary_field] if self.summary_field else None
        # What each row holds, for a list column; a column mixing strings and lists is a Json
        # feature, read row by row; an all-null column means no references.
        values = summary if isinstance(summary, datasets.Value) else _item(summary)
        if isinstance(values, datasets.Value) and values.dtype != "null" and not _is_string(values):
            raise UsageError(
                f"dataset.summary_field={self.summary_field!r}: the column holds "
                f"{_kind(summary)} in {self.path}, not text or lists of text"
            )

    def _row(self, row: dict, index: int) -> dict:
        refs = row[self.summary_field] if self.summary_field else []
        refs = [refs] if isinstance(refs, str) else list(refs or [])
        doc_id = str(row[self.id_field]) if self.id_field else str(index)
        # An empty reference is no reference: scoring against "" would give a silent 0.
        refs = [r for r in refs if isinstance(r, str) and r.strip()]
        return {"id": doc_id, "text": row[self.text_field] or "", "references": refs}

    def _check(self, ds: datasets.Dataset) -> None:
        seen: set[str] = set()
        columns = zip(ds["id"], ds["text"], ds["references"], strict=True)
        for row, (doc_id, text, refs) in enumerate(columns):
            where = f"{self.path}: row {row + 1} (id {doc_id})"
            if doc_id in seen:
                raise UsageError(f"{where}: the id is not unique (dataset.id_field)")
            seen.add(doc_id)
            if not text.strip():
                raise UsageError(f"{where}: empty {self.text_field}")
            if self.summary_field and not refs:
                log.warning("%s has no reference: reference-based metrics are left empty", where)


def _check_json_lines(path: Path, text: str) -> None:
    """A JSON Lines file (or a .json file that is not one JSON document) fails by line."""
    if path.suffix.lower() == ".json":
        try:
            json.loads(text)
            return
        except json.JSONDecodeError:
            pass
    for number, line in enumerate(text.splitlines(), 1):
        if line.strip():
            try:
                json.loads(line)
            except json.JSONDecodeError as e:
                raise UsageError(f"{path}:{number}: not valid JSON ({e.msg})") from None


def _name_of(path: str, config_name: str | None) -> str:
    """``news`` for ``data/news.jsonl``; ``cnn_dailymail-3.0.0`` for ``abisee/cnn_dailymail``
    with config 3.0.0 (no ``/``: a --compare selector splits on it)."""
    local = Path(path).suffix.lower() in _LOCAL_FORMATS
    name = Path(path).stem if local else str(path).rstrip("/").split("/")[-1]
    return f"{name}-{config_name}" if config_name and not local else name


def _is_string(feature: object) -> bool:
    return isinstance(feature, datasets.Value) and feature.dtype in ("string", "large_string")


def _item(feature: object) -> object:
    """What a list column holds (None for other columns)."""
    if isinstance(feature, list):  # the older spelling of a list feature: [Value(...)]
        return feature[0] if feature else None
    return getattr(feature, "feature", None)  # datasets.List, LargeList, Sequence


def _kind(feature: object) -> str:
    if isinstance(feature, datasets.Value):
        return f"{feature.dtype} values"
    return "lists" if _item(feature) is not None else f"{type(feature).__name__} values"


def _root_cause(e: BaseException) -> str:
    """The first line of the innermost cause: datasets wraps the parser's error in its own."""
    while e.__cause__ is not None or e.__context__ is not None:
        e = e.__cause__ or e.__context__
    return first_line(e)


def to_documents(ds: datasets.Dataset) -> list[Document]:
    return [Document(r["id"], r["text"], tuple(r["references"])) for r in ds]
