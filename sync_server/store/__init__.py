"""All SQL of the station lives in this package (one query module per table group)."""
