"""Reading and checking a campaign, once: mkdocs.yml without MkDocs (project), extra.campaign (settings), the
stories (load, reader, consent, events, makers) into the frozen model, Markdown (markup), the press kit's release
and coverage (kit), the go-live check (placeholders). Never imports media, planning or anything above."""
