"""Reading one file of a tree the data names: a regular file inside that tree, and never more than a byte limit.

Everything a pull request controls can be a symlink to `/dev/zero`, a FIFO that never answers, a
socket or a path a kernel refuses (too long, a loop). Such a file is refused with the reason, so the
caller reports it as a finding; nothing here trusts `stat` for the size, the read itself is bounded.
"""

from __future__ import annotations

import enum
import errno
import os
import stat
from pathlib import Path


class Refusal(enum.StrEnum):
    OUTSIDE = "outside"  # resolves outside the tree it must stay in
    SPECIAL = "special"  # a device, FIFO or socket
    FOLDER = "folder"
    TOO_LARGE = "too-large"
    UNREADABLE = "unreadable"  # the kernel refused: permissions, a name too long, a symlink loop


_WHY = {
    Refusal.OUTSIDE: "resolves outside its tree (through a symlink)",
    Refusal.SPECIAL: "is not a regular file (a device, FIFO or socket)",
    Refusal.FOLDER: "is a folder, not a file",
}


class Unreadable(Exception):
    """Why a file was not read; `str()` says it in words that follow the file's name."""

    def __init__(self, refusal: Refusal, detail: str = "") -> None:
        super().__init__(detail or _WHY.get(refusal, refusal.value))
        self.refusal = refusal


def _check_within(file: Path, tree: Path) -> None:
    """Raise Unreadable unless `file`, with every symlink resolved, lies in `tree` (or is not there yet)."""
    try:
        file.resolve().relative_to(tree.resolve())
    except ValueError:
        raise Unreadable(Refusal.OUTSIDE) from None
    except (OSError, RuntimeError) as exc:  # RuntimeError: a symlink loop on Python 3.11/3.12
        detail = exc.strerror if isinstance(exc, OSError) and exc.strerror else "a symlink loop"
        raise Unreadable(Refusal.UNREADABLE, f"cannot be resolved ({detail})") from exc


def read_regular(file: Path, max_bytes: int, within: Path | None = None) -> bytes | None:
    """The bytes of `file`, or None when nothing is there; raises Unreadable for what must not or cannot be read.

    With `within`, a file that resolves outside that tree is refused before it is opened.
    """
    if within is not None:
        _check_within(file, within)
    try:
        # O_NONBLOCK: opening a FIFO must not wait for a writer before it can be refused.
        fd = os.open(file, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
    except (FileNotFoundError, NotADirectoryError):
        return None
    except OSError as exc:
        if exc.errno in (errno.ENXIO, errno.ENODEV):  # a socket, or a device with no driver behind it
            raise Unreadable(Refusal.SPECIAL) from exc
        raise Unreadable(Refusal.UNREADABLE, f"cannot be read ({exc.strerror or exc})") from exc
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise Unreadable(Refusal.FOLDER)
        if not stat.S_ISREG(mode):
            raise Unreadable(Refusal.SPECIAL)
        chunks, size = [], 0
        while size <= max_bytes:  # read to the limit, never trusting the size stat reports
            chunk = os.read(fd, min(1 << 20, max_bytes + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        raw = b"".join(chunks)
    except OSError as exc:
        raise Unreadable(Refusal.UNREADABLE, f"cannot be read ({exc.strerror or exc})") from exc
    finally:
        os.close(fd)
    if len(raw) > max_bytes:
        raise Unreadable(Refusal.TOO_LARGE, f"is over the {max_bytes:,}-byte limit")
    return raw


def kind_of(path: Path) -> str | None:
    """'file' or 'folder' for what evidence may name, None when nothing is there; raises Unreadable otherwise."""
    try:
        mode = os.stat(path).st_mode
    except (FileNotFoundError, NotADirectoryError):
        return None
    except (OSError, ValueError) as exc:
        detail = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise Unreadable(Refusal.UNREADABLE, f"cannot be read ({detail})") from exc
    if stat.S_ISREG(mode):
        return "file"
    if stat.S_ISDIR(mode):
        return "folder"
    raise Unreadable(Refusal.SPECIAL)
