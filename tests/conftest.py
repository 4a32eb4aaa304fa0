"""Shared fixtures: keep every test away from the developer's own data and settings."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from hypothesis import settings

# `pytest --hypothesis-profile=long` for a longer local run of the stateful property tests
# that scale their example count with it (tests/property/test_calls_stateful.py); CI and a
# plain `pytest` use Hypothesis's default profile.
settings.register_profile("long", max_examples=2000)

# scrypt at N = 2^17 costs 128 MiB and ~0.5 s a hash: the suite hashes thousands of
# passwords (every first run draws six), so it uses a small N; tests of the real cost pass
# it explicitly. Child processes inherit it.
os.environ.setdefault("PHONE_SIM_TEST_SCRYPT_COST", "16")

# Where platformdirs and phone-sim look for data, settings and caches.
_ISOLATED_DIRS = ("PHONE_SIM_DATA", "XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME")


@pytest.fixture(autouse=True, scope="session")
def isolated_home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Point the data, config, cache and state directories at a fresh temporary tree."""
    with pytest.MonkeyPatch.context() as patch:
        for name in _ISOLATED_DIRS:
            directory = tmp_path_factory.mktemp(name.lower())
            patch.setenv(name, os.fspath(directory))
        yield
