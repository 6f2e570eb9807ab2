"""Listing the files of a source tree: as git sees it for a work tree, by walking otherwise."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path


def is_git_tree(root: Path) -> bool:
    return (root / ".git").exists() and shutil.which("git") is not None


def git_files(root: Path) -> list[str] | None:
    try:
        out = subprocess.run(
            ["git", "-C", str(root), "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
            capture_output=True,
            check=True,
            timeout=300,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    return sorted({os.fsdecode(p) for p in out.split(b"\0") if p})


def walk_files(root: Path) -> Iterator[str]:
    stack = [root]
    while stack:
        folder = stack.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            if entry.name == ".git":
                continue
            if entry.is_dir(follow_symlinks=False):
                stack.append(Path(entry.path))
            else:
                yield Path(entry.path).relative_to(root).as_posix()


def inside(root: Path, target: Path) -> bool:
    try:
        target.resolve().relative_to(root)
    except (ValueError, OSError, RuntimeError):
        return False
    return True


def list_files(root: Path) -> list[str]:
    """Every file of the tree, relative and '/'-separated (tracked and unignored files of a git tree)."""
    if is_git_tree(root):
        files = git_files(root)
        if files is not None:
            return files
    return sorted(walk_files(root))
