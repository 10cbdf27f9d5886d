"""The supervisor web dashboard, served by the queue server (see app.py)."""
