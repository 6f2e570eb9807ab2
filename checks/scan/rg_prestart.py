"""Start the guard scan's ripgrep run before Gates has finished starting up.

Start-up (the interpreter, imports, reading and validating the program) takes longer than ripgrep
needs for a mid-sized tree, and the ripgrep command line depends on the program, which is only known
after start-up. So the command line of each ripgrep run is remembered, keyed by the working folder
and the gates arguments, and the next identical `gates` invocation starts the same runs as its very
first step. When the scan later builds its real command line it takes a started run only if the
command line, the ripgrep binary and the folder are exactly the same; anything else is stopped and
ripgrep is run afresh. Speculation can cost a wasted ripgrep run, never a wrong result.

The remembered command lines live in the user's cache folder, which a pull request does not control;
even so a remembered run is started only when every argument is one the scan itself writes (no
`--pre`, no config file, no path but `.`), so an edited cache file cannot make ripgrep run anything.
"""

from __future__ import annotations

import atexit
import contextlib
import json
import os
import signal

ENTRIES = 32  # remembered gates invocations (oldest dropped first)
_FILE = "rg-prestart.json"
# The switches every guard-scan ripgrep run starts with (checks.scan.guards.ripgrep_engine writes them
# from here), and with `--fixed-strings`, every switch it may write: a remembered run may use no other.
SCAN_SWITCHES = (
    "--no-ignore",
    "--no-config",
    "--no-heading",
    "--with-filename",
    "--line-number",
    "--null",
    "--hidden",
    "--stats",
    "--no-messages",
)
_SWITCHES = frozenset({*SCAN_SWITCHES, "--fixed-strings"})
_VALUED = frozenset({"-e", "--glob", "--max-filesize"})


class _Started:
    """A ripgrep run started at start-up: its command line, process id and the file it writes to."""

    def __init__(self, rg: str, cwd: str, args: list[str], pid: int, out: int) -> None:
        self.rg, self.cwd, self.args, self.pid, self.out = rg, cwd, args, pid, out
        self.code: int | None = None

    def wait(self, stop: bool = False) -> int:
        if self.code is None:
            if stop:
                with contextlib.suppress(OSError):
                    os.kill(self.pid, signal.SIGKILL)
            try:
                self.code = os.waitstatus_to_exitcode(os.waitpid(self.pid, 0)[1])
            except ChildProcessError:
                self.code = -1  # already reaped (the scan thread and the exit handler both waited)
        return self.code


class _State:
    def __init__(self) -> None:
        self.key: str | None = None
        self.started: list[_Started] = []
        self.ran: list[dict[str, object]] = []


_STATE = _State()


def _cache_file() -> str:
    # The folder checks.load.cache_dir uses, worked out without importing it (this runs before any import).
    base = os.environ.get("GATES_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache"), "gates"
    )
    return os.path.join(base, _FILE)


def safe_args(args: list[str]) -> bool:
    """True when `args` are only flags the scan writes, ending in `-- .` (so a started run can do no harm)."""
    i = 0
    while i < len(args):
        arg = args[i]
        if arg == "--":
            return args[i + 1 :] == ["."]
        if arg in _VALUED:
            if i + 1 >= len(args):
                return False
            if arg == "--max-filesize" and not args[i + 1].isdigit():
                return False
            i += 2
            continue
        if arg not in _SWITCHES:
            return False
        i += 1
    return False


def _read() -> dict[str, list[dict[str, object]]]:
    try:
        with open(_cache_file(), encoding="utf-8") as handle:
            entries = json.load(handle).get("entries", {})
    except (OSError, ValueError, AttributeError):
        return {}
    return entries if isinstance(entries, dict) else {}


def _rg_on_path() -> str | None:
    """The first `rg` on PATH, as shutil.which finds it (shutil is not imported yet)."""
    for folder in os.environ.get("PATH", os.defpath).split(os.pathsep):
        candidate = os.path.join(folder or ".", "rg")
        if os.path.isfile(candidate) and os.access(candidate, os.X_OK):
            return candidate
    return None


def _output_file() -> int | None:
    """An unlinked file for a started ripgrep to write to: it never waits on a full pipe, nothing is left behind."""
    try:
        # An O_TMPFILE file has no name to guess or race for (tempfile would cost an import here).
        return os.open(os.environ.get("TMPDIR") or "/tmp", os.O_TMPFILE | os.O_RDWR, 0o600)  # noqa: S108
    except (AttributeError, OSError):
        return None  # no O_TMPFILE here: no head start


def _spawn(rg: str, folder: str, args: list[str], out: int) -> int:
    """fork and exec (subprocess is not imported yet, and importing it would delay the start)."""
    pid = os.fork()
    if pid == 0:  # the child: becomes ripgrep, or exits 127
        try:
            os.chdir(folder)
            null = os.open(os.devnull, os.O_RDWR)
            os.dup2(null, 0)
            os.dup2(out, 1)
            os.dup2(null, 2)
            os.execv(rg, [rg, *args])  # noqa: S606 - ripgrep itself, with arguments checked by safe_args
        finally:
            os._exit(127)
    return pid


def start(gates_args: list[str]) -> None:
    """Start the ripgrep runs the same gates invocation made last time (called first thing in `gates`)."""
    if os.environ.get("GATES_GUARD_ENGINE") == "python" or os.environ.get("GATES_NO_PRESTART"):
        return
    try:
        cwd = os.getcwd()
    except OSError:
        return
    _STATE.key = json.dumps([cwd, gates_args])
    atexit.register(_stop_all)
    remembered = _read().get(_STATE.key)
    for entry in remembered[:4] if isinstance(remembered, list) else []:
        if not isinstance(entry, dict):
            continue
        rg, folder, args = entry.get("rg"), entry.get("cwd"), entry.get("args")
        if not (isinstance(rg, str) and isinstance(folder, str) and isinstance(args, list)):
            continue
        if not all(isinstance(a, str) for a in args) or not safe_args(args):
            continue
        if rg != _rg_on_path() or not os.path.isdir(folder):
            continue  # only the ripgrep the scan itself would run
        out = _output_file()
        if out is None:
            return
        try:
            pid = _spawn(rg, folder, args, out)
        except OSError:
            os.close(out)
            continue
        _STATE.started.append(_Started(rg, folder, list(args), pid, out))


def take(rg: str, cwd: str, args: list[str]) -> bytes | None:
    """The output of a started run with exactly this command line, or None (then run ripgrep as usual).

    A started run that is not the one asked for is stopped: the program or the tree moved on.
    """
    found = None
    for started in list(_STATE.started):
        if started.cwd != cwd:
            continue
        _STATE.started.remove(started)
        if found is None and started.rg == rg and started.args == args:
            found = started
        else:
            started.wait(stop=True)
            os.close(started.out)
    if found is None:
        return None
    code = found.wait()
    with os.fdopen(found.out, "rb") as handle:
        handle.seek(0)
        data = handle.read()
    return data if code in (0, 1) else None


def remember(rg: str, cwd: str, args: list[str]) -> None:
    """Note a run this invocation needed: the next identical invocation starts it first thing."""
    if _STATE.key is not None and safe_args(args):
        _STATE.ran.append({"rg": rg, "cwd": cwd, "args": list(args)})


def _stop_all() -> None:
    started, _STATE.started[:] = list(_STATE.started), []
    for run in started:
        run.wait(stop=True)
        with contextlib.suppress(OSError):
            os.close(run.out)
    _save()


def _save() -> None:
    if _STATE.key is None or not _STATE.ran:
        return
    entries = _read()
    if entries.get(_STATE.key) == _STATE.ran:
        return
    entries.pop(_STATE.key, None)
    entries[_STATE.key] = _STATE.ran
    kept = dict(list(entries.items())[-ENTRIES:])
    path = _cache_file()
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        temporary = f"{path}.{os.getpid()}.tmp"
        with open(temporary, "w", encoding="utf-8") as handle:
            json.dump({"version": 1, "entries": kept}, handle)
        os.replace(temporary, path)
    except OSError:
        pass  # a cache that cannot be written only costs the next run its head start
