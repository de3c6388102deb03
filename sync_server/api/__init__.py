"""HTTP resources of the station: one module per resource, thin routes."""
