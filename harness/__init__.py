"""summbench: a summarization benchmark harness."""

from pathlib import Path

from omegaconf import OmegaConf

ROOT = Path(__file__).resolve().parent.parent
"""The repository: seeds/, references/, conf/ and results/ live here."""

# `${root:}` in a config is the repository, whatever folder summbench runs from.
OmegaConf.register_new_resolver("root", lambda: str(ROOT), replace=True)
