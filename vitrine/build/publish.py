"""Build into a private folder, then swap it into ``site/`` in one step.

``site/`` is always the old site or the new one, whole: each build writes to a folder of its own beside
``site/`` (so two builds at once never write into the same files), and a finished build takes ``site/``'s
place with one ``renameat2(RENAME_EXCHANGE)``, which Linux does atomically even for two non-empty
folders. A build stopped by Ctrl-C, a kill or a content error leaves ``site/`` as it was; the folder it
was writing is removed then, or by the next build if the process was killed outright.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import errno
import os
import shutil
import signal
import subprocess
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import IO

from vitrine.core.errors import Msg, msg
from vitrine.read.document import kind_of

PREFIX = ".vitrine-build-"  # beside site/: <parent>/.vitrine-build-<pid>-<site name>
MARK = ".vitrine-site"  # written into every site a build makes: a folder holding it may be replaced
MARK_TEXT = "A site built by Vitrine: a build may replace this folder whole.\n"
MKDOCS_SITE = ("index.html", "404.html", "sitemap.xml")  # what every MkDocs site holds: one from before MARK
RENAME_EXCHANGE = 2
AT_FDCWD = -100


def unsafe_site(site: Path, root: Path, keep: Iterable[Path]) -> Msg | None:
    """Why the folder ``site`` (absolute) may not be replaced by a build, or None: a build replaces a folder
    whole (or empties it, under plain ``mkdocs build``), so it may only be absent, empty, or a site a build
    wrote. Never the project (``root``), one of its folders in ``keep`` (docs, stories, overrides), a folder
    holding any of them, or one inside them; never a symbolic link or a file."""
    root = root.resolve()
    shown = os.path.relpath(site, root)
    if site.is_symlink():
        return msg("{folder} is a symbolic link: remove it, the build makes its own folder", folder=shown)
    if site.exists() and not site.is_dir():
        return msg("{folder} is {kind}, not a folder: remove it or write the site elsewhere, e.g. site/",
                   folder=shown, kind=kind_of(site))  # fmt: skip
    where = site.resolve()
    for part in (root, *(p.resolve() for p in keep)):
        named = f"{os.path.relpath(part, root)}/"
        if where == part or part.is_relative_to(where):
            return msg("{folder} holds the campaign's own files ({part}): a build would replace them; write the "
                       "site elsewhere, e.g. site/", folder=shown, part=named)  # fmt: skip
        if part != root and where.is_relative_to(part):
            return msg("{folder} is inside {part}: write the site elsewhere, e.g. site/", folder=shown, part=named)
    if where.is_dir() and any(where.iterdir()) and not is_site(where):
        return msg("{folder} holds files no build wrote: empty it or write the site elsewhere, e.g. site/ "
                   "(nothing was touched)", folder=shown)  # fmt: skip
    return None


def is_site(folder: Path) -> bool:
    """A site a build wrote: marked so, or one from before the mark (every MkDocs site has these files), and
    never a campaign's folder."""
    if (folder / "mkdocs.yml").exists():
        return False
    return (folder / MARK).is_file() or all((folder / name).is_file() for name in MKDOCS_SITE)


def mark(site: Path) -> None:
    """Say, in the site itself, that a build wrote it (``unsafe_site`` lets a build replace it then)."""
    (site / MARK).write_text(MARK_TEXT, encoding="utf-8")


def _libc() -> ctypes.CDLL | None:
    name = ctypes.util.find_library("c")
    return ctypes.CDLL(name, use_errno=True) if name else None


def exchange(a: Path, b: Path) -> bool:
    """Swap two existing paths atomically; False where the system cannot (not Linux, old kernel)."""
    libc = _libc()
    rename2 = getattr(libc, "renameat2", None) if libc else None
    if rename2 is None:
        return False
    if rename2(AT_FDCWD, os.fsencode(a), AT_FDCWD, os.fsencode(b), RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP):  # this kernel or file system cannot exchange
        return False
    raise OSError(code, os.strerror(code), str(b))


def swap_in(new: Path, site: Path) -> None:
    """Put the finished build ``new`` at ``site``; the previous site ends up at ``new``, for the caller to remove."""
    try:
        os.rename(new, site)  # no site/ yet; fails if another build put one there since
        return
    except OSError as exc:
        if exc.errno not in (errno.EEXIST, errno.ENOTEMPTY, errno.EISDIR, errno.ENOTDIR):
            raise
    if not exchange(new, site):  # elsewhere: two renames, a moment without site/ between them
        old = new.with_name(new.name + "-old")
        os.rename(site, old)
        os.rename(new, site)
        os.rename(old, new)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def sweep(parent: Path) -> None:
    """Remove the folders of builds whose process is gone (killed before it could tidy up)."""
    for folder in parent.glob(f"{PREFIX}*"):
        pid = folder.name.removeprefix(PREFIX).split("-", 1)[0]
        if pid.isdigit() and not _alive(int(pid)) and folder.is_dir():
            shutil.rmtree(folder, ignore_errors=True)


def build(
    root: Path,
    site: Path,
    command: list[str],
    stdout: IO[str] | None = None,
    interrupted: Callable[[bool], None] | None = None,
    lines: Callable[[str], None] | None = None,
) -> int:
    """Run ``command`` (a host's build, to which ``--site-dir <folder>`` is added, its output to ``stdout``, each
    line of its log to ``lines`` if given) and swap its result into ``site``; return the command's exit code
    (130 when interrupted, after telling ``interrupted`` whether the new site was already in place). ``site``
    changes only on success."""
    site = site.resolve()
    site.parent.mkdir(parents=True, exist_ok=True)
    sweep(site.parent)
    private = site.parent / f"{PREFIX}{os.getpid()}-{site.name}"
    shutil.rmtree(private, ignore_errors=True)
    # SIGTERM (a CI timeout, `kill`) is handled like Ctrl-C: stop the build, tidy up, leave site/ as it was.
    previous = signal.signal(signal.SIGTERM, _interrupt) if _main_thread() else None
    process, swapped = None, False
    try:
        process = subprocess.Popen([*command, "--site-dir", str(private)], cwd=root, stdout=stdout,
                                   stderr=subprocess.PIPE if lines else None, text=True, errors="replace")  # fmt: skip
        reader = threading.Thread(target=_forward, args=(process.stderr, lines), daemon=True) if lines else None
        if reader:
            reader.start()
        code = process.wait()
        if reader:
            reader.join()
        if code == 0:
            swap_in(private, site)
            swapped = True
        return code
    except KeyboardInterrupt:
        if process:
            with contextlib.suppress(ProcessLookupError):
                process.send_signal(signal.SIGINT)
            with contextlib.suppress(subprocess.TimeoutExpired, KeyboardInterrupt):
                process.wait(timeout=30)
            if process.poll() is None:
                process.kill()
        if interrupted:
            interrupted(swapped)
        return 130
    finally:  # the unfinished build, or the previous site once swapped out
        _remove(private)
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


def _forward(stream: IO[str], lines: Callable[[str], None]) -> None:
    for line in stream:
        lines(line.rstrip("\n"))


def _remove(folder: Path) -> None:
    """Remove ``folder`` whole, even through a Ctrl-C: the old site's thousands of files take a moment, and
    a terminal's Ctrl-C at that moment used to leave half of them behind (the build itself was done). Ctrl-C
    and SIGTERM are ignored meanwhile: an interrupt caught and retried could still land between two tries."""
    if not _main_thread():  # only the main thread may change signal handlers
        shutil.rmtree(folder, ignore_errors=True)
        return
    saved = {sig: signal.signal(sig, signal.SIG_IGN) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        shutil.rmtree(folder, ignore_errors=True)
    finally:
        for sig, handler in saved.items():
            signal.signal(sig, handler)


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def _main_thread() -> bool:
    return threading.current_thread() is threading.main_thread()
