"""History: closure over the tracker's git history and the legacy-symbol burndown of a source.

Both read git's object store without checking anything out, and cache their results per commit in
the user's cache directory, outside the tracker (see `checks.load.cache_dir`).
"""

from checks.history.burndown import burndown
from checks.history.counting import count_hits, describe_missing
from checks.history.git import Commit, commits, is_repository, read_blobs, sample, tree_files
from checks.history.tracker import evaluate_commit, tracker_history

__all__ = [
    "Commit",
    "burndown",
    "commits",
    "count_hits",
    "describe_missing",
    "evaluate_commit",
    "is_repository",
    "read_blobs",
    "sample",
    "tracker_history",
    "tree_files",
]
