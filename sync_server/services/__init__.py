"""Station services: the I/O shells around ``shared`` (ingest, workflow, stamping, …)."""
