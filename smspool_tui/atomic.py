"""The one atomic file writer: a temp file beside the target, fsync, then rename.

A crash or an exception never leaves half a file: either the old file (or none) or the whole
new one. The temp file is owner-only from its first byte (mkstemp), so private data (the key,
numbers and codes) is never readable by others, not even briefly. Used for the config file and
exports; the catalog cache (core/catalog.py) should use it too.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any


@contextmanager
def atomic_writer(
    path: Path, *, text: bool = False, exclusive: bool = False, mode: int = 0o600
) -> Iterator[IO[Any]]:
    """Yield a handle on a temp file that becomes `path` when the block ends without error.

    `text` opens it as UTF-8 text with `newline=""` (what the csv module wants). `exclusive`
    refuses to replace an existing file (FileExistsError), like O_EXCL. `mode` is the final
    permission (owner-only by default)."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        os.fchmod(fd, mode)
        handle: IO[Any] = (
            os.fdopen(fd, "w", encoding="utf-8", newline="") if text else os.fdopen(fd, "wb")
        )
        with handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        if exclusive:
            os.link(tmp, path)  # fails if path exists; the temp name is removed below
            Path(tmp).unlink()
        else:
            os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_atomic(path: Path, content: bytes, *, mode: int = 0o600) -> None:
    """Write `content` to `path` atomically (see `atomic_writer`)."""
    with atomic_writer(path, mode=mode) as handle:
        handle.write(content)
