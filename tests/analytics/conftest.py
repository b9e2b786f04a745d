"""Hypothesis profiles for the analytics tests: `HYPOTHESIS_PROFILE=slow` runs ten times more examples."""

from __future__ import annotations

import os

from hypothesis import settings

settings.register_profile("slow", max_examples=1000, deadline=None)
if os.environ.get("HYPOTHESIS_PROFILE") == "slow":
    settings.load_profile("slow")
