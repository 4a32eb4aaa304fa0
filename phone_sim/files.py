"""Files phone-sim reads from users and files it writes for them, safely.

Reading: a file a person names (a scenario, a company, a lesson) may be anything: a FIFO
that would block ``open`` forever, ``/dev/zero`` that never ends, a folder, a path too long
for the system. ``read_text`` checks what the path is before opening it (without blocking),
checks it again on the open descriptor, and reads at most ``cap`` bytes; every problem is a
``FileRefused`` with a sentence that never quotes the file's content.

Writing: everything phone-sim writes (database, logs, recordings, WAVs, exports) is private
to the user whatever the umask: folders 0700, files 0600. ``create_private`` never follows a
symlink and never replaces an existing file unless told to.

Standard library only: every layer may use it (sound and storage included).
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import stat
from pathlib import Path

MAX_INPUT_BYTES = 32 * 1024 * 1024  # a 100,000-line company file is ~8 MB
FOLDER_MODE = 0o700
FILE_MODE = 0o600


class FileRefused(Exception):
    """A file phone-sim will not read; ``str()`` says why in one line, ``line`` where (0: the
    whole file)."""

    def __init__(self, message: str, line: int = 0) -> None:
        super().__init__(message)
        self.line = line


def _why(error: OSError, what: str) -> str:
    if error.errno == errno.ENOENT:
        return f"{what} not found"
    if error.errno == errno.ENAMETOOLONG:
        return f"the path of the {what} is too long"
    if error.errno == errno.EACCES:
        return f"permission denied: cannot read the {what}"
    if error.errno == errno.ELOOP:
        return f"the path of the {what} loops through symbolic links"
    if error.errno == errno.ENOTDIR:
        return f"{what} not found (a part of its path is not a folder)"
    return f"cannot read the {what}: {error.strerror or error}"


def stat_problem(path: str | os.PathLike[str], what: str = "file") -> str | None:
    """Why ``os.stat`` fails on the path (not found, too long...), or None when it works."""
    try:
        os.stat(path)
    except ValueError:
        return f"the path of the {what} contains a NUL character"
    except OSError as error:
        return _why(error, what)
    return None


def stat_or_none(path: str | os.PathLike[str]) -> os.stat_result | None:
    """``os.stat`` that answers None for a path that does not exist or cannot be used
    (too long, a NUL byte, a loop), where ``Path.is_file`` would raise on some."""
    try:
        return os.stat(path)
    except (OSError, ValueError):
        return None


def is_regular(path: str | os.PathLike[str]) -> bool:
    found = stat_or_none(path)
    return found is not None and stat.S_ISREG(found.st_mode)


def is_folder(path: str | os.PathLike[str]) -> bool:
    found = stat_or_none(path)
    return found is not None and stat.S_ISDIR(found.st_mode)


def _kind(mode: int, what: str) -> str | None:
    """Why a file of this mode cannot be read as text, or None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return f"the {what} is a folder, not a YAML file"
    if stat.S_ISFIFO(mode):
        return f"the {what} is a pipe (FIFO), not a regular file"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return f"the {what} is a device, not a regular file"
    if stat.S_ISSOCK(mode):
        return f"the {what} is a socket, not a regular file"
    return f"the {what} is not a regular file"


def read_bytes(path: str | os.PathLike[str], what: str = "file", cap: int = MAX_INPUT_BYTES) -> bytes:
    """The bytes of a regular file of at most ``cap`` bytes, or ``FileRefused``."""
    try:
        before = os.stat(path)
    except ValueError:  # a NUL byte in the path
        raise FileRefused(f"the path of the {what} contains a NUL character") from None
    except OSError as error:
        raise FileRefused(_why(error, what)) from None
    problem = _kind(before.st_mode, what)
    if problem is None and before.st_size > cap:
        problem = f"the {what} is too large ({before.st_size:,} bytes; at most {cap:,})"
    if problem is not None:
        raise FileRefused(problem)
    try:
        # O_NONBLOCK: if the path was swapped for a FIFO since the check, open still returns
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as error:
        raise FileRefused(_why(error, what)) from None
    try:
        problem = _kind(os.fstat(fd).st_mode, what)
        if problem is not None:
            raise FileRefused(problem)
        chunks: list[bytes] = []
        size = 0
        while size <= cap:
            chunk = os.read(fd, min(1 << 20, cap + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > cap:
            raise FileRefused(f"the {what} is too large (more than {cap:,} bytes)")
        return b"".join(chunks)
    except OSError as error:
        raise FileRefused(_why(error, what)) from None
    finally:
        os.close(fd)


def read_text(path: str | os.PathLike[str], what: str = "file", cap: int = MAX_INPUT_BYTES) -> str:
    """A regular file's UTF-8 text (a BOM is dropped); an undecodable byte names its line."""
    data = read_bytes(path, what, cap)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise FileRefused(f"the {what} is not UTF-8 text (byte 0x{data[error.start]:02x})", line) from None


def inside(path: Path, root: Path) -> bool:
    """Whether ``path`` resolves (symbolic links followed) inside the folder ``root``."""
    try:
        return path.resolve().is_relative_to(root.resolve())
    except (OSError, ValueError, RuntimeError):
        return False


# ---------------------------------------------------------------------- writing
def private_folder(path: str | os.PathLike[str]) -> Path:
    """Create the folder (and parents) as 0700; an existing one is made 0700 too."""
    folder = Path(path)
    folder.mkdir(mode=FOLDER_MODE, parents=True, exist_ok=True)
    try:
        if stat.S_IMODE(folder.stat().st_mode) != FOLDER_MODE:
            folder.chmod(FOLDER_MODE)
    except OSError:
        pass  # not ours to change (a shared folder): its files are private anyway
    return folder


def make_private(path: str | os.PathLike[str]) -> None:
    """Make an existing file 0600 (files an older phone-sim or a library created)."""
    try:
        if stat.S_IMODE(os.stat(path).st_mode) != FILE_MODE:
            os.chmod(path, FILE_MODE)
    except OSError:
        pass


def create_private(path: str | os.PathLike[str], *, force: bool = False, append: bool = False,
                   binary: bool = False, encoding: str = "utf-8"):  # type: ignore[no-untyped-def]
    """Open a file for writing as 0600, never through a symbolic link.

    Without ``force`` an existing file is refused (``FileExistsError``); with it, the file
    is replaced. ``append`` adds to an existing file (a log). Returns a file object.
    """
    # O_NONBLOCK: a FIFO put in the file's place fails at once (ENXIO) instead of blocking
    flags = os.O_WRONLY | os.O_CREAT | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    if append:
        flags |= os.O_APPEND
    elif force:
        flags |= os.O_TRUNC
    else:
        flags |= os.O_EXCL
    fd = os.open(path, flags, FILE_MODE)
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise IsADirectoryError(errno.EISDIR, "not a regular file", str(path))
        os.set_blocking(fd, True)
        os.fchmod(fd, FILE_MODE)
    except BaseException:
        os.close(fd)
        raise
    if binary:
        return os.fdopen(fd, "ab" if append else "wb")
    return os.fdopen(fd, "a" if append else "w", encoding=encoding, newline="")


def write_private(path: str | os.PathLike[str], text: str, *, force: bool = True) -> None:
    """Write a whole text file as 0600 (replacing it when ``force``)."""
    with create_private(path, force=force) as out:
        out.write(text)


def replace_private(path: str | os.PathLike[str], text: str | bytes) -> None:
    """Replace a file we wrote with new text (or bytes), atomically: a 0600 file beside it,
    renamed over it (a symbolic link put in its place is replaced, not followed)."""
    target = Path(path)
    temporary = target.with_name(f".{target.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    try:
        with create_private(temporary, binary=isinstance(text, bytes)) as out:
            out.write(text)
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
