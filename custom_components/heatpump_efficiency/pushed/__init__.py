"""Readings pushed to Home Assistant rather than polled: HeishaMon's MQTT topics.

A pushed source has no rhythm of its own: values arrive when the unit publishes them. `coordinator.py`
turns them into readings (one when a burst has arrived, and a heartbeat). The "use existing sensors"
path (`entity_source.py`, `sensor_coordinator.py`) is pushed too and belongs here; it stays where it is
until it can move without disturbing work in progress.
"""
