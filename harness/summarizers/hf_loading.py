"""Where a Hugging Face model comes from, which revision it is, and loading it.

``name_or_path`` is a hub id (``Qwen/Qwen2.5-0.5B-Instruct``), a local model folder, or a local
GGUF file (``model.Q4_1.gguf``). transformers reads a GGUF file's metadata as the config and
tokenizer and dequantizes its weights (``from_pretrained(folder, gguf_file=name)``, with the
``gguf`` package); the file's folder is what ``from_pretrained`` is given.

The revision names the exact weights, so the generation cache never serves another model's
answer: the hub commit, or a fingerprint of the local folder's or file's contents.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch
from huggingface_hub import constants as hub_constants
from transformers import AutoConfig, AutoTokenizer
from transformers.utils.hub import cached_file, extract_commit_hash

from harness.errors import UsageError, first_line, quiet
from harness.types import model_label

# Files at most this large are hashed by content for a local folder's revision; larger ones
# (weights) by name, size and modification time, so a 15 GB checkpoint is not read on every run.
_HASH_CONTENT_BELOW = 1 << 20


def _fingerprint(root: Path, paths: Iterable[Path]) -> str:
    digest = hashlib.sha256()
    for path in sorted(paths):
        rel = path.relative_to(root).as_posix()
        stat = path.stat()
        digest.update(f"{rel}\0{stat.st_size}\0".encode())
        if stat.st_size < _HASH_CONTENT_BELOW:
            digest.update(path.read_bytes())
        else:
            digest.update(str(stat.st_mtime_ns).encode())
    return digest.hexdigest()[:16]


def folder_revision(folder: Path) -> str:
    """A fingerprint of a local model folder: what a hub commit hash is for a hub model."""
    files = (p for p in folder.rglob("*") if p.is_file())
    visible = (p for p in files if not any(s.startswith(".") for s in p.relative_to(folder).parts))
    return "folder:" + _fingerprint(folder, visible)


def resolve_revision(name_or_path: str, revision: str | None) -> tuple[str, bool]:
    """The folder's fingerprint, or the hub commit that ``revision`` (default: main) points to.

    A hub model already in the local cache is used as cached, without asking the hub (where
    there is no network, asking costs half a minute of retries). Returns the revision and
    whether the model is to be loaded from local files only.

    Raises:
        ValueError: no such folder, or a hub model that is neither cached nor reachable.
    """
    folder = Path(name_or_path).expanduser()
    if folder.is_dir():
        return folder_revision(folder), True
    if name_or_path.startswith(("/", ".", "~")) or name_or_path.count("/") > 1:
        raise ValueError(f"name_or_path {name_or_path!r}: no such folder")
    try:
        found = cached_file(name_or_path, "config.json", revision=revision, local_files_only=True)
    except OSError:
        found = None
    local = found is not None
    if not local:
        missing = (
            f"name_or_path {name_or_path!r} is not a local folder nor in the Hugging Face cache"
        )
        fix = "set name_or_path to a model folder, or download the model where there is network"
        if hub_constants.HF_HUB_OFFLINE:
            raise ValueError(f"{missing}, and the hub is off (HF_HUB_OFFLINE): {fix}")
        # Without network, huggingface_hub logs a warning per retry for half a minute; the one-line
        # error below says it all.
        try:
            with quiet("huggingface_hub", logging.ERROR):
                found = cached_file(name_or_path, "config.json", revision=revision)
        except OSError as e:
            hub = f"the hub did not provide it ({first_line(e)})"
            raise ValueError(f"{missing}, and {hub}: {fix}") from None
    return extract_commit_hash(found, None) or revision or "main", local


def device(name: str) -> str:
    """``auto``: cuda, then mps, then cpu."""
    if name != "auto":
        return name
    if torch.cuda.is_available():
        return "cuda"
    return "mps" if torch.backends.mps.is_available() else "cpu"


def one_line(e: BaseException) -> str:
    """The message's first line, after the exception's type (an OOM says RuntimeError)."""
    return f"{type(e).__name__}: {first_line(e)}" if str(e).strip() else type(e).__name__


@dataclass(frozen=True)
class ModelSource:
    """What ``from_pretrained`` reads, and how the identity and the results name it.

    Attributes:
        name_or_path: the hub id, or the resolved path of the folder or GGUF file.
        revision: the hub commit, ``folder:<hash>`` or ``gguf:<hash>``.
        where: ``from_pretrained``'s keyword arguments besides the model and dtype.
    """

    name_or_path: str
    revision: str
    where: dict[str, Any]

    @property
    def label(self) -> str:
        """The model's name: the hub id's last part, the folder's name, the GGUF file's stem."""
        return model_label(self.name_or_path)

    @property
    def _from(self) -> str:
        gguf = self.where.get("gguf_file")
        return str(Path(self.name_or_path).parent) if gguf else self.name_or_path

    def config(self) -> Any:
        return AutoConfig.from_pretrained(self._from, **self.where)

    def load(self, auto_model: Any, dtype: str) -> tuple[Any, Any]:
        """The tokenizer and the model, on the CPU; a file that cannot load is a UsageError."""
        torch_dtype = dtype if dtype == "auto" else getattr(torch, dtype)
        try:
            tokenizer = AutoTokenizer.from_pretrained(self._from, **self.where)
            model = auto_model.from_pretrained(self._from, dtype=torch_dtype, **self.where)
        except (OSError, ValueError, ImportError) as e:
            # Raised from summarize(), outside Hydra's instantiate: name the model here.
            raise UsageError(f"name_or_path {self.name_or_path!r}: {one_line(e)}") from None
        return tokenizer, model


def locate(name_or_path: str, revision: str | None, trust_remote_code: bool) -> ModelSource:
    """The model's source: a GGUF file, a local folder or a hub id (see ``resolve_revision``).

    Raises:
        ValueError: a file that is not a GGUF file, or what ``resolve_revision`` raises.
    """
    path = Path(name_or_path).expanduser()
    if path.is_file() or path.suffix.lower() == ".gguf":
        if path.suffix.lower() != ".gguf":
            raise ValueError(f"name_or_path {name_or_path!r}: a file, but not a .gguf file")
        if not path.is_file():
            raise ValueError(f"name_or_path {name_or_path!r}: no such file")
        path = path.resolve()
        where = {"gguf_file": path.name, "local_files_only": True}
        return ModelSource(str(path), "gguf:" + _fingerprint(path.parent, [path]), where)
    resolved, local = resolve_revision(name_or_path, revision)
    folder = resolved.startswith("folder:")
    # Load exactly the snapshot the identity names (a hub id's commit), from the disk when it
    # is there.
    where = {
        "revision": None if folder else resolved,
        "local_files_only": local,
        "trust_remote_code": trust_remote_code,
    }
    return ModelSource(str(path.resolve()) if folder else name_or_path, resolved, where)
