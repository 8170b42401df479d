"""Where the configs live, the ``simlab.root`` resolver, and the family search path.

Each family keeps its groups under ``conf/<family>/`` (``conf/bandits/policy/ucb1.yaml``). The
family of a run is read from its experiment preset's ``meta.family`` and that folder is added
to Hydra's search path, so ``policy=ucb1`` names a plain group and ``--help`` lists its choices.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Sequence

import yaml
from omegaconf import DictConfig, OmegaConf

ROOT = Path(__file__).resolve().parents[1]
CONF = ROOT / "conf"

if not OmegaConf.has_resolver("simlab.root"):
    OmegaConf.register_new_resolver("simlab.root", lambda: str(ROOT))


class UnknownExperiment(ValueError):
    pass


def experiments() -> list[str]:
    return sorted(p.stem for p in (CONF / "experiment").glob("*.yaml"))


def default_experiment() -> str:
    for entry in yaml.safe_load((CONF / "config.yaml").read_text())["defaults"]:
        if isinstance(entry, dict) and "experiment" in entry:
            return entry["experiment"]
    raise RuntimeError("conf/config.yaml has no default experiment")


def preset_family(name: str) -> str:
    path = CONF / "experiment" / f"{name}.yaml"
    if not path.is_file():
        raise UnknownExperiment(f"experiment={name!r} does not exist; allowed: {', '.join(experiments())}")
    data = yaml.safe_load(path.read_text()) or {}
    family = (data.get("meta") or {}).get("family")
    if not family or not (CONF / family).is_dir():
        raise UnknownExperiment(f"conf/experiment/{name}.yaml must set meta.family to a folder of conf/")
    return family


_EXPERIMENT_ARG = re.compile(r"^\+{0,2}experiment=(.*)$")


def requested_experiments(overrides: Sequence[str]) -> list[str]:
    """Experiment names named on the command line (a sweep list or one value), else the default."""
    for arg in reversed(overrides):
        m = _EXPERIMENT_ARG.match(arg)
        if m:
            value = m.group(1).strip()
            if value.startswith(("choice(", "glob(", "range(")):
                inner = value[value.index("(") + 1:-1]
                return [v.strip().strip("'\"") for v in inner.split(",") if v.strip()]
            return [v.strip().strip("'\"") for v in value.split(",") if v.strip()]
    return [default_experiment()]


def family_searchpath(overrides: Sequence[str]) -> str:
    """The ``hydra.searchpath=[...]`` override for the family of the requested experiment(s)."""
    families = {preset_family(name) for name in requested_experiments(overrides)}
    if len(families) > 1:
        raise UnknownExperiment(f"one sweep must stay within one family, got {sorted(families)}")
    return f"hydra.searchpath=[file://{CONF / families.pop()}]"


def compose(overrides: Sequence[str] = ()) -> DictConfig:
    """Compose the full config (with the hydra node) as ``simlab run`` would, without running."""
    from hydra import compose as hydra_compose
    from hydra import initialize_config_dir

    overrides = list(overrides)
    with initialize_config_dir(config_dir=str(CONF), version_base="1.3"):
        return hydra_compose("config", overrides=[*overrides, family_searchpath(overrides)],
                             return_hydra_config=True)


DEFAULT_MAX_JOBS = 100_000


def preset_sweep(name: str) -> dict:
    """The preset's ``hydra.sweeper.params`` parsed by Hydra's override parser: key -> Override
    (entries Hydra cannot parse are left out; Hydra reports them when the sweep runs)."""
    from hydra.core.override_parser.overrides_parser import OverridesParser

    path = CONF / "experiment" / f"{name}.yaml"
    preset = (yaml.safe_load(path.read_text()) or {}) if path.is_file() else {}
    params = (((preset.get("hydra") or {}).get("sweeper") or {}).get("params")) or {}
    parser, out = OverridesParser.create(), {}
    for key, value in params.items():
        try:
            out[key] = parser.parse_overrides([f"{key}={value}"])[0]
        except Exception:
            continue
    return out


def _sweep_len(override) -> int | None:
    """Number of values of one sweep override (None: cannot tell without expanding, e.g. glob)."""
    import math

    value = override.value()
    if hasattr(value, "list") and value.list is not None:          # a,b,c / choice(...)
        return len(value.list)
    if all(hasattr(value, a) for a in ("start", "stop", "step")):   # range(...)
        start, stop, step = value.start, value.stop, value.step or 1
        if step == 0:
            return 0
        return max(0, math.ceil((stop - start) / step))
    return None


def count_jobs(overrides: Sequence[str]) -> tuple[int, str]:
    """How many jobs the sweep would expand to, without expanding it (Hydra's basic sweeper
    takes the cartesian product of the preset's ``hydra.sweeper.params`` and the command
    line's sweeps, the command line winning per key); returns (count, product as text)."""
    from hydra.core.override_parser.overrides_parser import OverridesParser

    parser = OverridesParser.create()
    sizes: dict[str, int] = {}
    names = requested_experiments(overrides)
    if len(names) == 1:
        for key, parsed in preset_sweep(names[0]).items():
            if parsed.is_sweep_override():
                n = _sweep_len(parsed)
                if n is not None:
                    sizes[key] = n
    cli = [a for a in overrides if "=" in a and not a.startswith("-")]
    for arg in cli:
        try:
            parsed = parser.parse_overrides([arg])[0]
        except Exception:
            continue
        key = parsed.key_or_group
        if parsed.is_sweep_override():
            n = _sweep_len(parsed)
            if n is not None:
                sizes[key] = n
        else:
            sizes.pop(key, None)                           # a single value replaces a preset sweep
    total = 1
    for n in sizes.values():
        total *= n
    return total, " x ".join(f"{k}:{n}" for k, n in sizes.items()) or "1"


def max_jobs(overrides: Sequence[str]) -> int:
    """``runner.max_jobs`` from the command line, else the chosen runner's YAML, else the default."""
    runner = "local"
    for arg in overrides:
        if arg.startswith("runner.max_jobs="):
            try:
                return int(arg.split("=", 1)[1])
            except ValueError:
                return DEFAULT_MAX_JOBS                   # validation reports the bad value
        if arg.startswith("runner="):
            runner = arg.split("=", 1)[1]
    path = CONF / "runner" / f"{runner}.yaml"
    data = yaml.safe_load(path.read_text()) if path.is_file() else {}
    return int((data or {}).get("max_jobs") or DEFAULT_MAX_JOBS)


def diagnose_overrides(overrides: Sequence[str]) -> list[str]:
    """Explain overrides Hydra refused: for a ``key=value`` whose key does not exist, the keys
    that do exist at that level and the closest match."""
    import difflib

    from omegaconf import DictConfig as _Dict

    names = requested_experiments(overrides)
    # the groups the user chose (single values), so keys are looked up in the right option
    chosen = [a for a in overrides if "=" in a and not a.startswith(("+", "~", "-", "hydra."))
              and "." not in a.split("=", 1)[0] and "," not in a and "(" not in a
              and not a.startswith("experiment=")]
    base = None
    for attempt in (chosen, []):
        try:
            base = compose([f"experiment={names[0]}", *attempt] if names else attempt)
            break
        except Exception:
            continue
    if base is None:
        return []
    lines = []
    for arg in overrides:
        if "=" not in arg or arg.startswith(("+", "~", "-", "hydra.")):
            continue
        key = arg.split("=", 1)[0]
        if key in ("experiment",) or OmegaConf.select(base, key, default="__missing__") != "__missing__":
            continue
        parent_key, _, leaf = key.rpartition(".")
        parent = OmegaConf.select(base, parent_key) if parent_key else base
        if not isinstance(parent, _Dict):
            lines.append(f"unknown key {key!r}: {parent_key or 'the config'} has no sub-keys")
            continue
        allowed = sorted(k for k in parent.keys() if k != "hydra" and not str(k).startswith("_"))
        close = difflib.get_close_matches(leaf, allowed, n=1)
        hint = f"; did you mean {(parent_key + '.' if parent_key else '') + close[0]!r}?" if close else ""
        lines.append(f"unknown key {key!r}{hint} allowed at {parent_key or 'top level'}: {', '.join(allowed)} "
                     f"(prefix with + to add a new key)")
    return lines
