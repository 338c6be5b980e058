"""Checks of the command line's overrides before Hydra composes the config.

- A group choice that does not exist (``model=nope``) is one line naming the setting and the
  options, instead of Hydra's multi-line message.
- Model files are keyed by their own name (so that ``model=[lead,textrank]`` selects several), and
  a setting's full path is ``model.<name>.<key>``. When the command line selects exactly one model,
  ``model.<key>=...`` is accepted as shorthand for it: ``summbench model=hf_chat
  model.name_or_path=DIR``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from harness.errors import UsageError

_OVERRIDE = re.compile(r"^(?P<prefix>[+~]{0,2})(?P<key>[\w./@-]+)=(?P<value>.*)$", re.DOTALL)


def _options(value: str) -> list[str] | None:
    """The option names of a group override's value, or None where Hydra's grammar is richer."""
    value = value.strip()
    if value.startswith("[") and value.endswith("]"):
        value = value[1:-1]
    if any(c in value for c in "()${}'\""):
        return None
    return [v.strip() for v in value.split(",") if v.strip()]


def check_overrides(args: Sequence[str], conf_dir: Path) -> list[str]:
    """The arguments, checked, with the single-model shorthand expanded."""
    groups = {p.name for p in conf_dir.iterdir() if p.is_dir()}
    selected_models: list[str] | None = None
    for arg in args:
        m = _OVERRIDE.match(arg)
        if arg.startswith("-") or not m or m["key"] not in groups:
            continue
        names = _options(m["value"])
        if names is None or m["prefix"].startswith("~"):
            continue
        available = sorted(p.stem for p in (conf_dir / m["key"]).glob("*.yaml"))
        for name in names:
            if name not in available:
                raise UsageError(
                    f"{m['key']}={name}: no such {m['key']} in "
                    f"{conf_dir / m['key']} (available: {', '.join(available)})"
                )
        if m["key"] == "model":
            selected_models = names
    # A sweep or list over models keeps the explicit form, model.<name>.<key>.
    single = selected_models[0] if selected_models and len(selected_models) == 1 else None
    out = []
    for arg in args:
        m = _OVERRIDE.match(arg)
        if single and not arg.startswith("-") and m and m["key"].startswith("model."):
            first = m["key"].split(".")[1]
            if first != single:
                arg = f"{m['prefix']}model.{single}.{m['key'][len('model.') :]}={m['value']}"
        out.append(arg)
    return out
