"""Paths named in configs (trace files, point sets): confined to the project unless absolute.

An absolute path (or ``~/...``) is used as given: the user named that file explicitly. A
relative path is taken from the project root and must stay inside it, so a config cannot
reach ``../../elsewhere`` by accident or by a crafted sweep.
"""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]


def resolve_config_path(path: str | os.PathLike, root: Path = PROJECT_ROOT) -> Path:
    """The file a config's ``path`` names; raises ValueError if a relative path leaves ``root``."""
    p = Path(os.path.expanduser(str(path)))
    if p.is_absolute():
        return p
    base = root.resolve()
    full = (base / p).resolve()
    if full != base and base not in full.parents:
        raise ValueError(f"path: {str(path)!r} resolves to {full}, outside the project {base}; "
                         "allowed: a path inside the project, or an explicit absolute path")
    return full
