"""The ``vitrine`` command: new, check, build, serve, schema.

Thin: each command calls the module that does the work (``scaffold``, ``check``, ``publish``,
``json_schemas``) and turns its result into lines and an exit code.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import click

from . import json_schemas, publish, scaffold
from .check import check as check_campaign
from .check import host_readable

HOST = [sys.executable, "-m", "mkdocs"]  # the host that renders the pages (MkDocs or ProperDocs: same CLI)


def _host_env() -> dict[str, str]:
    return {**os.environ, "NO_MKDOCS_2_WARNING": "1"}  # Material's banner about MkDocs 2.0, at every run


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
    try:
        written = scaffold.new(directory, kind=kind, name=name, organisation=organisation, language=language)
    except scaffold.NotEmpty as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"New {kind} campaign in {directory}/ ({len(written)} files). Next:")
    click.echo(f"  cd {directory}\n  make site    # installs Vitrine into .venv and builds site/\n"
               "  make serve   # live preview on http://127.0.0.1:8000")  # fmt: skip


@main.command()
@click.argument("directory", type=click.Path(path_type=Path, file_okay=False), default=".")
@click.option("--strict", is_flag=True, help="Fail on warnings too (content left out, unknown files or keys).")
@click.option("-f", "--config-file", default="mkdocs.yml", show_default=True)
def check(directory: Path, strict: bool, config_file: str) -> None:
    """Print every content problem as path:line: message, without building. Exit 1 on errors."""
    started = time.perf_counter()
    problems = check_campaign(directory.resolve(), config_file)
    for problem in problems:
        click.echo(f"{'ERROR' if problem.is_error else 'WARNING'}: {problem}", err=True)
    errors = sum(p.is_error for p in problems)
    warnings = len(problems) - errors
    summary = f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}"
    click.echo(f"vitrine check: {summary} ({time.perf_counter() - started:.2f} s)", err=True)
    sys.exit(1 if errors or (strict and warnings) else 0)


@main.command()
@click.argument("directory", type=click.Path(path_type=Path, file_okay=False), default=".")
@click.option("-d", "--site-dir", default="site", show_default=True, help="Where the site goes.")
@click.option("-f", "--config-file", default="mkdocs.yml", show_default=True)
def build(directory: Path, site_dir: str, config_file: str) -> None:
    """Build the site strictly into SITE_DIR, swapped in whole only when the build succeeded."""
    root = directory.resolve()
    _host_can_read(root, config_file)
    command = [*HOST, "build", "--strict", "--config-file", str(root / config_file)]
    os.environ.update(_host_env())
    code = publish.build(root, root / site_dir, command)
    if code == 0:
        click.echo(f"Site built in {site_dir}/", err=True)
    elif code != 130:
        click.echo(f"vitrine build: the build failed: {site_dir}/ is unchanged", err=True)
    sys.exit(code)


@main.command()
@click.argument("directory", type=click.Path(path_type=Path, file_okay=False), default=".")
@click.option("-a", "--dev-addr", default="127.0.0.1:8000", show_default=True)
def serve(directory: Path, dev_addr: str) -> None:
    """Live preview: rebuilds when stories, docs or settings change."""
    root = directory.resolve()
    _host_can_read(root, "mkdocs.yml")
    command = [*HOST, "serve", "--livereload", "--dev-addr", dev_addr, "--config-file", str(root / "mkdocs.yml")]
    try:
        sys.exit(subprocess.call(command, cwd=root, env=_host_env()))
    except KeyboardInterrupt:
        sys.exit(130)


def _host_can_read(root: Path, config_file: str) -> None:
    """Stop, with ``path:line: message`` lines, on what would crash the host before Vitrine's hooks run."""
    problems = host_readable(root, config_file)
    for problem in problems:
        click.echo(f"ERROR: {problem}", err=True)
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
