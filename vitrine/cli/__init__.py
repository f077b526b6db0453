"""The vitrine command (main): new (scaffold, origin), check, build, serve, schema (json_schemas)."""
