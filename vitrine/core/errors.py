"""Content problems, reported as ``path:line: message``, and the messages an editor reads.

A message is kept as its English template and its values (``Msg``) until it is said: ``Translator.say``
(``vitrine.core.i18n``) puts it in the campaign's language from the message catalogs, so the readers that find
problems never need to know the language. ``str()`` of a message or a problem is its English text.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum


@dataclass(frozen=True)
class Msg:
    """An editor's message: its English template (``str.format`` fields, the catalogs' key) and its values,
    some of which may be messages themselves (a hint, what a key must be)."""

    text: str
    args: tuple[tuple[str, object], ...] = ()

    def __str__(self) -> str:
        return self.said(lambda message: message.text)

    def said(self, template: Callable[[Msg], str]) -> str:
        """This message with ``template(msg)`` as the text of itself and of each inner message."""
        values = {key: value.said(template) if isinstance(value, Msg) else value for key, value in self.args}
        return template(self).format(**values)

    def value(self, key: str, default: object = None) -> object:
        return next((value for name, value in self.args if name == key), default)


def msg(text: str, /, **args: object) -> Msg:
    """A message for the catalogs: ``text`` is a literal English template (a test finds every one in the code
    and asks each catalog for it), ``args`` its values."""
    return Msg(text, tuple(args.items()))


VERBATIM = "{text}"  # words another program wrote (a parser's, the system's): the same in every language


def verbatim(text: str) -> Msg:
    return Msg(VERBATIM, (("text", text),))


class Invalid(ValueError):
    """A validator's refusal, with the message to show (pydantic keeps the exception: ``schema._problem``)."""

    def __init__(self, message: Msg) -> None:
        super().__init__(str(message))
        self.message = message


class Severity(StrEnum):
    ERROR = "error"  # cannot be published as written: fails every build
    WARNING = "warning"  # probably a mistake (an unknown key or file): fails only under --strict
    HOLD = "hold"  # content left out on purpose until a date or consent: a notice, never fails a build
    NOTICE = "notice"  # something an editor should know (an empty section not shown): never fails a build


@dataclass(frozen=True)
class Problem:
    path: str  # relative to the folder holding mkdocs.yml, with forward slashes
    line: int | None
    message: Msg
    severity: Severity = Severity.ERROR

    def __str__(self) -> str:
        return self.said(str)

    def said(self, say: Callable[[Msg], str]) -> str:
        """``path:line: message``, the message said by ``say`` (``Translator.say``, or ``str`` for English)."""
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {say(self.message)}"

    def __lt__(self, other: Problem) -> bool:
        return self.sort_key < other.sort_key

    @property
    def sort_key(self) -> tuple[str, int, str]:
        return self.path, self.line or 0, str(self.message)

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    @property
    def is_warning(self) -> bool:
        return self.severity is Severity.WARNING

    @property
    def fails(self) -> bool:
        """Whether it fails a strict build: errors and warnings do, holds and notices never."""
        return self.severity in (Severity.ERROR, Severity.WARNING)


def _problem(severity: Severity, path: str, line: int | None, message: Msg | str, args: dict[str, object]) -> Problem:
    return Problem(path, line, message if isinstance(message, Msg) else msg(message, **args), severity)


def error(path: str, line: int | None, message: Msg | str, /, **args: object) -> Problem:
    """``message``: a literal English template with ``args``, or a ``msg``."""
    return _problem(Severity.ERROR, path, line, message, args)


def warning(path: str, line: int | None, message: Msg | str, /, **args: object) -> Problem:
    return _problem(Severity.WARNING, path, line, message, args)


def hold(path: str, line: int | None, message: Msg | str, /, **args: object) -> Problem:
    """Content left out on purpose: its template says ``held: …`` and, where one is known, ``(until …)``."""
    return _problem(Severity.HOLD, path, line, message, args)


def notice(path: str, line: int | None, message: Msg | str, /, **args: object) -> Problem:
    return _problem(Severity.NOTICE, path, line, message, args)
