"""Download headers: a file name any browser reads, whatever characters it holds."""

from __future__ import annotations

import unicodedata
from urllib.parse import quote


def content_disposition(filename: str, disposition: str = "attachment") -> str:
    """A ``Content-Disposition`` value for ``filename`` (RFC 6266): an ASCII ``filename`` and,
    when the name is not ASCII, the exact name in ``filename*`` (RFC 8187, UTF-8).

    HTTP headers are Latin-1: a name such as "Требование.csv" written as it is cannot be sent.
    """
    filename = "".join(ch for ch in filename if ch.isprintable()).strip() or "download"
    simple = unicodedata.normalize("NFKD", filename).encode("ascii", "ignore").decode("ascii")
    simple = simple.strip() or "download"
    escaped = simple.replace("\\", "\\\\").replace('"', '\\"')
    value = f'{disposition}; filename="{escaped}"'
    if simple != filename:
        value += f"; filename*=UTF-8''{quote(filename, safe='!#$&+^`|~')}"
    return value
