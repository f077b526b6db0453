"""One build, top-down and host-free: the engine (read, media, plan for every language), the orchestrator
(build_site: each language handed to a host, then what comes after), the page policy (csp), precompression,
the cache's sweep, the report, the private build folder (publish), vitrine check, the preview's server (live)."""
