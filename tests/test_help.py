"""``summbench --help``: written from conf/, answered before Hydra or omegaconf is imported.

What it lists must follow conf/: a group, option or setting added there shows up without a change
to harness/help.py. That it loads neither Hydra nor omegaconf is pinned in tests/test_startup.py.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest
from omegaconf import OmegaConf

from harness import ROOT
from harness.errors import UsageError
from harness.help import asks_for_help, help_text
from harness.overrides import check_overrides


def _group_lines(text: str) -> dict[str, str]:
    """The 'Config groups' section: each group's line (and its continuation) by group name."""
    section = text.split("Config groups", 1)[1].split("\n\n", 1)[0].splitlines()[1:]
    lines: dict[str, str] = {}
    for line in section:
        name = line.split()[0]
        if line.startswith("  ") and not line.startswith("   "):
            lines[name] = line
        else:
            lines[list(lines)[-1]] += " " + line.strip()
    return lines


@pytest.fixture
def conf(tmp_path):
    """A copy of conf/ with a new model, a new group and a new setting."""
    conf = tmp_path / "conf"
    shutil.copytree(ROOT / "conf", conf)
    (conf / "model" / "mine.yaml").write_text("mine:\n  _target_: my.Summarizer\n")
    (conf / "style").mkdir()
    (conf / "style" / "plain.yaml").write_text("a: 1\n")
    (conf / "style" / "bold.yaml").write_text("a: 2\n")
    config = (conf / "config.yaml").read_text()
    config = config.replace("  - prompt: abstract\n", "  - prompt: key_facts\n  - style: bold\n")
    (conf / "config.yaml").write_text(config + "\nretries: 3\nlimits:\n  seconds: 60\n")
    return conf


def test_the_help_lists_every_group_and_option_in_the_conf_folder(conf):
    groups = _group_lines(help_text(conf))
    folders = sorted(p.name for p in conf.iterdir() if p.is_dir())
    assert sorted(groups) == folders
    for folder in folders:
        options = sorted(p.stem for p in (conf / folder).glob("*.yaml"))
        assert groups[folder].split("(default")[0].split()[1:] == [
            f"{o}," for o in options[:-1]
        ] + [options[-1]]
    assert "mine" in groups["model"] and "(default: bold)" in groups["style"]
    assert "(default: key_facts)" in groups["prompt"]
    assert "(default: lead, random, textrank, lexrank, centroid, oracle)" in groups["model"]
    # The override checks read the same listing: what the help offers, they accept.
    assert check_overrides(["model=mine", "style=plain"], conf) == ["model=mine", "style=plain"]


def test_the_help_lists_every_setting_of_config_yaml(conf):
    text = help_text(conf)
    assert "  retries=3" in text and "  limits.seconds=60" in text
    shipped = OmegaConf.to_container(OmegaConf.load(ROOT / "conf" / "config.yaml"))
    settings = {k: v for k, v in shipped.items() if k not in ("defaults", "hydra")}
    assert settings, "config.yaml has settings"
    for key, value in settings.items():
        keys = [f"{key}.{k}" for k in value] if isinstance(value, dict) else [key]
        for dotted in keys:
            assert f"\n  {dotted}=" in text, dotted


def test_the_help_points_to_the_composed_config_and_hydras_flags():
    text = help_text()
    assert "summbench --cfg job [GROUP=OPTION ...] [KEY=VALUE ...]" in text
    for flag in ("--multirun", "--cfg job|hydra|all", "--resolve", "--info", "--hydra-help"):
        assert flag in text
    # The text lives in harness/help.py only, not in a second copy in conf/config.yaml.
    assert "help" not in OmegaConf.load(ROOT / "conf" / "config.yaml").hydra


@pytest.mark.parametrize("text", ["defaults: [\n", "- a list\n", "\xff\xfe"])
def test_a_broken_config_yaml_is_one_line_naming_it(conf, text):
    (conf / "config.yaml").write_bytes(text.encode("latin-1"))
    for answer in (lambda: help_text(conf), lambda: check_overrides(["nosuchkey=1"], conf)):
        with pytest.raises(UsageError, match=r"^\S*config\.yaml(, line \d+)?: ") as caught:
            answer()
        assert "\n" not in str(caught.value)


@pytest.mark.parametrize(
    ("args", "asked"),
    [
        (["--help"], True),
        (["-h"], True),
        (["model=lead", "prompt=figures", "--help"], True),
        (["--hel"], True),  # argparse takes a unique prefix of a long flag
        (["-mh"], True),  # argparse reads a cluster of short flags as -m -h
        (["-hm"], True),
        (["-m"], False),
        (["--hydra-help"], False),
        (["--h"], False),  # ambiguous for argparse: Hydra says so
        (["prompt.system=--help"], False),
        (["--cfg", "job"], False),
    ],
)
def test_what_counts_as_asking_for_help(args, asked):
    assert asks_for_help(args) is asked


def test_the_command_prints_the_help_also_after_overrides():
    done = subprocess.run(
        [sys.executable, "-m", "harness", "model=nope", "--help"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == help_text() + "\n"


def test_hydra_help_is_still_hydras():
    done = subprocess.run(
        [sys.executable, "-m", "harness", "--hydra-help"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Hydra (") and "hydra/launcher:" in done.stdout


def test_hydras_shell_completion_is_not_taken_for_overrides():
    # `-sc install=bash` and the `-sc query=bash` the installed script calls are Hydra's: the
    # override checks once refused them ("no group or setting named 'install'").
    def complete(*args: str, line: str = "") -> subprocess.CompletedProcess:
        env = {**os.environ, "COMP_LINE": line, "COMP_POINT": str(len(line))}
        return subprocess.run(
            [sys.executable, "-m", "harness", *args],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=60,
            env=env,
        )

    installed = complete("-sc", "install=bash")
    assert installed.returncode == 0, installed.stderr
    assert "hydra_bash_completion" in installed.stdout
    queried = complete("--shell-completion", "query=bash", line="summbench mod")
    assert queried.returncode == 0, queried.stderr
    assert queried.stdout.split() == ["model.", "model="]
