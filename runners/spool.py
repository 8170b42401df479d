"""A local spool for job results the tracking store could not take (server down, network error).

A record is one job's complete outcome -- the MLflow run it belongs to (if it was created),
tags, params, metrics, terminal status and its artifact folder -- written atomically (a temp
folder renamed into place), so a crash never leaves half a record. ``runners.tracking.flush``
replays records into the store (on the next ``simlab run`` against it, or ``simlab sync``) and
deletes each one only after its run is FINISHED/FAILED in the store. Records hold plain JSON and
the job's files; nothing is pickled.
"""

from __future__ import annotations

import json
import os
import shutil
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

RECORD = "record.json"
ARTIFACTS = "artifacts"


@dataclass
class Entry:
    """One spooled job outcome on disk."""

    path: Path
    record: dict[str, Any]

    @property
    def artifacts(self) -> Path:
        return self.path / ARTIFACTS

    def remove(self) -> None:
        shutil.rmtree(self.path, ignore_errors=True)


class Spool:
    """Records under ``root/<spool_id>/``; ``root`` is the project's ``.spool`` by default."""

    def __init__(self, root: str | os.PathLike) -> None:
        self.root = Path(root)

    def put(self, record: dict[str, Any], artifacts: Path) -> Entry:
        """Store ``record`` and a copy of the ``artifacts`` folder; returns the entry."""
        spool_id = record.setdefault("spool_id", uuid.uuid4().hex)
        self.root.mkdir(parents=True, exist_ok=True)
        tmp = self.root / f".tmp-{spool_id}"
        shutil.rmtree(tmp, ignore_errors=True)
        shutil.copytree(artifacts, tmp / ARTIFACTS)
        (tmp / RECORD).write_text(json.dumps(record, indent=1, default=str))
        final = self.root / spool_id
        os.replace(tmp, final)                 # atomic on one filesystem
        return Entry(final, record)

    def entries(self, uri: str | None = None) -> Iterator[Entry]:
        """Complete records (optionally only those for store ``uri``), oldest first."""
        if not self.root.is_dir():
            return
        paths = [p for p in self.root.iterdir() if p.is_dir() and not p.name.startswith(".tmp-")
                 and (p / RECORD).is_file()]
        for path in sorted(paths, key=lambda p: (p / RECORD).stat().st_mtime_ns):
            record = json.loads((path / RECORD).read_text())
            if uri is None or record.get("uri") == uri:
                yield Entry(path, record)

    def count(self, uri: str | None = None) -> int:
        return sum(1 for _ in self.entries(uri))
