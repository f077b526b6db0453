"""The vitrine command (main): new (scaffold, origin), check, build, serve, schema, edit (``vitrine.edit``)."""
