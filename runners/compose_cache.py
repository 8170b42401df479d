"""Compose many sweep jobs fast: full Hydra composition once per combination of structural
overrides, plain value assignments for the rest.

Hydra's composition costs tens of milliseconds per job (defaults tree, searchpath, merges). In a
sweep most jobs differ from a sibling only in leaf values (``seed=3``, ``env.n_arms=100``);
assigning those to a copy of the sibling's composed config gives the same config as composing
from scratch, because Hydra applies such overrides as plain assignments after building the
defaults tree. Group choices, ``+``/``~``/``++`` overrides, ``hydra.*`` keys and keys that do not
exist yet always take the full path, so Hydra's own errors are unchanged.
"""

from __future__ import annotations

from typing import Any, Callable, Sequence

from hydra.core.override_parser.overrides_parser import OverridesParser
from hydra.core.override_parser.types import Override
from omegaconf import DictConfig, OmegaConf, open_dict

_MISSING = object()


class FastComposer:
    """``composer(overrides) -> DictConfig`` equal to ``full(overrides)`` (with the hydra node's
    ``runtime.choices``; other hydra fields are those of the sibling the job was derived from)."""

    def __init__(self, full: Callable[[list[str]], DictConfig]) -> None:
        self.full = full
        self.parser = OverridesParser.create()
        self.cache: dict[tuple[str, ...], DictConfig] = {}
        self.groups: set[str] | None = None
        self.hits = 0

    def _structural(self, o: Override) -> bool:
        key = o.key_or_group
        return (o.is_add() or o.is_delete() or o.is_force_add() or o.is_sweep_override()
                or key.startswith("hydra") or "/" in key or "@" in key
                or self.groups is None or key in self.groups)

    def __call__(self, overrides: Sequence[str]) -> DictConfig:
        overrides = list(overrides)
        try:
            parsed = self.parser.parse_overrides(overrides)
        except Exception:
            return self.full(overrides)               # Hydra reports the syntax error
        structural = tuple(s for s, o in zip(overrides, parsed) if self._structural(o))
        values = [o for o in parsed if not self._structural(o)]
        if self.groups is None:                        # first job: learn which keys are groups
            cfg = self.full(overrides)
            if "hydra" not in cfg:
                return cfg
            self.groups = {str(g) for g in cfg.hydra.runtime.choices.keys()}
            return self(overrides)                     # now split it properly (and cache)
        base = self.cache.get(structural)
        if base is None:
            cfg = self.full(overrides)
            self.cache[structural] = cfg.copy() if not values else self.full(list(structural))
            return cfg
        cfg = base.copy()
        for o in values:
            key = o.key_or_group
            if OmegaConf.select(cfg, key, default=_MISSING, throw_on_missing=False) is _MISSING:
                return self.full(overrides)           # let Hydra say what is wrong
            value: Any = o.value()
            with open_dict(cfg):
                OmegaConf.update(cfg, key, value, merge=False)
        self.hits += 1
        return cfg
