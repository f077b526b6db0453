"""What a build tells at its end: how many problems, holds and notices, and the next day time alone changes
the site (a consent starts or lapses, the press embargo lifts, an event ends).

The host's build logs it in its last lines; under ``vitrine build`` it also writes it as JSON to the file
named by ``VITRINE_REPORT``, from which ``vitrine build`` says its own one-line summary once the build ended.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Any

from .errors import Msg, Problem, Severity, msg
from .i18n import Translator

LABELS = {Severity.ERROR: msg("ERROR"), Severity.WARNING: msg("WARNING"), Severity.HOLD: msg("HELD"),
          Severity.NOTICE: msg("NOTE")}  # fmt: skip
REPORT_VARIABLE = "VITRINE_REPORT"  # where the hooks write the build's report for `vitrine build`
PUBLISH_VARIABLE = "VITRINE_PUBLISH"  # "1": `vitrine build --publish` asks the hooks for a deploy build
QUIET_VARIABLE = "VITRINE_QUIET"  # "1": the host's own chatter goes to the log file only (vitrine build, serve)
LOG_VARIABLE = "VITRINE_LOG"  # that log file


def counts(problems: Iterable[Problem]) -> dict[str, int]:
    found = {severity.value: 0 for severity in Severity}
    for problem in problems:
        found[problem.severity.value] += 1
    return found


def closing(problems: Iterable[Problem], next_change: tuple[date, Msg] | None, editor: Translator) -> list[str]:
    """The build's last lines: the holds and notices it listed, and when the site changes by itself."""
    found = counts(problems)
    lines = []
    if found["hold"]:
        lines.append(editor.say(msg("Vitrine: {n} held back, listed above with the reason: left out of the site, "
                                    "which is published all the same", n=found["hold"])))  # fmt: skip
    if next_change:
        lines.append(editor.say(next_change_message(next_change, editor)))
    return lines


def next_change_message(next_change: tuple[date, Msg], editor: Translator) -> Msg:
    day, reason = next_change
    return msg("Vitrine: the site changes by itself on {day} ({reason}): build it again that day (a deploy builds "
               "daily)", day=editor.date(day), reason=reason)  # fmt: skip


def write(problems: Iterable[Problem], next_change: tuple[date, Msg] | None, editor: Translator) -> None:
    """The report for ``vitrine build``, if it asked for one."""
    target = os.environ.get(REPORT_VARIABLE)
    if not target:
        return
    data = {"counts": counts(problems),
            "next_change": editor.say(next_change_message(next_change, editor)) if next_change else ""}  # fmt: skip
    part = Path(f"{target}.part")
    part.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    os.replace(part, target)


def read(file: Path) -> dict[str, Any]:
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}
