"""Care of the whole station: backups, their schedule, the demo seed."""
