"""kiosk package (see DESIGN.md)."""
