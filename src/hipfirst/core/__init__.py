"""Pure domain logic: clinical rules, measures and reasoning (no I/O, no frameworks)."""
