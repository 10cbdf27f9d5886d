"""The wire contract: command parsing, roles and topic names."""
