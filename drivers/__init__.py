"""drivers package (see DESIGN.md)."""
