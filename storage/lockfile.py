"""Who has the database: the running bot holds an advisory lock on `<DATABASE_PATH>.lock`.

`clia-bot run` takes it for its whole life, so a second bot on the same file refuses to start
(two bots would answer every person twice), and `clia-bot restore` takes it before replacing
the file, so it never pulls the database from under a running bot. The operating system
releases the lock when the process ends, even after a crash: a lock file left behind means
nothing.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path


class DatabaseLock:
    def __init__(self, database_path: Path) -> None:
        self.path = database_path.with_name(database_path.name + ".lock")
        self._fd: int | None = None

    def acquire(self) -> bool:
        """Take the lock without waiting; False when another process holds it."""
        if self._fd is not None:
            return True
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return False
        self._fd = fd
        return True

    def release(self) -> None:
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None
