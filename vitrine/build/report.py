"""What a build tells at its end: how many problems, holds and notices, and the next day time alone changes
the site (a consent starts or lapses, the press embargo lifts, an event ends).

The host's build logs it in its last lines; under ``vitrine build`` it also writes it as JSON to the file
named by ``VITRINE_REPORT``, from which ``vitrine build`` says its own one-line summary once the build ended.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path
from typing import IO, Any

from vitrine.core.errors import Msg, Problem, Severity, msg
from vitrine.core.i18n import Translator

LABELS = {Severity.ERROR: msg("ERROR"), Severity.WARNING: msg("WARNING"), Severity.HOLD: msg("HELD"),
          Severity.NOTICE: msg("NOTE")}  # fmt: skip
REPORT_VARIABLE = "VITRINE_REPORT"  # where the hooks write the build's report for `vitrine build`
PUBLISH_VARIABLE = "VITRINE_PUBLISH"  # "1": `vitrine build --publish` asks the hooks for a deploy build
QUIET_VARIABLE = "VITRINE_QUIET"  # "1": the host's own chatter goes to the log file only (vitrine build, serve)
LOG_VARIABLE = "VITRINE_LOG"  # that log file


class HostOutput:
    """The host's log as ``vitrine build`` shows it, line by line: printed (already quiet and said in the
    editors' language, ``mkdocs_adapter.quiet_host``), errors and warnings counted by their label; a Python
    traceback (a crash: a full disk, a read-only folder, a bug) goes to the log file only, its last line kept
    to be said once."""

    def __init__(self, editor: Translator, echo: Callable[[str], None], log: IO[str] | None) -> None:
        self.echo, self.log = echo, log
        self.labels = {f"{editor.say(LABELS[kind])}: ": kind.value for kind in (Severity.ERROR, Severity.WARNING)}
        self.seen = dict.fromkeys(self.labels.values(), 0)
        self.crash = ""  # the exception's own line, once a traceback began
        self.tracing = False

    def __call__(self, text: str) -> None:
        self.tracing = self.tracing or text.startswith("Traceback (most recent call last):")
        if self.tracing:
            if self.log:
                self.log.write(text + "\n")
            if text.strip() and not text.startswith((" ", "Traceback", "During handling", "The above exception")):
                self.crash = text.strip()
            return
        self.echo(text)
        kind = next((kind for label, kind in self.labels.items() if text.startswith(label)), None)
        if kind:
            self.seen[kind] += 1

    def stopped(self) -> Msg | None:
        """What stopped the build, when it crashed: a full disk and a folder it cannot write said as such."""
        if not self.crash:
            return None
        if "Errno 28" in self.crash or "No space left" in self.crash:
            return msg("the disk is full ({error}): free some space and build again", error=self.crash)
        if "Errno 30" in self.crash or "Errno 13" in self.crash:
            return msg("a folder cannot be written ({error}): the project must be writable", error=self.crash)
        return msg("the build stopped on an unexpected error: {error}", error=self.crash)


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
