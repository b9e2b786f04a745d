"""A virtual Panasonic Aquarea heat pump behind a HeishaMon-compatible local API, for development and tests."""

from __future__ import annotations

from .model import Simulator

__all__ = ["Simulator"]
