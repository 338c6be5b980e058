"""``summbench --help``, written from conf/ without Hydra or omegaconf.

Hydra's help lists the config groups by composing each of them (the app's and Hydra's own), which
made ``--help`` the slowest answer of the command line. This one reads the group folders (the
listing the override checks use, harness.overrides.config_groups) and conf/config.yaml (each
group's default and the top-level settings) with PyYAML, so a new group, option or setting shows
up with no change here. The composed config, which Hydra's help printed, is ``summbench --cfg
job``. ``--hydra-help`` is still Hydra's.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from harness import ROOT
from harness.overrides import config_groups, read_yaml

# What a setting of conf/config.yaml does (a setting not listed here shows its default only).
SETTINGS = {
    "cache": "reuse stored generations: no model call for what has not changed",
    "cache_path": "the generation store (SQLite)",
    "progress": "progress bars on stderr, when it is a terminal",
    "hold_budget": "hold summaries to the prompt's length budget (false: score as written)",
    "scoring.workers": "processes that score documents (null: one per core, for a large run)",
}

HEADER = """\
usage: summbench [FLAGS] [GROUP=OPTION ...] [KEY=VALUE ...]

Run summarizers over articles, score their summaries with ROUGE and figure fidelity against
reference summaries, and print a leaderboard. Choose with GROUP=OPTION, override with KEY=VALUE.

Examples:
  summbench                                 the default suite on the seed articles
  summbench model=lead                      one summarizer
  summbench 'model=[lead,textrank]' prompt=key_facts prompt.budget.size=80
  summbench model=hf_chat model.name_or_path=DIR
                                            model.KEY: shorthand while one model is selected
  summbench -m prompt=abstract,figures      a sweep: one job per prompt
  summbench dataset=hf dataset.path=my.jsonl dataset.text_field=document \\
            dataset.summary_field=summary   your own articles (json, jsonl, csv, parquet)"""

MORE_SETTINGS = """\
  prompt.budget.size=N      the length budget, in prompt.budget.unit (words or sentences)
  dataset.limit=N           only the first N documents
  model.NAME.KEY=VALUE      a setting of one model (model.KEY while one model is selected)
  hydra.run.dir=DIR         the run folder (default results/runs/DATE/TIME)"""

FLAGS = """\
Flags (Hydra's; summbench --hydra-help lists them all):
  -m, --multirun            a sweep: one job per combination of comma-separated choices
  -c, --cfg job|hydra|all   print the composed config instead of running (job: summbench's
                            settings, hydra: Hydra's own, all: both)
  --resolve                 with --cfg: resolve interpolations such as ${root:}
  -p, --package KEY         with --cfg: print only that part of the config (-p model)
  -i, --info [all|config|defaults|defaults-tree|plugins|searchpath]
                            how Hydra composed the config
  -cn, --config-name NAME   another primary config than config.yaml
  -cp, --config-path DIR    another config folder than conf/
  -cd, --config-dir DIR     one more config folder, searched after conf/
                            (GROUP=OPTION is checked against conf/ only: an option that only
                            -cp or -cd provides is refused)
  --hydra-help              Hydra's help: its flags and its groups (hydra/launcher=joblib ...)
  --version                 Hydra's version
  -h, --help                this help"""

FOOTER = """\
Every setting with its value: summbench --cfg job [GROUP=OPTION ...] [KEY=VALUE ...]
Run folders go to results/runs/. More in README.md ("The command line")."""


def asks_for_help(args: Sequence[str]) -> bool:
    """True when Hydra would show its app help: ``-h`` or ``--help`` among the arguments, a
    prefix of ``--help`` that argparse (Hydra's parser) would take for it, or ``-h`` in a cluster
    of short flags (``-mh``: argparse reads it as ``-m -h``)."""
    return any(
        re.fullmatch(r"-m*h[mh]*", a) or (len(a) >= 4 and "--help".startswith(a)) for a in args
    )


def help_text(conf_dir: Path = ROOT / "conf") -> str:
    """The help: usage, examples, groups and options, settings, flags."""
    config = read_yaml(conf_dir / "config.yaml")
    return "\n\n".join(
        [HEADER, _groups(config_groups(conf_dir), config), _settings(config), FLAGS, FOOTER]
    )


def _groups(groups: dict[str, list[str]], config: dict[str, Any]) -> str:
    defaults = {}
    for entry in config.get("defaults") or []:
        if isinstance(entry, dict):
            defaults.update({str(k): v for k, v in entry.items()})
    lines = ["Config groups (GROUP=OPTION; several models: 'model=[lead,textrank]'):"]
    width = max(map(len, groups), default=0)
    for name, options in groups.items():
        chosen = defaults.get(name)
        if isinstance(chosen, list):
            chosen = ", ".join(map(str, chosen))
        text = ", ".join(options) + (f" (default: {chosen})" if chosen is not None else "")
        lines.append(_wrapped(f"  {name:<{width}}  ", text))
    return "\n".join(lines)


def _settings(config: dict[str, Any]) -> str:
    lines = ["Settings (KEY=VALUE; defaults shown; any setting of --cfg job can be overridden):"]
    for key, value in _leaves(config):
        entry = f"  {key}={_yaml_value(value)}"
        if key not in SETTINGS:
            lines.append(entry)
        elif len(entry) < 28:
            lines.append(_wrapped(f"{entry:<28}", SETTINGS[key]))
        else:
            lines += [entry, _wrapped(" " * 28, SETTINGS[key])]
    return "\n".join([*lines, MORE_SETTINGS])


def _leaves(node: dict[str, Any], prefix: str = "") -> list[tuple[str, Any]]:
    """config.yaml's settings as (dotted key, default), less ``defaults`` and ``hydra``."""
    out = []
    for key, value in node.items():
        if not prefix and key in ("defaults", "hydra"):
            continue
        if isinstance(value, dict) and value:
            out += _leaves(value, f"{prefix}{key}.")
        else:
            out.append((f"{prefix}{key}", value))
    return out


def _yaml_value(value: Any) -> str:
    if value is None or isinstance(value, bool):
        return {None: "null", True: "true", False: "false"}[value]
    return str(value).replace("${root:}", str(ROOT))


def _wrapped(indent: str, text: str) -> str:
    return textwrap.fill(
        text, width=100, initial_indent=indent, subsequent_indent=" " * len(indent)
    )
