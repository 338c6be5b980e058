"""Checks of the command line's overrides before Hydra composes the config.

- A group choice that does not exist (``model=nope``) is one line naming the setting and the
  options, instead of Hydra's multi-line message.
- Model files are keyed by their own name (so that ``model=[lead,textrank]`` selects several), and
  a setting's full path is ``model.<name>.<key>``. When the command line selects exactly one model,
  ``model.<key>=...`` is accepted as shorthand for it: ``summbench model=hf_chat
  model.name_or_path=DIR``.
- A top-level key that is neither a group nor a setting of conf/config.yaml (``modle=lead``, and
  also ``+modle=lead``, which Hydra's own message suggests and then accepts without effect) is
  refused in one line naming the nearest known key.
- ``api_key_env`` must name a set environment variable: a key typed in its place is refused here,
  before Hydra writes the overrides into the run folder.

These checks run before Hydra or omegaconf is imported (harness/__main__.py): conf/ is read with
PyYAML, and only the files an override needs.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from harness.errors import UsageError, first_line

_OVERRIDE = re.compile(r"^(?P<prefix>[+~]{0,2})(?P<key>[\w./@-]+)=(?P<value>.*)$", re.DOTALL)


def _options(value: str) -> list[str] | None:
    """The option names of a group override's value, or None where Hydra's grammar is richer."""
    value = value.strip()
    if value.startswith("[") and value.endswith("]"):
        value = value[1:-1]
    if any(c in value for c in "()${}'\""):
        return None
    return [v.strip() for v in value.split(",") if v.strip()]


def config_groups(conf_dir: Path) -> dict[str, list[str]]:
    """Each config group of ``conf_dir`` (a folder) and its options (its YAML files), sorted."""
    folders = sorted(p for p in conf_dir.iterdir() if p.is_dir())
    return {f.name: sorted(p.stem for p in f.glob("*.yaml")) for f in folders}


def read_yaml(path: Path) -> dict[str, Any]:
    """A mapping from a YAML file of conf/, read with PyYAML (libyaml's parser where installed)."""
    import yaml

    try:
        with open(path, encoding="utf-8") as f:
            data = yaml.load(f, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.MarkedYAMLError as e:  # its first line is the context, not the problem
        where = f", line {e.problem_mark.line + 1}" if e.problem_mark else ""
        raise UsageError(f"{path}{where}: {e.problem or first_line(e)}") from None
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as e:
        raise UsageError(f"{path}: {first_line(e)}") from None
    if data is not None and not isinstance(data, dict):
        raise UsageError(f"{path}: a config file holds a mapping (key: value), not {data!r}")
    return data or {}


def check_overrides(args: Sequence[str], conf_dir: Path) -> list[str]:
    """The arguments, checked, with the single-model shorthand expanded."""
    if any(a == "-sc" or (len(a) >= 3 and "--shell-completion".startswith(a)) for a in args):
        return list(args)  # its arguments (install=bash, query=...) are no overrides
    groups = config_groups(conf_dir)
    _check_top_level_keys(args, conf_dir, set(groups))
    selected_models: list[str] | None = None
    for arg in args:
        m = _OVERRIDE.match(arg)
        if m and m["key"].split(".")[-1] == "api_key_env" and m["value"] not in ("", "null"):
            # Imported here: the backend's module loads aiohttp, which no other run needs.
            from harness.summarizers.openai import api_key_from_env

            try:
                api_key_from_env(m["value"])
            except ValueError as e:
                raise UsageError(f"{m['key']}: {e}") from None
        if arg.startswith("-") or not m or m["key"] not in groups:
            continue
        names = _options(m["value"])
        if names is None or m["prefix"].startswith("~"):
            continue
        available = groups[m["key"]]
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
    _check_model_settings(out, conf_dir / "model")
    return out


def _check_model_settings(args: Sequence[str], model_dir: Path) -> None:
    """``model.<name>.<key>=...`` must name a setting of that model (``+`` adds a new one)."""
    for arg in args:
        m = _OVERRIDE.match(arg)
        if arg.startswith("-") or not m or m["prefix"] or not m["key"].startswith("model."):
            continue
        parts = m["key"].split(".")
        path = model_dir / f"{parts[1]}.yaml"
        if len(parts) < 3 or not path.is_file():
            continue
        node = read_yaml(path).get(parts[1]) or {}
        settings = [str(k) for k in node if not str(k).startswith("_")]
        if parts[2] not in list(node):  # `in node` misses ??? values
            known = f"its settings: {', '.join(settings)}" if settings else "it has no settings"
            raise UsageError(f"{m['key']}: {parts[1]} has no setting {parts[2]!r} ({known})")


def _check_top_level_keys(args: Sequence[str], conf_dir: Path, groups: set[str]) -> None:
    known = groups | {"hydra"}
    settings: set[str] | None = None  # config.yaml's keys: read only when a key needs them
    for arg in args:
        m = _OVERRIDE.match(arg)
        if arg.startswith("-") or not m:
            continue
        top = re.split(r"[./@]", m["key"])[0]
        if top in known:
            continue
        if settings is None:
            settings = {str(k) for k in read_yaml(conf_dir / "config.yaml")} - {"defaults"}
            known |= settings
        if top not in known:
            import difflib  # only for the error's hint

            near = difflib.get_close_matches(top, sorted(known), n=1)
            hint = f"did you mean {near[0]}?" if near else f"known: {', '.join(sorted(known))}"
            raise UsageError(f"{arg}: no group or setting named {top!r} ({hint})")
