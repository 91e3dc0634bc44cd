"""Running a build: plan, freshness, worker processes, certificate chunks, staging and publication,
lock, cache, manifest, signing, watching."""
