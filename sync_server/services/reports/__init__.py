"""The report figures, their exports, and what other services record for them."""
