"""Vendor drivers for heat pumps' local APIs: plain async Python, no Home Assistant imports.

Each driver turns one unit's local API into the vendor-neutral `Reading` and accepts commands through
the `UnitDriver` protocol, so the integration and the analytics never see vendor formats. `registry`
maps the unit type key stored in a config entry to the driver that speaks its API.
"""
