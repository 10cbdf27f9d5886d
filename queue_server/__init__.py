"""MPP queue server: the one authority for numbering and dispatch in the hall."""

__version__ = "0.1.0"
