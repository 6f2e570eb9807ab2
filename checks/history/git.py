"""Reading a repository's history from git's object store: commits, samples of them, blobs and trees."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from checks.scan.trees import GitError, run_git


@dataclass(frozen=True)
class Commit:
    sha: str
    when: dt.datetime

    def day(self, timezone: str) -> dt.date:
        from checks.load.dates import today_in

        return today_in(timezone, self.when)


def commits(
    root: Path,
    paths: tuple[str, ...] = (),
    since: dt.date | None = None,
    until: dt.date | None = None,
    rev: str = "HEAD",
) -> list[Commit]:
    """First-parent commits up to `rev`, oldest first, optionally only those touching `paths`."""
    args = ["log", "--first-parent", "--reverse", "--format=%H %cI"]
    if since:
        args.append(f"--since={since.isoformat()}T00:00:00")
    if until:
        args.append(f"--until={until.isoformat()}T23:59:59")
    args.append(rev)
    if paths:
        args += ["--", *paths]
    out = []
    for line in run_git(root, *args).decode().splitlines():
        sha, _, when = line.partition(" ")
        out.append(Commit(sha, dt.datetime.fromisoformat(when)))
    return out


def is_repository(root: Path) -> bool:
    try:
        run_git(root, "rev-parse", "--git-dir")
    except GitError:
        return False
    return True


def sample(items: list[Commit], count: int) -> list[Commit]:
    """`count` items evenly over the list, always keeping the first and the last."""
    if count <= 0 or len(items) <= count:
        return list(items)
    if count == 1:
        return [items[-1]]
    picks = {round(i * (len(items) - 1) / (count - 1)) for i in range(count)}
    return [items[i] for i in sorted(picks)]


def read_blobs(root: Path, sha: str, paths: list[str]) -> dict[str, bytes | None]:
    """The contents of `paths` at `sha` in one `git cat-file --batch` call (None where missing)."""
    request = "".join(f"{sha}:{p}\n" for p in paths).encode()
    out = run_git(root, "cat-file", "--batch", data=request)
    result: dict[str, bytes | None] = {}
    pos = 0
    for path in paths:
        end = out.index(b"\n", pos)
        header = out[pos:end].decode(errors="replace")
        pos = end + 1
        if header.endswith(" missing") or header.endswith(" ambiguous"):
            result[path] = None
            continue
        size = int(header.rsplit(" ", 1)[1])
        result[path] = out[pos : pos + size]
        pos += size + 1
    return result


def tree_files(root: Path, sha: str) -> frozenset[str]:
    out = run_git(root, "ls-tree", "-r", "-z", "--name-only", sha)
    return frozenset(p.decode(errors="surrogateescape") for p in out.split(b"\0") if p)
