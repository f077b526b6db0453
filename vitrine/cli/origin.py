"""Where the running Vitrine comes from, and how a new campaign installs the same one anywhere.

A campaign's ``requirements.txt`` is installed by its deploy (GitHub Actions, GitLab CI) on a machine that has
never seen this one. Vitrine is on no package index, so the line must name something that machine can reach:

- installed from an index (pip wrote no ``direct_url.json``): ``vitrine==X.Y.Z``, from that index;
- installed from a remote VCS URL (https, ssh): ``vitrine @ git+URL@<commit>``, the very commit;
- anything else (a local folder, an editable checkout, a ``file://`` Git URL, an archive): nothing outside
  this machine names it, so the campaign carries a wheel of the running Vitrine (:func:`write_wheel`) in
  ``vendor/``, and ``requirements.txt`` names it by a relative path. The deploy then needs only PyPI, for
  Vitrine's libraries.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import zipfile
from importlib import metadata
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from vitrine.core import assets

VENDOR = "vendor"
# The metadata a wheel carries over from the installed distribution (dependencies, the `vitrine` command);
# pip writes the others (RECORD, INSTALLER, direct_url.json…) at install time.
METADATA_FILES = ("METADATA", "entry_points.txt", "top_level.txt")
# Fixed times make the same Vitrine give the same wheel, byte for byte: git stores it once.
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
WHEEL = b"Wheel-Version: 1.0\nGenerator: vitrine\nRoot-Is-Purelib: true\nTag: py3-none-any\n"


def requirement_for(direct_url: dict[str, Any] | None, version: str) -> str | None:
    """The requirement line that installs this Vitrine elsewhere, or None when only a wheel of it can.

    ``direct_url`` is the distribution's ``direct_url.json`` (PEP 610), None when pip wrote none (an index)."""
    if direct_url is None:
        return f"vitrine=={version}"
    url = direct_url.get("url", "")
    vcs = direct_url.get("vcs_info")
    if vcs and urlsplit(url).scheme not in ("", "file") and not direct_url.get("dir_info", {}).get("editable"):
        line = f"vitrine @ {vcs['vcs']}+{url}"
        if commit := vcs.get("commit_id"):
            line += f"@{commit}"
        if subdirectory := direct_url.get("subdirectory"):
            line += f"#subdirectory={subdirectory}"
        return line
    return None  # a folder, an editable checkout, a file:// repository, an archive: nowhere else to be found


def requirement() -> str | None:
    """The requirement of the running Vitrine (``VITRINE_REQUIREMENT`` overrides it), or None: carry a wheel."""
    if override := os.environ.get("VITRINE_REQUIREMENT"):
        return override
    dist = installed()
    if dist is None:  # imported from a source tree, never installed: nothing to copy
        return "vitrine"
    direct = dist.read_text("direct_url.json")
    return requirement_for(json.loads(direct) if direct else None, dist.version)


def installed() -> metadata.Distribution | None:
    """The installed Vitrine: the first on the path that an installer (pip…) wrote. A checkout's
    ``vitrine.egg-info`` (setuptools leaves it there) comes first when the checkout is on the path (pytest,
    ``python -m vitrine.cli.main`` run in it) but records no origin and holds no METADATA file."""
    found = list(metadata.distributions(name="vitrine"))
    return next((dist for dist in found if dist.read_text("INSTALLER")), found[0] if found else None)


def wheel_name(version: str) -> str:
    return f"vitrine-{version}-py3-none-any.whl"


def write_wheel(folder: Path) -> Path:
    """A wheel (PEP 427) of the running Vitrine in ``folder``: the installed package's own files (less
    ``__pycache__``), its metadata and its ``vitrine`` command, each listed with its hash in RECORD."""
    dist = installed()
    if dist is None or dist.read_text("METADATA") is None:
        raise RuntimeError("no installed Vitrine to copy (pip install it, or set VITRINE_REQUIREMENT)")
    package = assets.PACKAGE  # what runs now, whatever pip recorded
    info = f"vitrine-{dist.version}.dist-info"
    files: list[tuple[str, bytes]] = [
        (f"vitrine/{path.relative_to(package).as_posix()}", path.read_bytes())
        for path in sorted(package.rglob("*"))
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc"
    ]
    for name in METADATA_FILES:
        if (text := dist.read_text(name)) is not None:
            files.append((f"{info}/{name}", text.encode("utf-8")))
    files.append((f"{info}/WHEEL", WHEEL))
    record = "".join(f"{name},sha256={_digest(data)},{len(data)}\n" for name, data in files) + f"{info}/RECORD,,\n"
    files.append((f"{info}/RECORD", record.encode("utf-8")))
    folder.mkdir(parents=True, exist_ok=True)
    out = folder / wheel_name(dist.version)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as wheel:
        for name, data in files:
            entry = zipfile.ZipInfo(name, ZIP_TIME)
            entry.external_attr = 0o644 << 16
            entry.compress_type = zipfile.ZIP_DEFLATED
            wheel.writestr(entry, data)
    return out


def _digest(data: bytes) -> str:
    """RECORD's hash: urlsafe base64 of the SHA-256, without padding."""
    return base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode("ascii")
