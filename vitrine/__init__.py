"""Vitrine: a static campaign-microsite generator.

The package is host-neutral: it loads and validates ``stories/``, processes
images, computes giving figures and builds the press kit. Only ``hooks.py``
and ``vitrine.pages`` know about MkDocs.
"""
