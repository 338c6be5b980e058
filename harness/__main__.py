"""``summbench`` (and ``python -m harness``): the command line, answered before Hydra loads where
it can.

Hydra's own ``--help`` composes every config group, the app's and Hydra's, to list them: about 20
times `python -c pass`. summbench's help (harness/help.py) reads conf/ instead, and the overrides
are checked (harness/overrides.py) before Hydra or omegaconf is imported, so ``--help`` and a bad
override answer in a few times `python -c pass`. Everything else, ``--hydra-help`` included, goes
to the Hydra app (harness/app.py).
"""

from __future__ import annotations

import gc
import sys

from harness import ROOT
from harness.errors import UsageError
from harness.help import asks_for_help, help_text
from harness.overrides import check_overrides


def main() -> None:
    # Importing Hydra and composing the config allocate many objects and free few: the cyclic
    # garbage collector's passes over them were about 6% of `summbench --cfg job`. It is on again
    # before a job runs (harness.app).
    gc.disable()
    try:
        if asks_for_help(sys.argv[1:]):
            print(help_text())
            sys.exit(0)
        sys.argv[1:] = check_overrides(sys.argv[1:], ROOT / "conf")
    except UsageError as e:
        print(f"summbench: error: {e}", file=sys.stderr)
        sys.exit(2)
    from harness.app import main as run_app  # Hydra and omegaconf: once the command line is good

    run_app()


if __name__ == "__main__":
    main()
