"""MkDocs (or ProperDocs) and Material: the hooks, the adapter that drives the orchestrator and builds each
language, vitrine serve's builds (preview), Material's templates edited as they load, hreflang alternates."""
