"""Pure domain rules: no broker, database or Qt."""
