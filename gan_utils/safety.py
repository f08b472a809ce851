"""Writing results without losing them, and refusing work that cannot succeed.

* :func:`staged_dir` / :func:`staged_file`: write into a temporary folder or file beside
  the target, then rename it into place, so a failed or interrupted write leaves the old
  result intact and nothing half-written behind.
* :func:`check_writable`: the output location is creatable and writable, checked before
  any work is done.
* :func:`check_memory`: a request fits in the memory the machine has available.
* :func:`check_finite`: results hold no NaN or infinite values.
* :class:`RunFailed`: a run-time failure (the command line exits with status 1).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np


class RunFailed(RuntimeError):
    """The work ran but its result is unusable (NaN or infinite values, chains that did not move)."""


def _nearest_existing(path: Path) -> Path:
    while not path.exists() and path != path.parent:
        path = path.parent
    return path


def check_writable(target: str | os.PathLike, what: str = "--out") -> Path:
    """``target`` can be written: its parent is (or can be made) a writable folder, and
    ``target`` itself is not in the way. Creates the parent; ``ValueError`` otherwise."""
    target = Path(target)
    existing = _nearest_existing(target.parent.absolute())
    if not existing.is_dir():
        raise ValueError(f"cannot write {what} {str(target)!r}: {str(existing)!r} is a file, not a folder")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        tempfile.TemporaryFile(dir=target.parent).close()
    except OSError as exc:
        raise ValueError(f"cannot write {what} {str(target)!r}: {exc.strerror or exc}") from None
    return target


def _umask_mode(path: Path, mode: int) -> Path:
    """Give a temporary file or folder (created private) the usual permissions."""
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(path, mode & ~umask)
    return path


def _new_temp_dir(target: Path, tag: str) -> Path:
    return Path(tempfile.mkdtemp(prefix=f".{target.name}.{tag}-", dir=target.parent))


def _replace_dir(staged: Path, target: Path) -> None:
    """Rename ``staged`` to ``target``; an existing ``target`` is moved aside first and
    removed only once the new folder is in place (put back if the rename fails)."""
    if not target.exists():
        os.replace(staged, target)
        return
    old = _new_temp_dir(target, "old")
    os.replace(target, old / target.name)
    try:
        os.replace(staged, target)
    except OSError:
        os.replace(old / target.name, target)
        raise
    finally:
        shutil.rmtree(old, ignore_errors=True)


@contextmanager
def staged_dir(target: str | os.PathLike, overwrite: bool = False) -> Iterator[Path]:
    """Yield a temporary folder beside ``target`` to write into; on success it replaces
    ``target`` (which must not exist unless ``overwrite``); on any error it is removed and
    ``target`` is left as it was."""
    target = Path(target)
    if target.exists() and not overwrite:
        raise FileExistsError(f"{str(target)!r} already exists")
    target.parent.mkdir(parents=True, exist_ok=True)
    staged = _umask_mode(_new_temp_dir(target, "tmp"), 0o777)
    try:
        yield staged
        _replace_dir(staged, target)
    except BaseException:
        shutil.rmtree(staged, ignore_errors=True)
        raise


@contextmanager
def staged_file(target: str | os.PathLike) -> Iterator[Path]:
    """Yield a temporary file name beside ``target``; renamed to ``target`` on success,
    removed on any error."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{target.stem}.", suffix=target.suffix, dir=target.parent)
    os.close(fd)
    _umask_mode(Path(name), 0o666)
    try:
        yield Path(name)
        os.replace(name, target)
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise


def available_memory() -> int | None:
    """Bytes of memory available to a new allocation (None where the system does not say)."""
    try:
        with open("/proc/meminfo") as f:
            for line in f:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    try:
        return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError, AttributeError):
        return None


def check_memory(needed: float, what: str) -> None:
    """``ValueError`` when ``needed`` bytes exceed the memory available."""
    available = available_memory()
    if available is not None and needed > available:
        raise ValueError(
            f"{what} needs about {needed / 1e9:.3g} GB of memory, but only "
            f"{available / 1e9:.3g} GB are available; ask for fewer"
        )


def check_finite(array: np.ndarray, what: str) -> np.ndarray:
    """``array`` unchanged, or :class:`RunFailed` if it holds NaN or infinite values."""
    bad = int(np.size(array) - np.isfinite(array).sum())
    if bad:
        raise RunFailed(f"{what} hold {bad} NaN or infinite value(s); the run is not usable")
    return array
