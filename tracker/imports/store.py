"""Uploaded CSV files kept between the import's steps, in the instance folder under a token."""

from __future__ import annotations

import json
import os
import re
import secrets
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

TOKEN = re.compile(r"^[A-Za-z0-9_-]{32,64}$")
#: Uploads not imported within this many seconds are deleted by the next upload.
KEEP_SECONDS = 24 * 3600


@dataclass(frozen=True)
class StoredUpload:
    """An uploaded file waiting to be mapped and imported."""

    token: str
    data: bytes
    meta: dict[str, Any]


class UploadStore:
    """``root/<token>.csv`` and ``root/<token>.json`` (who uploaded it, the mapping)."""

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)

    def _paths(self, token: str) -> tuple[Path, Path]:
        if not TOKEN.match(token):
            raise KeyError(token)
        return self.root / f"{token}.csv", self.root / f"{token}.json"

    def save(self, data: bytes, meta: dict[str, Any]) -> str:
        """Keep a file under a new random token; old leftovers are cleaned up."""
        self.root.mkdir(parents=True, exist_ok=True)
        self.purge()
        token = secrets.token_urlsafe(24)
        data_path, meta_path = self._paths(token)
        for path, content in ((data_path, data), (meta_path, json.dumps(meta).encode())):
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as handle:
                handle.write(content)
        return token

    def load(self, token: str, *, with_data: bool = True) -> StoredUpload | None:
        """The upload under this token, or None when there is none (``with_data=False``: its
        ``data`` is left empty, for a caller that reads the file in a stream from ``path``)."""
        try:
            data_path, meta_path = self._paths(token)
            data = data_path.read_bytes() if with_data else b""
            if not with_data and not data_path.is_file():
                return None
            return StoredUpload(token=token, data=data, meta=json.loads(meta_path.read_text()))
        except (KeyError, OSError, ValueError):
            return None

    def path(self, token: str) -> Path | None:
        """The uploaded file's path (to read it in a stream), or None when there is none."""
        try:
            data_path, meta_path = self._paths(token)
        except KeyError:
            return None
        return data_path if data_path.is_file() and meta_path.is_file() else None

    def exists(self, token: str) -> bool:
        """Whether an upload is kept under this token (without reading it)."""
        try:
            data_path, meta_path = self._paths(token)
        except KeyError:
            return False
        return data_path.is_file() and meta_path.is_file()

    def update_meta(self, token: str, **values: Any) -> None:
        """Record more about an upload (the mapping chosen on the preview page)."""
        _, meta_path = self._paths(token)
        meta = json.loads(meta_path.read_text())
        meta.update(values)
        meta_path.write_text(json.dumps(meta))

    def delete(self, token: str) -> None:
        """Forget an upload (after its import)."""
        for path in self._paths(token):
            path.unlink(missing_ok=True)

    def purge(self, older_than: float = KEEP_SECONDS) -> None:
        """Delete uploads left behind longer than ``older_than`` seconds."""
        limit = time.time() - older_than
        for path in self.root.glob("*.*"):
            if path.suffix in (".csv", ".json") and path.stat().st_mtime < limit:
                path.unlink(missing_ok=True)
