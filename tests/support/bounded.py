"""Hypothesis settings for the suite's long-running property tests: a fixed budget of
examples, no deadline (the machine is shared), reproducible (derandomized, no example
database), so that their time in the suite is bounded and a failure replays the same."""

from hypothesis import HealthCheck, settings


def bounded(max_examples: int, **extra) -> settings:
    return settings(
        max_examples=max_examples,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        derandomize=True,
        database=None,
        print_blob=False,
        **extra,
    )
