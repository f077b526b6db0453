"""``python -m vitrine check [mkdocs.yml]``: what MkDocs itself cannot say as ``path:line: message``.

MkDocs reads its config with PyYAML before any hook runs, so a date that is not in the calendar
(``embargo: 2026-02-30``) or a number of thousands of digits ends in MkDocs' own traceback. This check reads
the config (and each config in ``extra.campaign.translations``) without running it and names the line;
``make site`` and ``make serve`` run it before MkDocs.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .settings import check_config


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="vitrine", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("check", help="check that MkDocs can read the config (and its translations)")
    check.add_argument("config", nargs="?", default="mkdocs.yml", type=Path)
    args = parser.parse_args(argv)
    config = args.config.resolve()
    problems = check_config(config, config.parent)
    for problem in problems:
        print(f"ERROR   -  {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
