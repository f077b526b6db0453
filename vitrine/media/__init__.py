"""Pixels and glyphs: photos (images, pixels), share cards (cards, cardtext), the machine's fonts (glyphs),
the files of docs/ made safe (docs)."""
