"""Writing results without losing them.

* :func:`staged_dir` / :func:`staged_file`: write into a temporary folder or file beside
  the target, then rename it into place, so a failed or interrupted write leaves the old
  result intact and nothing half-written behind.
* :func:`check_writable`: the output location is creatable and writable, checked before
  any work is done.
* :func:`remove_stale`: what a killed writer left beside a target (its temporary names
  carry its process id) is removed, and a run it was replacing is put back.
"""

from __future__ import annotations

import errno
import os
import re
import shutil
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def _nearest_existing(path: Path) -> Path:
    while not path.exists() and path != path.parent:
        path = path.parent
    return path


def check_writable(target: str | os.PathLike, what: str = "--out", folder: bool = False) -> Path:
    """``target`` can be written: its parent is (or can be made) a writable folder that
    takes the temporary name a staged write uses beside it, and ``target`` is not in the
    way (a folder where a file is wanted, unless ``folder``). Creates the parent;
    ``ValueError`` otherwise, before any work is done."""
    target = Path(target)
    if not target.name or target.name in (".", ".."):
        raise ValueError(f"cannot write {what} {str(target)!r}: name a file or folder")
    if target.is_dir() and not folder:
        raise ValueError(f"cannot write {what} {str(target)!r}: it is a folder")
    existing = _nearest_existing(target.parent.absolute())
    if not existing.is_dir():
        raise ValueError(f"cannot write {what} {str(target)!r}: {str(existing)!r} is a file, not a folder")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        os.rmdir(_new_temp_dir(target, "old"))  # the longest name a staged write makes
    except OSError as exc:
        raise ValueError(f"cannot write {what} {str(target)!r}: {exc.strerror or exc}") from None
    if target.exists() and not _may_replace(target):
        raise ValueError(f"cannot replace {what} {str(target)!r}: permission denied (not yours to remove)")
    return target


def _may_replace(target: Path) -> bool:
    """This process may move ``target`` aside and remove it: a folder that is ours to
    write (its files are removed, and moving it updates its ``..``), in a parent whose
    sticky bit (as on /tmp) does not keep another user's entries."""
    if os.geteuid() == 0:
        return True
    parent = target.parent.stat()
    if parent.st_mode & stat.S_ISVTX and os.geteuid() not in (parent.st_uid, target.stat().st_uid):
        return False
    return not target.is_dir() or os.access(target, os.W_OK | os.X_OK, effective_ids=True)


def _umask_mode(path: Path, mode: int) -> Path:
    """Give a temporary file or folder (created private) the usual permissions."""
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(path, mode & ~umask)
    return path


def _new_temp_dir(target: Path, tag: str) -> Path:
    return Path(tempfile.mkdtemp(prefix=f".{target.name}.{tag}-{os.getpid()}-", dir=target.parent))


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True


def remove_stale(target: Path) -> list[Path]:
    """Remove the temporary folders and files a killed writer left beside ``target`` (names
    this module makes, ``.<name>.tmp-<pid>-*`` and ``.<name>.old-<pid>-*``, whose process
    is gone); returns them. A live writer's, and anything else, is left alone."""
    pattern = re.compile(rf"^\.({re.escape(target.name)}|{re.escape(target.stem)})\.(tmp|old)-(\d+)-[^/]*$")
    removed = []
    for p in sorted(target.parent.glob(".*"), key=lambda p: ".old-" not in p.name):  # old first
        found = pattern.match(p.name)
        if not found or _alive(int(found.group(3))):
            continue
        if found.group(2) == "old" and not target.exists() and (p / target.name).exists():
            os.replace(p / target.name, target)  # killed mid-replace: the earlier run goes back
        shutil.rmtree(p, ignore_errors=True) if p.is_dir() else p.unlink(missing_ok=True)
        removed.append(p)
    return removed


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


def _fsync(path: Path) -> None:
    """Flush ``path`` (a file, or every file in a folder, and the folder) to the disk, so a
    rename never puts in place what a crash could still lose."""
    files = [path] if path.is_file() else [p for p in path.rglob("*") if p.is_file()]
    for f in files:
        with open(f, "rb") as handle:
            os.fsync(handle.fileno())
    if path.is_dir():
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _rename_new(staged: Path, target: Path) -> None:
    """Rename ``staged`` to ``target`` only if nothing is there (an empty folder aside):
    ``FileExistsError`` if another writer put something there meanwhile."""
    try:
        os.rename(staged, target)  # atomic; fails on a folder that is not empty, or a file
    except (FileExistsError, NotADirectoryError, IsADirectoryError) as exc:
        raise FileExistsError(f"{str(target)!r} already exists") from exc
    except OSError as exc:
        if exc.errno in (errno.ENOTEMPTY, errno.EEXIST):
            raise FileExistsError(f"{str(target)!r} already exists") from exc
        raise


@contextmanager
def staged_dir(target: str | os.PathLike, overwrite: bool = False) -> Iterator[Path]:
    """Yield a temporary folder beside ``target`` to write into; on success it replaces
    ``target`` (which must not exist, or be an empty folder, unless ``overwrite``:
    ``FileExistsError``, also when another writer fills ``target`` meanwhile); on any
    error it is removed and ``target`` is left as it was."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    remove_stale(target)
    if not overwrite and target.exists() and not (target.is_dir() and not any(target.iterdir())):
        raise FileExistsError(f"{str(target)!r} already exists")
    staged = _umask_mode(_new_temp_dir(target, "tmp"), 0o777)
    try:
        yield staged
        _fsync(staged)
        if overwrite:
            _replace_dir(staged, target)
        else:
            _rename_new(staged, target)
    except BaseException:
        shutil.rmtree(staged, ignore_errors=True)
        raise


@contextmanager
def staged_file(target: str | os.PathLike) -> Iterator[Path]:
    """Yield a temporary file name beside ``target``; renamed to ``target`` on success,
    removed on any error."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    remove_stale(target)
    fd, name = tempfile.mkstemp(
        prefix=f".{target.stem}.tmp-{os.getpid()}-", suffix=target.suffix, dir=target.parent
    )
    os.close(fd)
    _umask_mode(Path(name), 0o666)
    try:
        yield Path(name)
        _fsync(Path(name))
        os.replace(name, target)
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise
