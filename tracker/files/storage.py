"""Content-addressed file storage on local disk (another backend can take its place later)."""

from __future__ import annotations

import hashlib
import os
import tempfile
import threading
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import IO, BinaryIO

CHUNK = 1024 * 1024
# Files flushed to disk at once by ``sync``: the file system's journal commits concurrent
# fsyncs together (about 25 ms for 50 small files on ext4, against 5-8 ms each one by one).
SYNC_THREADS = 16


class FileRefused(ValueError):
    """A file was not stored; the message is safe to show beside the upload field."""


@dataclass(frozen=True)
class StoredFile:
    """Where a stored file is and what it is."""

    sha256: str
    size: int
    # True when this save put the file on disk (it was not stored already).
    created: bool = False


class LocalStorage:
    """Files under ``root/ab/cd/<sha256>``: identical files are stored once."""

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)
        # Folders this instance made sure of (a batch of saves asks the disk once each).
        self._folders: set[Path] = set()

    def _folder(self, path: Path) -> None:
        if path not in self._folders:
            path.mkdir(parents=True, exist_ok=True)
            self._folders.add(path)

    def path_for(self, sha256: str) -> Path:
        """Where a file with this hash lives."""
        if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
            raise ValueError(f"not a SHA-256 hex digest: {sha256!r}")
        return self.root / sha256[:2] / sha256[2:4] / sha256

    def exists(self, sha256: str) -> bool:
        """True when the file is on disk."""
        return self.path_for(sha256).is_file()

    def save(self, stream: IO[bytes], max_bytes: int, *, durable: bool = True) -> StoredFile:
        """Copy a stream to disk in chunks, hashing it; refuse empty or too-large files.

        ``durable=False`` leaves the flush to disk to a later ``sync`` of many files at once:
        the caller must call it before it commits anything that names the file."""
        self._folder(self.root)
        digest = hashlib.sha256()
        size = 0
        fd, tmp_name = tempfile.mkstemp(dir=self.root, prefix=".upload-")
        try:
            with os.fdopen(fd, "wb") as tmp:
                while chunk := stream.read(CHUNK):
                    size += len(chunk)
                    if size > max_bytes:
                        raise FileRefused(
                            f"The file is larger than the {max_bytes // (1024 * 1024)} MB limit."
                        )
                    digest.update(chunk)
                    tmp.write(chunk)
                tmp.flush()
                if durable:
                    os.fsync(tmp.fileno())
            if size == 0:
                raise FileRefused("The file is empty.")
            sha = digest.hexdigest()
            target = self.path_for(sha)
            self._folder(target.parent)
            existed = target.is_file()
            os.replace(tmp_name, target)
            return StoredFile(sha256=sha, size=size, created=not existed)
        finally:
            if os.path.exists(tmp_name):
                os.unlink(tmp_name)

    def sync(self, files: Iterable[StoredFile]) -> None:
        """Flush files saved with ``durable=False`` (and their folders' entries) to disk, all
        at once."""
        paths = {self.path_for(f.sha256) for f in files}
        if not paths:
            return
        targets = sorted(paths | {p.parent for p in paths})
        if len(targets) <= 2:
            for path in targets:
                _fsync(path)
            return
        list(_pool().map(_fsync, targets))

    def discard(self, stored: StoredFile) -> None:
        """Remove a file this save put on disk, when what it belonged to was not written."""
        if stored.created:
            self.path_for(stored.sha256).unlink(missing_ok=True)

    def open(self, sha256: str) -> BinaryIO:
        """Open a stored file for reading."""
        return self.path_for(sha256).open("rb")


_POOL: tuple[int, ThreadPoolExecutor] | None = None
_POOL_LOCK = threading.Lock()


def _pool() -> ThreadPoolExecutor:
    """The process's threads for ``sync``, started on first use (starting 16 threads for
    every batch cost more than the batch's fsyncs on a loaded machine); made again in a
    forked child, which does not inherit its parent's threads."""
    global _POOL
    with _POOL_LOCK:
        if _POOL is None or _POOL[0] != os.getpid():
            _POOL = (os.getpid(), ThreadPoolExecutor(SYNC_THREADS, thread_name_prefix="fsync"))
        return _POOL[1]


def _fsync(path: Path) -> None:
    """Flush one file, or one folder's entries, to disk."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
