"""Fixtures for the Qt kit the apps stand on: offscreen (pytest-qt's application object)."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before pytest-qt makes the app
