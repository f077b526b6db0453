"""Shared by every layer: messages and problems (errors), languages (i18n, locales/), the one cache, slugs,
the package's data folders (assets), today's date, hard links, worker processes. Imports no other layer."""
