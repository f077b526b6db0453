"""The press kit's downloads: the PDF (WeasyPrint, confined) and the photo ZIP."""
