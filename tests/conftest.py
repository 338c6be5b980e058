"""Shared fixtures: a composed config, the command line, and an offline environment."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import pytest
from hydra import compose, initialize_config_dir
from omegaconf import DictConfig

from harness import ROOT, register_resolvers
from harness.overrides import check_overrides

# Nothing may reach the Hugging Face hub: there is no network here, and a test must not wait on it.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("HF_DATASETS_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

SUMMBENCH = Path(sys.executable).parent / "summbench"
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
register_resolvers()  # a composed config resolves ${root:} before harness.run is imported


def make_config(overrides: Sequence[str] = (), cache_dir: Path | None = None) -> DictConfig:
    """The config `summbench OVERRIDES` would run, composed without a process."""
    overrides = list(check_overrides(overrides, ROOT / "conf"))
    if cache_dir is not None:
        overrides.append(f"cache_path={cache_dir / 'generations.sqlite'}")
    with initialize_config_dir(str(ROOT / "conf"), version_base="1.3"):
        return compose("config", overrides=[*overrides, "progress=false"])


@pytest.fixture
def config(tmp_path):
    """``config(*overrides)``: a composed config whose cache lives in the test's folder."""
    return lambda *overrides: make_config(overrides, cache_dir=tmp_path / "cache")


def run_summbench(
    *args: str, cwd: Path | None = None, env: dict | None = None, timeout: float = 600
) -> subprocess.CompletedProcess:
    """Run the real `summbench` command, without progress bars."""
    return subprocess.run(
        # Hydra's argparse wants the overrides together: flags (-m, --cfg job) go first.
        [str(SUMMBENCH), *args, "progress=false"],
        cwd=cwd or ROOT,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=timeout,
    )


@pytest.fixture
def summbench(tmp_path):
    """``summbench(*args)``: the real command, its generation cache in the test's folder."""
    cache = f"cache_path={tmp_path / 'cache' / 'generations.sqlite'}"
    return lambda *args, **kw: run_summbench(*args, cache, **kw)


@pytest.fixture(scope="session")
def tiny_seq2seq(tmp_path_factory) -> Path:
    """A random-weight T5 folder, built offline (tests/tiny_models.py)."""
    from tiny_models import build_seq2seq

    return build_seq2seq(tmp_path_factory.mktemp("tiny_t5"))


@pytest.fixture(scope="session")
def tiny_chat(tmp_path_factory) -> Path:
    """A random-weight Qwen2 chat model folder, built offline (tests/tiny_models.py)."""
    from tiny_models import build_chat

    return build_chat(tmp_path_factory.mktemp("tiny_qwen2"))


@pytest.fixture(scope="session")
def tiny_gguf(tmp_path_factory) -> tuple[Path, Path]:
    """A random-weight Llama chat model: its folder, and the same model as a GGUF file."""
    from tiny_models import build_gguf_chat

    return build_gguf_chat(tmp_path_factory.mktemp("tiny_llama"))
