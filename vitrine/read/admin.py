"""The online editor's setting: ``extra.campaign.admin`` in ``mkdocs.yml`` (README, "The online editor").

Which Git host the campaign lives on, its repository and branch, and the host's API when it is not the public
one (GitHub Enterprise, a self-hosted GitLab). The admin page's only request outside the site goes there.
"""

from __future__ import annotations

from typing import Annotated, Literal
from urllib.parse import urlsplit

from pydantic import AfterValidator, Field

from vitrine.core.errors import Invalid, msg
from vitrine.read.schema import Schema

PUBLIC = {"github": "https://api.github.com", "gitlab": "https://gitlab.com/api/v4"}
LOOPBACK = ("127.0.0.1", "localhost", "::1")


def _api(value: str) -> str:
    """An https:// root of a Git host's API, and nothing more (no user, query or fragment): the admin page's
    only request outside the site goes there. http:// only on this machine (a local stand-in of the API)."""
    url = urlsplit(value)
    secure = url.scheme == "https" or (url.scheme == "http" and url.hostname in LOOPBACK)
    if value and (not secure or not url.hostname or url.username or url.query or url.fragment):
        raise Invalid(msg("{url!r} must be the https:// address of the host's API, e.g. https://gitlab.example.org/api/v4",
                          url=value))  # fmt: skip
    return value.rstrip("/")


class Admin(Schema):
    """The online editor at site/admin/ (README, "The online editor"): the Git host the campaign lives on."""

    backend: Literal["github", "gitlab"]
    repo: Annotated[str, Field(pattern=r"^[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)+$")]  # owner/name; GitLab: group/…/name
    branch: Annotated[str, Field(pattern=r"^[A-Za-z0-9_./-]+$")] = "main"
    api: Annotated[str, AfterValidator(_api)] = ""  # GitHub Enterprise, a self-hosted GitLab; "": the public host's

    @property
    def api_root(self) -> str:
        return self.api or PUBLIC[self.backend]
