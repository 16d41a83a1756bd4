"""Shared pytest configuration: Hypothesis profiles.

``ci`` (the default) keeps the whole suite well inside CI's time; set
``HYPOTHESIS_PROFILE=thorough`` locally for a longer search.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci", max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile("thorough", max_examples=2000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
