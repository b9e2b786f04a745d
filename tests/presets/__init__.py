"""Tests of the device presets."""
