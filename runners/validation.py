"""Check every job of a sweep in the driver before anything is dispatched or logged.

A config node with ``_target_`` is checked against the target's signature: unknown keys
(with the allowed ones listed), missing required keys, and each value against the parameter's
annotation (type, plus ``Interval``/``OneOf`` from ``algorithms.constraints``). The job's own
top-level keys are checked the same way against the experiment entry point. Finally each
object is constructed once, so cross-field errors raised by constructors surface here too,
and its ``validate()`` (if any) runs: e.g. a trace or data file named by the config is
parsed. A sweep's jobs often name the same file, so a ``validate()`` outcome is remembered
per config node and state (inode, size, mtime, ctime) of every file the node names: a file is
parsed once per sweep, and again only if it changes.
"""

from __future__ import annotations

import inspect
from collections import abc
import math
import types
import typing
from dataclasses import dataclass
from typing import Any, Callable, Mapping

from hydra.utils import get_object, instantiate

from algorithms.constraints import Interval, OneOf
from algorithms.paths import resolve_config_path
from runners.hashing import NON_RESULT_KEYS

_HYDRA_KEYS = {"_target_", "_partial_", "_recursive_", "_convert_", "_args_"}


@dataclass
class Problem:
    """One invalid value: where, what, and what would be accepted."""

    key: str
    value: Any
    message: str
    allowed: str = ""

    def __str__(self) -> str:
        text = f"{self.key} = {self.value!r}: {self.message}"
        return text + (f"; allowed: {self.allowed}" if self.allowed else "")


class ConfigError(Exception):
    """A sweep failed validation; carries every problem of every job found."""

    def __init__(self, failures: list[tuple[str, list[Problem]]], n_jobs: int) -> None:
        self.failures = failures
        self.n_jobs = n_jobs
        super().__init__(self.render())

    def render(self, limit: int = 10) -> str:
        lines = [
            f"invalid configuration in {len(self.failures)} of {self.n_jobs} job(s); "
            "no job was started and nothing was logged."
        ]
        for overrides, problems in self.failures[:limit]:
            lines.append(f"  job overrides: {overrides or '(none)'}")
            lines.extend(f"    {p}" for p in problems)
        if len(self.failures) > limit:
            lines.append(f"  ... and {len(self.failures) - limit} more job(s)")
        return "\n".join(lines)


def _type_name(tp: Any) -> str:
    if typing.get_origin(tp) is typing.Annotated:
        return _type_name(typing.get_args(tp)[0])
    return getattr(tp, "__name__", None) or str(tp).replace("typing.", "")


def _check_value(key: str, value: Any, ann: Any, problems: list[Problem]) -> None:
    """Check ``value`` against annotation ``ann``; append problems found."""
    if ann is inspect.Parameter.empty or ann is Any:
        return
    origin = typing.get_origin(ann)
    if origin is typing.Annotated:
        base, *marks = typing.get_args(ann)
        before = len(problems)
        _check_value(key, value, base, problems)
        if len(problems) > before or value is None:
            return
        for mark in marks:
            if isinstance(mark, (Interval, OneOf)) and not mark.check(value):
                kind = "out of range" if isinstance(mark, Interval) else "not an allowed value"
                problems.append(Problem(key, value, kind, f"{_type_name(base)} {mark.describe()}"))
        return
    if origin in (typing.Union, types.UnionType):
        options = typing.get_args(ann)
        real_options = [o for o in options if o is not type(None)]
        if value is not None and len(real_options) == 1 and len(options) == 2:
            before = len(problems)                   # X | None with a value: X's own problems
            _check_value(key, value, real_options[0], problems)
            for i in range(before, len(problems)):
                if problems[i].key == key and problems[i].allowed:
                    problems[i].allowed += " or null"
            return
        trials = []
        for option in options:
            trial: list[Problem] = []
            _check_value(key, value, option, trial)
            if not trial:
                return
            trials.append(trial)
        real = [(o, t) for o, t in zip(options, trials) if o is not type(None)]
        if len(real) == 1 and len(real[0][1]) == 1:          # X | None: say what X wanted
            p = real[0][1][0]
            problems.append(Problem(p.key, p.value, p.message,
                                    p.allowed + (" or null" if len(options) > 1 else "")))
            return
        names = " or ".join(_type_name(o) if o is not type(None) else "null" for o in options)
        problems.append(Problem(key, value, "wrong type", names))
        return
    if ann is type(None):
        if value is not None:
            problems.append(Problem(key, value, "wrong type", "null"))
        return
    if origin in (list, tuple, abc.Sequence) or ann in (list, tuple):
        if isinstance(value, Mapping) or not isinstance(value, (list, tuple)):
            problems.append(Problem(key, value, "wrong type", f"a list ({_type_name(ann)})"))
            return
        args = typing.get_args(ann)
        if origin is tuple and args and args[-1] is not Ellipsis:
            if len(value) != len(args):
                problems.append(Problem(key, value, "wrong length", f"{len(args)} items"))
                return
            items = list(args)
        else:
            items = [args[0]] * len(value) if args else []
        for i, (v, item) in enumerate(zip(value, items)):
            _check_value(f"{key}[{i}]", v, item, problems)
        return
    if origin in (dict, abc.Mapping) or ann is dict:
        if not isinstance(value, Mapping):
            problems.append(Problem(key, value, "wrong type", "a mapping"))
        return
    if ann is bool:
        if not isinstance(value, bool):
            problems.append(Problem(key, value, "wrong type", "true or false"))
        return
    if ann is int:
        if isinstance(value, bool) or not isinstance(value, int):
            problems.append(Problem(key, value, "wrong type", "an integer"))
        return
    if ann is float:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            problems.append(Problem(key, value, "wrong type", "a number"))
        elif isinstance(value, float) and math.isnan(value):
            problems.append(Problem(key, value, "not a number", "a finite number"))
        return
    if ann is str:
        if not isinstance(value, str):
            problems.append(Problem(key, value, "wrong type", "a string"))
        return
    if isinstance(ann, type):
        # An object parameter: the config must give a node with _target_.
        if not (isinstance(value, Mapping) and "_target_" in value):
            problems.append(Problem(key, value, "expected a config node with _target_", _type_name(ann)))
            return
        _check_node(key, value, problems)


def _signature(target: Callable) -> tuple[dict[str, inspect.Parameter], dict[str, Any], bool]:
    sig = inspect.signature(target)
    try:
        hints = typing.get_type_hints(target.__init__ if inspect.isclass(target) else target,
                                      include_extras=True)
    except Exception:  # unresolvable annotations: fall back to no type checks
        hints = {}
    params = {n: p for n, p in sig.parameters.items() if p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)}
    var_kw = any(p.kind is p.VAR_KEYWORD for p in sig.parameters.values())
    return params, hints, var_kw


def _check_params(path: str, values: Mapping[str, Any], target: Callable, what: str,
                  problems: list[Problem], partial: bool = False) -> None:
    params, hints, var_kw = _signature(target)
    allowed = ", ".join(params) or "(none)"
    for key, value in values.items():
        if key in _HYDRA_KEYS:
            continue
        full = f"{path}.{key}" if path else key
        if key not in params:
            if not var_kw:
                problems.append(Problem(full, value, f"unknown key for {what}", allowed))
            continue
        _check_value(full, value, hints.get(key, params[key].annotation), problems)
    if not partial:
        for name, p in params.items():
            if p.default is inspect.Parameter.empty and name not in values:
                full = f"{path}.{name}" if path else name
                problems.append(Problem(full, "<missing>", f"required by {what}"))


def _check_node(path: str, node: Mapping[str, Any], problems: list[Problem]) -> None:
    try:
        target = get_object(node["_target_"])
    except Exception as exc:
        problems.append(Problem(f"{path}._target_", node["_target_"], f"cannot be imported ({exc})",
                                "a dotted path to a class or function"))
        return
    _check_params(path, node, target, node["_target_"].rsplit(".", 1)[-1], problems,
                  partial=bool(node.get("_partial_", False)))


def check_job(cfg: Mapping[str, Any]) -> tuple[list[Problem], dict[str, Any]]:
    """Validate a resolved job config; returns (problems, constructed objects by key)."""
    problems: list[Problem] = []
    meta = cfg.get("meta")
    if not isinstance(meta, Mapping) or "entry" not in meta:
        return [Problem("meta.entry", None, "the experiment preset must set meta.entry",
                        "a dotted path to experiments.<family>.run")], {}
    try:
        entry = get_object(meta["entry"])
    except Exception as exc:
        return [Problem("meta.entry", meta["entry"], f"cannot be imported ({exc})")], {}
    params = {k: v for k, v in cfg.items() if k not in NON_RESULT_KEYS}
    _check_params("", params, entry, f"experiment {meta['entry']}", problems)
    from runners import settings

    settings.check(cfg, problems)
    built: dict[str, Any] = {}
    if problems:
        return problems, built
    for key, value in params.items():
        if isinstance(value, Mapping) and "_target_" in value:
            try:
                built[key] = instantiate(value, _convert_="all")
                message = _validate(built[key], value)   # e.g. parse a trace / data file
            except Exception as exc:  # constructor cross-field checks
                message = _describe(exc)
            if message:
                problems.append(Problem(key, dict(value), message))
    return problems, built


_VALIDATED: dict[tuple, str | None] = {}        # validate() outcomes (error message or None)
_VALIDATED_MAX = 4096


def _describe(exc: BaseException) -> str:
    cause = exc.__cause__ or exc
    return f"{type(cause).__name__}: {cause}"


def _freeze(x: Any) -> Any:
    """A hashable, type-preserving copy of a config value (dict keys sorted)."""
    if isinstance(x, Mapping):
        return ("{", tuple(sorted(((repr(k), _freeze(v)) for k, v in x.items()))))
    if isinstance(x, (list, tuple)):
        return ("[", tuple(_freeze(v) for v in x))
    return (type(x).__name__, repr(x))


def _file_stamps(node: Any) -> tuple:
    """(path, inode, size, mtime_ns, ctime_ns) of every existing file a config node's strings
    name, resolved as configs' paths are (``algorithms.paths``). ctime changes with any write,
    rename onto the path or metadata change, and cannot be set back by a user."""
    out = []
    stack = [node]
    while stack:
        x = stack.pop()
        if isinstance(x, Mapping):
            stack.extend(x.values())
        elif isinstance(x, (list, tuple)):
            stack.extend(x)
        elif isinstance(x, str) and x and len(x) < 4096:
            try:
                f = resolve_config_path(x)
                if f.is_file():
                    st = f.stat()
                    out.append((str(f), st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns))
            except (OSError, ValueError):
                continue
    return tuple(sorted(out))


def _validate(obj: Any, node: Mapping[str, Any]) -> str | None:
    """The error message of ``obj.validate()`` (None if it passes or there is none), computed
    once per config node and state of the files it names in this process. Only the message is
    kept, not the exception (its traceback would hold the parsed file's data alive)."""
    if not callable(getattr(obj, "validate", None)):
        return None
    key = (_freeze(node), _file_stamps(node))
    if key not in _VALIDATED:
        try:
            obj.validate()
            message = None
        except Exception as exc:
            message = _describe(exc)
        if len(_VALIDATED) >= _VALIDATED_MAX:
            _VALIDATED.clear()
        _VALIDATED[key] = message
    return _VALIDATED[key]
