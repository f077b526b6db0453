"""Content problems, reported as ``path:line: message``."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Severity(StrEnum):
    ERROR = "error"  # cannot be published as written: fails every build
    WARNING = "warning"  # left out on purpose: fails only under --strict


@dataclass(frozen=True, order=True)
class Problem:
    path: str  # relative to the folder holding mkdocs.yml, with forward slashes
    line: int | None
    message: str
    severity: Severity = Severity.ERROR

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.message}"

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR


def error(path: str, line: int | None, message: str) -> Problem:
    return Problem(path, line, message, Severity.ERROR)


def warning(path: str, line: int | None, message: str) -> Problem:
    return Problem(path, line, message, Severity.WARNING)
