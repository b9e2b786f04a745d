"""Tests of the heat-pump simulator."""
