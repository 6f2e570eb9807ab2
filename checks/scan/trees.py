"""Listing the files of a source tree: as git sees it for a work tree, by walking otherwise."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def is_git_tree(root: Path) -> bool:
    return (root / ".git").exists() and shutil.which("git") is not None


class GitError(Exception):
    """git could not run, or answered with an error; `detail` is git's first line of complaint."""

    def __init__(self, command: str, detail: str) -> None:
        super().__init__(f"git {command}: {detail}")
        self.detail = detail


def run_git(
    root: Path,
    *args: str,
    data: bytes | None = None,
    timeout: float = 600,
    ok: tuple[int, ...] = (0,),
    stderr: list[str] | None = None,
) -> bytes:
    """Run one git command in `root`; its stdout, or GitError for any exit code not in `ok`.

    `stderr`, when given, receives the lines git wrote there on success (warnings it did not fail on).
    """
    try:
        proc = subprocess.run(
            ["git", "-C", str(root), *args], input=data, capture_output=True, timeout=timeout, check=False
        )
    except (OSError, subprocess.SubprocessError) as exc:
        raise GitError(args[0], f"failed: {exc}") from exc
    if proc.returncode not in ok:
        raise GitError(args[0], (proc.stderr.decode(errors="replace").strip().splitlines() or ["failed"])[0])
    if stderr is not None:
        stderr.extend(proc.stderr.decode(errors="replace").splitlines())
    return proc.stdout


def head_commit(root: Path, *paths: str) -> str:
    """The last commit (touching `paths`, when given) of a git tree, or "" outside one."""
    try:
        return run_git(root, "log", "-1", "--format=%H", "--", *paths, timeout=30).decode().strip()
    except GitError:
        return ""


def git_files(root: Path, under: list[str] | None = None) -> list[str] | None:
    """Tracked and unignored files of a git work tree (only below the folders `under` names, when given)."""
    specs = ["--", *(f":(literal){p}" for p in under)] if under else []
    try:
        out = run_git(root, "ls-files", "-z", "--cached", "--others", "--exclude-standard", *specs, timeout=300)
    except GitError:
        return None
    return sorted({os.fsdecode(p) for p in out.split(b"\0") if p})


def walk_files(root: Path) -> Iterator[str]:
    """Every file below `root` (symlinks included, not followed), relative and '/'-separated."""
    stack = [("", os.fspath(root))]
    while stack:
        prefix, folder = stack.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            if entry.name == ".git":
                continue
            try:
                is_dir = entry.is_dir(follow_symlinks=False)
            except OSError:
                is_dir = False
            if is_dir:
                stack.append((prefix + entry.name + "/", entry.path))
            else:
                yield prefix + entry.name


def inside(root: Path, target: Path) -> bool:
    try:
        target.resolve().relative_to(root)
    except (ValueError, OSError, RuntimeError):
        return False
    return True


# Trees listed inside a `listed_once()` block, by root: one run of the checker reads trees that do not change.
_LISTED: dict[Path, list[str]] | None = None


@contextmanager
def listed_once() -> Iterator[None]:
    """Within the block each tree is listed once, however many readers ask (the endpoint catalog asks per service)."""
    global _LISTED
    outer = _LISTED
    if outer is None:
        _LISTED = {}
    try:
        yield
    finally:
        if outer is None:
            _LISTED = None


def list_files(root: Path) -> list[str]:
    """Every file of the tree, relative and '/'-separated (tracked and unignored files of a git tree)."""
    cache = _LISTED
    if cache is not None and root in cache:
        return list(cache[root])
    files = git_files(root) if is_git_tree(root) else None
    if files is None:
        files = sorted(walk_files(root))
    if cache is not None:
        cache[root] = files
        return list(files)
    return files


_GLOB_CHARS = frozenset("*?[{\\")


def static_prefix(glob: str) -> str | None:
    """The leading folders of a glob that hold no wildcard ("apps/web/src" for "apps/web/src/**/*.rs").

    None when the glob can match anywhere (it starts with a wildcard). A glob without any wildcard
    is its own prefix: it names a file or a folder.
    """
    text = glob.strip()
    text = text[2:] if text.startswith("./") else text
    parts = []
    for part in text.lstrip("/").rstrip("/").split("/"):
        if not part or _GLOB_CHARS & set(part) or part in (".", ".."):
            break
        parts.append(part)
    return "/".join(parts) or None


def list_files_under(root: Path, globs: tuple[str, ...]) -> list[str]:
    """The files of the tree that could match one of `globs`: only the folders the globs start in are read.

    The same files `list_files` would give below those folders; the caller still matches each path.
    """
    prefixes = [static_prefix(g) for g in globs]
    if not globs or any(p is None for p in prefixes):
        return list_files(root)
    wanted = sorted({p for p in prefixes if p})
    cache = _LISTED
    if cache is not None and root in cache:
        return [f for f in cache[root] if any(f == p or f.startswith(p + "/") for p in wanted)]
    files: set[str] = set()
    if is_git_tree(root):
        listed = git_files(root, wanted)
        if listed is not None:
            return listed
    for prefix in wanted:
        files.update(_walk_prefix(root, prefix))
    return sorted(files)


def _walk_prefix(root: Path, prefix: str) -> Iterator[str]:
    """What `walk_files(root)` yields at or below `prefix`: nothing through a symlinked folder or a .git."""
    parts = prefix.split("/")
    path = root
    for i, part in enumerate(parts):
        if part == ".git":
            return
        path = path / part
        last = i == len(parts) - 1
        if not os.path.lexists(path):
            return
        if path.is_symlink() or not path.is_dir():
            # The full walk lists a symlink or a file as an entry and never descends through it.
            if last:
                yield prefix
            return
    for rel in walk_files(path):
        yield f"{prefix}/{rel}"
