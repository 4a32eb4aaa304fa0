"""Unexpected errors: written to a log file whose path the TUI shows; the app keeps running.

Handlers that reach the core are wrapped with ``guarded``: an exception is logged with its
traceback, the user sees one line naming the file, and the handler returns None. Nothing
here imports Textual; the app passes a ``notify`` callable.
"""

from __future__ import annotations

import functools
import os
import traceback
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

import platformdirs

from phone_sim.files import create_private, private_folder
from phone_sim.network.printable import printable

F = TypeVar("F", bound=Callable[..., Any])


def data_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    """``--data DIR``, else ``PHONE_SIM_DATA``, else the user's data directory."""
    if explicit:
        return Path(explicit).expanduser()
    from_env = os.environ.get("PHONE_SIM_DATA")
    if from_env:
        return Path(from_env).expanduser()
    return Path(platformdirs.user_data_dir("phone-sim", appauthor=False))


class ErrorLog:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.count = 0
        self.notify: Callable[[BaseException, Path], None] | None = None

    def log(self, error: BaseException) -> Path:
        """Append the error and its traceback; the log's path."""
        self.count += 1
        try:
            private_folder(self.path.parent)
            with create_private(self.path, append=True) as out:  # 0600, never through a symlink
                out.write(f"--- {datetime.now().isoformat(timespec='seconds')}\n")
                # escaped: `cat` on the log must not obey an escape sequence quoted in a message
                out.write(printable("".join(traceback.format_exception(error)), lines=True))
        except OSError:
            pass  # nowhere to write: the notice still names the intended path
        return self.path

    def report(self, error: BaseException) -> None:
        path = self.log(error)
        if self.notify is not None:
            try:
                self.notify(error, path)
            except Exception:  # the notice itself failed: the log has it
                pass


def guarded(fn: F) -> F:
    """Catch, log and report any exception of a method of an object with ``.app.errors``."""

    @functools.wraps(fn)
    def wrapper(self: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return fn(self, *args, **kwargs)
        except Exception as error:
            errors = _errors_of(self)
            if errors is None:
                raise
            errors.report(error)
            return None

    return wrapper  # type: ignore[return-value]


def _errors_of(node: Any) -> ErrorLog | None:
    errors = getattr(node, "errors", None)
    if isinstance(errors, ErrorLog):
        return errors
    try:
        app = node.app
    except Exception:
        return None
    errors = getattr(app, "errors", None)
    return errors if isinstance(errors, ErrorLog) else None
