"""Files of Vitrine's cache placed into the site as hard links.

A large campaign's images, cards and precompressed copies are thousands of files and hundreds of MB: copied
at every build they were most of a warm build's time (and of a preview's). A link is made in no time and
takes no room. It is safe because a cache file is never changed in place (a new content is a new file) and
a site's file is replaced, never written through, by the next build. Where no link can be made (another
file system), the caller copies.
"""

from __future__ import annotations

import contextlib
import os
import shutil


def link(source: str, dest: str) -> bool:
    """Make ``dest`` a hard link to ``source``; False where it cannot be (the caller copies)."""
    try:
        mode = os.stat(source).st_mode
        if mode & 0o044 != 0o044:  # cache files are made private (mkstemp): a web server must read the site's
            os.chmod(source, mode | 0o644)
        with contextlib.suppress(FileNotFoundError):  # a preview's rebuild: most are in place already
            if os.path.samefile(source, dest):
                return True
        os.makedirs(os.path.dirname(dest), exist_ok=True)
        with contextlib.suppress(FileNotFoundError):
            os.unlink(dest)
        os.link(source, dest)
    except OSError:
        return False
    return True


def place(source: str, dest: str) -> None:
    """``dest`` as a hard link to ``source``, or a copy where no link can be made."""
    if not link(source, dest):
        shutil.copyfile(source, dest)
