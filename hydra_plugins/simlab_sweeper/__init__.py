"""Hydra discovers sweepers only under hydra_plugins/; this shim points at runners/sweeper.py."""

from runners.sweeper import SimlabSweeper as _Base


class SimlabSweeper(_Base):
    """Hydra's basic sweeper minus its duplicate composition pass (runners.sweeper)."""
