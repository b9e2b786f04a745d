"""Tests of the efficiency analytics engine (pure Python, no Home Assistant)."""
