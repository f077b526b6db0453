"""``vitrine serve``'s builds: MkDocs' own ``load_config`` and ``build`` driving the orchestrator for the live
preview (``vitrine.hosts.mkdocs.preview``), into a private folder removed when it stops."""

from __future__ import annotations

import logging
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

from vitrine.build.live import LiveServer
from vitrine.build.orchestrator import build_site
from vitrine.core.i18n import CAMPAIGN_LOCALES, Translator
from vitrine.hosts.mkdocs import preview as previews
from vitrine.hosts.mkdocs.adapter import MkDocsHost, Vitrine, join, with_pdf


def preview(config_file: Path, address: tuple[str, int], editor: Translator) -> None:
    """``vitrine serve``: the live preview (``vitrine.hosts.mkdocs.preview``), each of its builds made by MkDocs' own
    ``load_config`` and ``build`` with the orchestrator, into a private folder removed when it stops."""
    from mkdocs.commands.build import build  # the host this command runs: MkDocs (`mkdocs serve` may be ProperDocs)
    from mkdocs.config import load_config

    terminal = logging.getLogger("mkdocs")  # as MkDocs' own command sets it up: quiet_host then sorts its lines
    terminal.setLevel(logging.INFO)
    terminal.propagate = False
    terminal.addHandler(logging.StreamHandler())
    site = Path(tempfile.mkdtemp(prefix="vitrine-preview-"))
    state = previews.Preview(root=config_file.parent, editor=editor)
    try:
        mount = urlsplit(load_config(str(config_file), site_dir=str(site)).site_url or "/").path
    except Exception:  # a broken mkdocs.yml: served at the root, its error page first
        mount = "/"
    server = LiveServer(address, site, mount)
    url = f"http://{address[0]}:{server.server_address[1]}{server.mount}"

    def rebuild(state: previews.Preview) -> Iterator[None]:
        config = load_config(str(config_file), site_dir=str(site))
        config.site_url = url  # nothing sends the preview to the production host
        steps = build_site(MkDocsHost(config), serving=True, publishing=False, with_pdf=with_pdf(), preview=state,
                           rebuilding=state.builds > 0)  # fmt: skip
        join(config, Vitrine(next(steps)))
        build(config, serve_url=url)
        state.watched = (*map(Path, config.watch), Path(config.docs_dir), config_file.parent / CAMPAIGN_LOCALES)
        yield None  # the main language is written: the server shows it
        for part in steps:
            join(part.handle, Vitrine(part))
            build(part.handle, serve_url=url)

    try:
        previews.run(state, server, rebuild)
    finally:
        shutil.rmtree(site, ignore_errors=True)
