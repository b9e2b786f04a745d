"""Hypothesis profiles: `HYPOTHESIS_PROFILE=slow` runs ten times more examples; CI replays fixed examples.

Locally every run explores new examples (and keeps failures in `.hypothesis/`); under CI the examples are
derived from each test's name, so a merge is judged on the same inputs every time.
"""

from __future__ import annotations

import os

from hypothesis import settings

settings.register_profile("slow", max_examples=1000, deadline=None)
settings.register_profile("ci", derandomize=True)
if os.environ.get("HYPOTHESIS_PROFILE") == "slow":
    settings.load_profile("slow")
elif os.environ.get("CI"):
    settings.load_profile("ci")
