"""Tests for the vendor drivers (no Home Assistant involved)."""
