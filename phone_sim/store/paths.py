"""Where the simulator keeps its database: ``--data DIR``, else ``PHONE_SIM_DATA``, else the
user's data directory (platformdirs)."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "phone-sim"
DB_NAME = "phone-sim.sqlite3"
ENV_VAR = "PHONE_SIM_DATA"


def data_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The data directory, in the order of precedence; not created here."""
    if explicit:
        return Path(explicit).expanduser()
    from_env = os.environ.get(ENV_VAR)
    if from_env:
        return Path(from_env).expanduser()
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def database_path(explicit: str | os.PathLike[str] | None = None) -> Path:
    return data_dir(explicit) / DB_NAME
