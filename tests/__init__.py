"""Tests for the Heat Pump Efficiency integration."""
