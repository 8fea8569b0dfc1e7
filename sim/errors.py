"""One way for every command to fail: one line on stderr and a documented exit code.

Every ``main()`` is wrapped in ``@entry_point(PROG)``; a test checks that each
``[project.scripts]`` entry is. Inside, code raises ``UsageError`` (bad input)
or ``SetupError`` (the machine: paths, memory, disk); the wrapper also turns
the library's own input errors, ``OSError``, ``MemoryError`` and Ctrl-C/TERM
into the same one line, so no user ever reads a traceback for their mistake.
"""

from __future__ import annotations

import functools
import signal
import sys
import threading
from collections.abc import Callable
from pathlib import Path

OK, RUNS_FAILED, USAGE, SETUP, INTERRUPTED = 0, 1, 2, 3, 130
EXIT_CODES = {
    OK: "everything asked for was done",
    RUNS_FAILED: "some runs (or validation facts) failed; each is recorded, the rest finished",
    USAGE: "bad input: an option, override, config value, CSV or spec; nothing was run",
    SETUP: "the machine: an output path that cannot be written, not enough memory, a full disk",
    INTERRUPTED: "interrupted (Ctrl-C or TERM); finished runs are kept, rerun to resume",
}


class CommandError(Exception):
    """A failure the user can act on; ``str()`` is the one line they read."""

    code = USAGE


class UsageError(CommandError, ValueError):
    code = USAGE


class SetupError(CommandError):
    code = SETUP


def input_errors() -> tuple[type[BaseException], ...]:
    """The library's own bad-input exceptions (imported late: they import heavy modules)."""
    from sim.calibration.series import SeriesError
    from sim.checks import ConfigError
    from sim.experiments.spec import SpecError

    return ConfigError, SeriesError, SpecError


def describe(exc: BaseException) -> tuple[str, int]:
    """The one line and exit code for an exception escaping a command."""
    if isinstance(exc, CommandError):
        return str(exc), exc.code
    if isinstance(exc, input_errors()):
        return str(exc), USAGE
    if isinstance(exc, MemoryError):
        return "out of memory; try fewer members, fewer days or fewer parallel jobs", SETUP
    if isinstance(exc, OSError):
        where = f"{exc.filename}: " if exc.filename else ""
        return f"{where}{exc.strerror or exc}", SETUP
    raise exc


def writable_dir(path: str | Path, what: str = "output folder") -> Path:
    """Create ``path`` (and parents) and prove a file can be written there, before any work."""
    path = Path(path)
    try:
        if path.exists() and not path.is_dir():
            raise SetupError(f"{what} {path} is a file, not a folder")
        path.mkdir(parents=True, exist_ok=True)
        probe = path / ".groupsim-write-test"
        probe.write_text("")
        probe.unlink()
    except OSError as exc:
        raise SetupError(f"{what} {path} cannot be written: {exc.strerror or exc}") from None
    return path


def _terminate(signum, frame) -> None:
    raise KeyboardInterrupt


def entry_point(prog: str) -> Callable[[Callable[..., object]], Callable[..., None]]:
    """Decorate a command's ``main``: one-line errors, documented exit codes, TERM as Ctrl-C."""

    def wrap(main: Callable[..., object]) -> Callable[..., None]:
        @functools.wraps(main)
        def run(*args, **kwargs) -> None:
            if threading.current_thread() is threading.main_thread():  # signals are main-thread only
                signal.signal(signal.SIGTERM, _terminate)
            try:
                code = main(*args, **kwargs)
            except KeyboardInterrupt:
                print(f"{prog}: interrupted; finished work is kept, rerun to resume", file=sys.stderr)
                sys.exit(INTERRUPTED)
            except Exception as exc:
                line, code = describe(exc)
                print(f"{prog}: error: {' '.join(line.split())}", file=sys.stderr)
                sys.exit(code)
            if code:
                sys.exit(code)

        run.entry_point = prog
        return run

    return wrap
