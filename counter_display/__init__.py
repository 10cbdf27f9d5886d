"""counter_display package (see DESIGN.md)."""
