"""What a campaign's ``hooks.py`` star-imports (``from vitrine.mkdocs_hooks import *``): the MkDocs host's
hooks (``vitrine.hosts.mkdocs.hooks``), under the name every campaign already uses."""

from vitrine.hosts.mkdocs.hooks import *  # noqa: F403
from vitrine.hosts.mkdocs.hooks import __all__ as __all__
