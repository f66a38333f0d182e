"""Content-addressed file storage on local disk (another backend can take its place later)."""

from __future__ import annotations

import hashlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import IO, BinaryIO

CHUNK = 1024 * 1024


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

    def path_for(self, sha256: str) -> Path:
        """Where a file with this hash lives."""
        if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
            raise ValueError(f"not a SHA-256 hex digest: {sha256!r}")
        return self.root / sha256[:2] / sha256[2:4] / sha256

    def exists(self, sha256: str) -> bool:
        """True when the file is on disk."""
        return self.path_for(sha256).is_file()

    def save(self, stream: IO[bytes], max_bytes: int) -> StoredFile:
        """Copy a stream to disk in chunks, hashing it; refuse empty or too-large files."""
        self.root.mkdir(parents=True, exist_ok=True)
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
                os.fsync(tmp.fileno())
            if size == 0:
                raise FileRefused("The file is empty.")
            sha = digest.hexdigest()
            target = self.path_for(sha)
            target.parent.mkdir(parents=True, exist_ok=True)
            existed = target.is_file()
            os.replace(tmp_name, target)
            return StoredFile(sha256=sha, size=size, created=not existed)
        finally:
            if os.path.exists(tmp_name):
                os.unlink(tmp_name)

    def discard(self, stored: StoredFile) -> None:
        """Remove a file this save put on disk, when what it belonged to was not written."""
        if stored.created:
            self.path_for(stored.sha256).unlink(missing_ok=True)

    def open(self, sha256: str) -> BinaryIO:
        """Open a stored file for reading."""
        return self.path_for(sha256).open("rb")
