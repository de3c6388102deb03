"""What every station service stands on: the keys, the clock, the audit chain, the
per-device feed and the throttles."""
