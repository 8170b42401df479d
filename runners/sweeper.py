"""Hydra's basic sweeper without its per-job composition check.

The basic sweeper composes every job once to check it is legal, and the launcher composes it
again to run it; simlab's launcher already composes, resolves and validates every job in the
driver before anything starts (reporting every bad job at once), so the first pass only
doubled the driver's cost per job.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Dict, Optional, Sequence

from hydra._internal.core_plugins.basic_sweeper import BasicSweeper
from hydra.core.config_store import ConfigStore


class SimlabSweeper(BasicSweeper):
    def validate_batch_is_legal(self, batch: Sequence[Sequence[str]]) -> None:
        return None                       # the launcher validates every job (runners/launcher.py)


@dataclass
class SimlabSweeperConf:
    _target_: str = "hydra_plugins.simlab_sweeper.SimlabSweeper"
    max_batch_size: Optional[int] = None
    params: Optional[Dict[str, str]] = None


ConfigStore.instance().store(group="hydra/sweeper", name="simlab", node=SimlabSweeperConf, provider="simlab")
