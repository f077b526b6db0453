"""The ``vitrine`` command: new, check, build, withdraw, consent, serve, schema, edit.

Thin: each command calls the module that does the work (``scaffold``, ``check``, ``publish``,
``json_schemas``) and turns its result into lines and an exit code, said in the campaign's language
(``extra.campaign``'s site language, ``theme.language``; ``VITRINE_LANGUAGE`` to read another).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path

import click

from vitrine.build import publish, register, report, traces
from vitrine.build import withdraw as withdrawal
from vitrine.build.check import check as check_campaign
from vitrine.build.check import host_readable
from vitrine.build.engine import CACHE
from vitrine.cli import scaffold
from vitrine.core.errors import Msg, Problem, Severity, msg
from vitrine.core.i18n import CAMPAIGN_LOCALES, Translator, editor_language
from vitrine.core.today import today
from vitrine.read import json_schemas, placeholders
from vitrine.read.project import read_project

HOST = [sys.executable, "-m", "mkdocs"]  # the host that renders the pages (MkDocs or ProperDocs: same CLI)
LOG = ".cache/vitrine/build.log"  # the whole log of the last `vitrine build` or `vitrine serve`


def _host_env(**extra: str) -> dict[str, str]:
    return {**os.environ, "NO_MKDOCS_2_WARNING": "1", **extra}  # Material's banner about MkDocs 2.0, at every run


def editor(root: Path, config_file: str = "mkdocs.yml") -> Translator:
    """Who reads the messages of the campaign in ``root``: its site's language, its own catalogs."""
    project, _ = read_project(root, config_file)
    return Translator(editor_language(project.language if project else ""), [root / CAMPAIGN_LOCALES])


def counted(found: dict[str, int], t: Translator) -> str:
    """``2 errors, 1 warning, 3 held back`` in the editor's language."""
    parts = [msg("{n} errors", n=found.get("error", 0)), msg("{n} warnings", n=found.get("warning", 0))]
    parts += [msg("{n} held back", n=found["hold"])] if found.get("hold") else []
    return ", ".join(t.say(part) for part in parts)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="vitrine")
def main() -> None:
    """Vitrine: campaign microsites from Markdown stories."""


@main.command()
@click.argument("directory", type=click.Path(path_type=Path))
@click.option("--kind", type=click.Choice(scaffold.KINDS), default="charity", show_default=True,
              help="charity: testimonies, wish list and giving.")  # fmt: skip
@click.option("--name", default="", help="The campaign's name (default: from DIRECTORY).")
@click.option("--organisation", default="", help="The organisation's name.")
@click.option("--language", default="fr", show_default=True, help="The site's language (fr, en, ar…).")
def new(directory: Path, kind: str, name: str, organisation: str, language: str) -> None:
    """Write a new campaign into DIRECTORY (which must be empty or absent)."""
    t = Translator(editor_language(scaffold.speaks(language)))  # the campaign's language, as far as it is one
    try:
        written = scaffold.new(directory, kind=kind, name=name, organisation=organisation, language=language)
    except scaffold.Refused as refused:  # every option checked first: one line, nothing written
        raise click.ClickException(t.say(refused.message)) from None
    click.echo(t.say(msg("New {kind} campaign in {folder}/ ({n} files). Next:", kind=kind, folder=str(directory),
                         n=len(written))))  # fmt: skip
    click.echo(f"  cd {directory}")
    click.echo(f"  make site    # {t.say(msg('installs Vitrine into .venv and builds the site into site/'))}")
    click.echo(f"  make serve   # {t.say(msg('live preview on http://127.0.0.1:8000'))}")


@main.command()
@click.argument("directory", type=click.Path(path_type=Path, file_okay=False), default=".")
@click.option("--strict", is_flag=True, help="Fail on warnings too (unknown files or keys).")
@click.option("--publish", "deploy", is_flag=True, help="Check as a deploy build does: placeholders fail it.")
@click.option("-f", "--config-file", default="mkdocs.yml", show_default=True)
def check(directory: Path, strict: bool, deploy: bool, config_file: str) -> None:
    """Print every content problem as path:line: message, without building. Exit 1 on errors."""
    started = time.perf_counter()
    root = directory.resolve()
    deploy = placeholders.publishing(deploy)
    problems = check_campaign(root, config_file, deploy)
    t = editor(root, config_file)
    _say(problems, t)
    found = report.counts(problems)
    seconds = t.number(round(time.perf_counter() - started, 2))
    click.echo(t.say(msg("vitrine check: {counts} ({seconds} s)", counts=counted(found, t), seconds=seconds)), err=True)
    sys.exit(1 if found["error"] or ((strict or deploy) and found["warning"]) else 0)


def _say(problems: Iterable[Problem], t: Translator) -> None:
    for problem in problems:
        click.echo(f"{t.say(report.LABELS[problem.severity])}: {t.problem(problem)}", err=True)


@main.command()
@click.argument("directory", type=click.Path(path_type=Path, file_okay=False), default=".")
@click.option("-d", "--site-dir", default="site", show_default=True, help="Where the site goes.")
@click.option("-f", "--config-file", default="mkdocs.yml", show_default=True)
@click.option("--publish", "deploy", is_flag=True, help="A deploy build: placeholders of the example campaign fail it "
                                              "(also when the CI variable is set).")  # fmt: skip
def build(directory: Path, site_dir: str, config_file: str, deploy: bool) -> None:
    """Build the site strictly into SITE_DIR, swapped in whole only when the build succeeded."""
    root = directory.resolve()
    sys.exit(_build(root, site_dir, config_file, deploy, editor(root, config_file)))


def _build(root: Path, site_dir: str, config_file: str, deploy: bool, t: Translator) -> int:
    """``vitrine build``'s work: its exit code, every line said."""
    started = time.perf_counter()
    _host_can_read(root, config_file, t)
    project, _ = read_project(root, config_file)
    if unsafe := publish.unsafe_site(Path(os.path.abspath(root / site_dir)), root, project.folders if project else []):
        click.echo(f"{t.say(report.LABELS[Severity.ERROR])}: {t.say(unsafe)}", err=True)
        return 1
    log = _log_file(root)
    command = [*HOST, "build", "--strict", "--config-file", str(root / config_file)]
    with tempfile.TemporaryDirectory(prefix="vitrine-report-") as folder, log.open("a", encoding="utf-8") as out:
        said = Path(folder) / "report.json"
        os.environ.update(_host_env(**{report.QUIET_VARIABLE: "1", report.LOG_VARIABLE: str(log),
                                       report.REPORT_VARIABLE: str(said),
                                       report.PUBLISH_VARIABLE: "1" if deploy else ""}))  # fmt: skip
        output = report.HostOutput(t, lambda text: click.echo(text, err=True), out)
        interrupted = lambda swapped: click.echo(t.say(  # noqa: E731
            msg("vitrine build: interrupted: {folder}/ is the new build, whole", folder=site_dir) if swapped
            else msg("vitrine build: interrupted: {folder}/ is unchanged", folder=site_dir)), err=True)  # fmt: skip
        try:  # the host's stdout to the log: its own last word, said better below
            code = publish.build(root, root / site_dir, command, stdout=out, lines=output, interrupted=interrupted)
        except OSError as exc:  # the swap itself (a disk that fails): site/ is the old one or the new one
            code, output.crash = 1, f"{type(exc).__name__}: {exc}"
        found = report.read(said)
    counts = counted({**found.get("counts", {}), **output.seen}, t)
    seconds = t.number(round(time.perf_counter() - started, 1))
    if code == 0:
        click.echo(t.say(msg("vitrine build: site built in {folder}/ in {seconds} s ({counts})", folder=site_dir,
                             seconds=seconds, counts=counts)), err=True)  # fmt: skip
        if found.get("next_change"):
            click.echo(found["next_change"], err=True)
    elif code != 130:
        reason = output.stopped() or msg("{counts}: a strict build refuses errors and warnings", counts=counts)
        shown = os.path.relpath(log) if log.is_relative_to(root) else str(log)
        click.echo(t.say(msg("vitrine build: the build failed, {folder}/ is unchanged. {reason}. Full log: {log}",
                             folder=site_dir, reason=reason, log=shown)), err=True)  # fmt: skip
    return code


@main.command()
@click.argument("person")
@click.argument("directory", type=click.Path(path_type=Path, file_okay=False), default=".")
@click.option("--delete", is_flag=True, help="Delete their folder instead of moving it into withdrawn/.")
@click.option("-f", "--config-file", default="mkdocs.yml", show_default=True)
def withdraw(person: str, directory: Path, delete: bool, config_file: str) -> None:
    """Take PERSON (their folder's name) off the site: move their folder out of stories/, build, prove that
    nothing of theirs is left in site/ or the cache, and print the addresses to purge."""
    root = directory.resolve()
    t = editor(root, config_file)
    project, _ = read_project(root, config_file)
    settings = project.campaign if project and isinstance(project.campaign, dict) else {}
    stories, site_dir = str(settings.get("stories") or "stories"), str((project.config if project else {}).get(
        "site_dir") or "site")  # fmt: skip
    found = withdrawal.find(root, stories, person)
    if isinstance(found, Msg):
        raise click.ClickException(t.say(found))
    if delete and (naming := withdrawal.events_naming(root, stories, person)):
        _say(naming, t)
        sys.exit(1)
    click.echo(t.say(msg("vitrine withdraw: building the site as it is, to see what holds {slug}", slug=person)),
               err=True)  # fmt: skip
    _build(root, site_dir, config_file, False, t)  # failed: the last site/, if any, is what was published
    site = root / site_dir
    needles = found.needles | traces.Needles(hashes=traces.published(site, person)) if site.is_dir() else found.needles
    held = traces.search([site], needles) if site.is_dir() else []
    moved = withdrawal.take_out(root, found, delete)
    click.echo(t.say(msg("vitrine withdraw: {slug} moved to {folder}/", slug=person, folder=os.path.relpath(
        moved, root)) if moved else msg("vitrine withdraw: {slug} deleted", slug=person)), err=True)  # fmt: skip
    if _build(root, site_dir, config_file, False, t) != 0:
        click.echo(t.say(msg("vitrine withdraw: the build failed: {folder}/ still holds {slug}; fix what it says "
                             "and build again", folder=site_dir, slug=person)), err=True)  # fmt: skip
        sys.exit(1)
    left = traces.search([site], needles) + traces.search([root / CACHE], needles, addresses=False)
    if left:
        click.echo(t.say(msg("vitrine withdraw: {n} traces of {slug} are left:", n=len(left), slug=person)), err=True)
        for line in withdrawal.shown(left, root):
            click.echo(f"  {line}", err=True)
        if all(trace.file.is_relative_to(root / CACHE) for trace in left):  # the sweep waits for a build alone
            click.echo(t.say(msg("vitrine withdraw: another build (a preview?) held the cache: stop it, then run "
                                 "vitrine build")), err=True)  # fmt: skip
        sys.exit(1)
    click.echo(t.say(msg("No file of {site}/ or of the cache holds {slug} any more (name, story, pictures, cards).",
                         site=site_dir, slug=person)))  # fmt: skip
    day = today().isoformat()
    since = msg(", published since {day}", day=found.consent) if found.consent else ""
    click.echo(t.say(msg("Withdrawn on {day}{since}. Ask the host, the CDN and search engines to forget these "
                         "addresses:", day=day, since=since)))  # fmt: skip
    site_url = str((project.config if project else {}).get("site_url") or "")
    for address in withdrawal.purge_list(site, person, held, site_url):
        click.echo(f"  {address}")


@main.command()
@click.argument("directory", type=click.Path(path_type=Path, file_okay=False), default=".")
@click.option("-f", "--config-file", default="mkdocs.yml", show_default=True)
def consent(directory: Path, config_file: str) -> None:
    """The consent register: who is published, since and until when, with what withheld, on which pages; who is
    held and why; who was withdrawn. Printed, and written to consent-register.csv (never published)."""
    root = directory.resolve()
    t = editor(root, config_file)
    project, _ = read_project(root, config_file)
    settings = project.campaign if project and isinstance(project.campaign, dict) else {}
    site = root / str((project.config if project else {}).get("site_dir") or "site")
    found = register.entries(root, str(settings.get("stories") or "stories"), str(settings.get("kind") or "charity"),
                             site)  # fmt: skip
    for entry in found:
        dates = msg(" since {since}", since=entry.since) if entry.since and entry.status.text == "published" else ""
        until = msg(" until {until}", until=entry.until) if entry.until else ""
        click.echo(f"{entry.slug} ({entry.name}): {t.say(entry.status)}{t.say(dates)}{t.say(until)}")
        if entry.withheld:
            click.echo("  " + t.say(msg("withheld: {parts}", parts=", ".join(entry.withheld))))
        if entry.reason:
            click.echo("  " + t.say(entry.reason))
        if entry.pages:
            click.echo("  " + t.say(msg("{n} pages and files: {pages}", n=len(entry.pages), pages=" ".join(
                "/" + page for page in entry.pages))))  # fmt: skip
    if not site.is_dir():
        click.echo(t.say(msg("vitrine consent: {folder}/ is not built: build it to see which pages hold whom",
                             folder=site.name)), err=True)  # fmt: skip
    written = register.write(root, register.csv_text(found, t.say))
    click.echo(t.say(msg("vitrine consent: {n} people, written to {file} (keep it private: it is never published)",
                         n=len(found), file=written.name)), err=True)  # fmt: skip


def _log_file(root: Path) -> Path:
    """The build's whole log, emptied: in the project's cache, or a temporary file if it cannot be written."""
    log = root / LOG
    try:
        log.parent.mkdir(parents=True, exist_ok=True)
        log.write_text("", encoding="utf-8")
    except OSError:  # a read-only project: the build says why it cannot write; its log goes elsewhere
        handle, name = tempfile.mkstemp(prefix="vitrine-build-", suffix=".log")
        os.close(handle)
        log = Path(name)
    return log


@main.command()
@click.argument("directory", type=click.Path(path_type=Path, file_okay=False), default=".")
@click.option("-a", "--dev-addr", default="127.0.0.1:8000", show_default=True)
def serve(directory: Path, dev_addr: str) -> None:
    """Live preview: rebuilds when stories, docs or settings change."""
    root = directory.resolve()
    t = editor(root)
    _host_can_read(root, "mkdocs.yml", t)
    address, _, port = dev_addr.rpartition(":")
    click.echo(t.say(msg("Live preview on http://{address}/ once built: it follows every save (Ctrl-C stops it)",
                         address=dev_addr)), err=True)  # fmt: skip
    (root / LOG).parent.mkdir(parents=True, exist_ok=True)
    (root / LOG).write_text("", encoding="utf-8")  # this session's log only
    os.environ.update(_host_env(**{report.QUIET_VARIABLE: "1", report.LOG_VARIABLE: str(root / LOG)}))
    from vitrine.hosts.mkdocs import serve as host  # the host, imported only by the command that runs it

    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # stopped as by Ctrl-C: its private folder removed
    try:
        host.preview(root / "mkdocs.yml", (address or "127.0.0.1", int(port or 8000)), t)
    except KeyboardInterrupt:
        sys.exit(130)
    except OSError as exc:  # the address is taken, or not this machine's
        click.echo(t.say(msg("vitrine serve: cannot listen on {address}: {reason}", address=dev_addr,
                             reason=exc.strerror or str(exc))), err=True)  # fmt: skip
        sys.exit(1)


def _host_can_read(root: Path, config_file: str, t: Translator) -> None:
    """Stop, with ``path:line: message`` lines, on what would crash the host before Vitrine's hooks run."""
    problems = host_readable(root, config_file)
    _say(problems, t)
    if problems:
        sys.exit(1)


@main.command()
@click.argument("kind", type=click.Choice(list(json_schemas.KINDS)), required=False)
@click.option("-o", "--out", type=click.Path(path_type=Path, file_okay=False),
              help="Write every schema into this folder (default: print KIND's).")  # fmt: skip
def schema(kind: str | None, out: Path | None) -> None:
    """JSON Schemas of the front matter and of extra.campaign, for editors' YAML tooling."""
    if out:
        for path in json_schemas.write(out):
            click.echo(path)
    elif kind:
        click.echo(json_schemas.render(kind), nl=False)
    else:
        raise click.UsageError("give a KIND to print, or --out DIR to write them all")


if __name__ == "__main__":
    main()


@main.command()
@click.argument("directory", type=click.Path(path_type=Path, file_okay=False), default=".")
@click.option("-p", "--port", default=8008, show_default=True, help="The editor's port on 127.0.0.1 (0: any free one).")
@click.option("--preview-port", default=8009, show_default=True, help="The live preview's port, beside it.")
@click.option("--no-preview", is_flag=True, help="Only the editor: no live preview beside the form.")
def edit(directory: Path, port: int, preview_port: int, no_preview: bool) -> None:
    """A local editor in the browser for the stories, with the live preview beside the form."""
    from vitrine.edit.campaign import Refused, open_campaign
    from vitrine.edit.server import Editor, server

    root = directory.resolve()
    t = editor(root)
    try:
        campaign = open_campaign(root)
    except Refused as refused:
        raise click.ClickException(t.say(refused.message)) from None
    preview = "" if no_preview else f"http://127.0.0.1:{preview_port}/"
    child = None
    if preview:  # `vitrine serve`, beside: it rebuilds on each save the editor writes
        command = [sys.executable, "-m", "vitrine", "serve", str(root), "--dev-addr", f"127.0.0.1:{preview_port}"]
        child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        httpd = server(Editor(campaign, preview), ("127.0.0.1", port))
    except OSError as exc:
        if child:
            child.terminate()
        click.echo(t.say(msg("vitrine edit: cannot listen on {address}: {reason}", address=f"127.0.0.1:{port}",
                             reason=exc.strerror or str(exc))), err=True)  # fmt: skip
        sys.exit(1)
    address = f"http://127.0.0.1:{httpd.server_port}/"
    click.echo(t.say(msg("Editor on {address}, the live preview beside it (Ctrl-C stops them)", address=address)),
               err=True)  # fmt: skip
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    try:
        httpd.serve_forever()
    except KeyboardInterrupt:
        sys.exit(130)
    finally:
        httpd.server_close()
        if child:
            child.terminate()
            child.wait(timeout=10)
