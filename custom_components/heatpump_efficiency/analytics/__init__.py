"""Efficiency analytics: pure, typed Python with no Home Assistant imports.

Fed one vendor-neutral reading at a time, the engine keeps energy totals, period COP, defrost,
filter, short-cycling and backup-heater judgements in bounded, serialisable state.
"""
