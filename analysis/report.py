"""``simlab report``: a sweep's runs -> final-value table, curves, claim verdicts, Markdown + PNG.

Written to ``reports/<experiment>/<sweep_id>/`` and attached to the sweep's parent run.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Mapping

import numpy as np
import pandas as pd
from hydra.utils import instantiate
from omegaconf import DictConfig, OmegaConf

from analysis import load
from analysis.claims import ClaimData, Verdict
from analysis.frames import column_for, pooled, varying_keys
from analysis.plots import plot_curves, plot_vs

ROOT = Path(__file__).resolve().parents[1]


def build_data(uri: str, runs: pd.DataFrame, curve: Mapping[str, Any]) -> ClaimData:
    """Per-replication finals and pooled curves from each job's per-rep arrays.

    ``finals`` and ``curves`` come from the array ``curve.y``; ``arrays`` holds the finals of every
    other array with one row per replication (same first dimension as ``curve.y``).
    """
    done = runs[runs["status"] == "FINISHED"].reset_index(drop=True)
    keys = varying_keys(done)
    x_key, y_key = curve.get("x", "checkpoints"), curve.get("y", "regret")
    finals: dict[str, list[pd.DataFrame]] = {}
    per_group = {}
    for _, row in done.iterrows():
        arrays = load.load_arrays(uri, row["run_id"], row["cfg_hash"])
        if y_key not in arrays:
            raise KeyError(f"report curve y={y_key!r} is not an array of run {row['run_id']}; "
                           f"arrays: {', '.join(sorted(arrays))}")
        y = np.atleast_2d(arrays[y_key])
        n_reps = y.shape[0]
        steps = arrays[x_key] if x_key in arrays else np.arange(1, y.shape[1] + 1)
        ident = {k: row[column_for(done, k)] for k in keys}
        seed = row.get("params.seed", 0)
        for name, arr in arrays.items():
            arr = np.asarray(arr)
            if arr.ndim in (1, 2) and arr.shape[0] == n_reps and arr.size and np.issubdtype(arr.dtype, np.number) \
                    and (name == y_key or arr.ndim == 2 or n_reps > 1):
                last = arr[:, -1] if arr.ndim == 2 else arr
                finals.setdefault(name, []).append(pd.DataFrame(
                    {**ident, "seed": seed, "rep": np.arange(n_reps), "value": last.astype(float)}))
        gk = tuple(str(ident[k]) for k in keys)
        per_group.setdefault(gk, (ident, steps, []))[2].append(y)
    rows = []
    for ident, steps, ys in per_group.values():
        same = all(y.shape[1] == len(steps) for y in ys)
        if not same:
            continue
        stack = np.vstack(ys)
        for j, step in enumerate(steps):
            mean, se, n = pooled(stack[:, j])
            rows.append({**ident, "step": step, "mean": mean, "se": se, "n": n})
    empty = pd.DataFrame(columns=[*keys, "seed", "rep", "value"])
    frames = {name: pd.concat(parts, ignore_index=True) for name, parts in finals.items()}
    return ClaimData(runs=done, finals=frames.get(y_key, empty), curves=pd.DataFrame(rows), keys=keys,
                     arrays=frames)


def vs_frame(data: ClaimData, spec: Mapping[str, Any]) -> pd.DataFrame:
    """Pooled value per (facet, hue, x) for the ``report.vs`` plot: mean, SE and N over
    replications. Every other varying key is a facet (one figure each), so a band never pools
    different settings.

    ``y`` names a per-rep array (its final value per replication) or ``metrics.<name>`` (one
    value per job, pooled over seeds).
    """
    x, y, hue = spec["x"], spec.get("y", "final"), spec.get("hue")
    facets = [k for k in data.keys if k not in (x, hue)]
    if y.startswith("metrics."):
        runs = data.runs
        df = pd.DataFrame({"x": runs[column_for(runs, x)], "value": runs[y].astype(float)})
        for k in ([hue] if hue else []) + facets:
            df[k] = runs[column_for(runs, k)].astype(str)
    else:
        f = data.finals if y in ("final",) else data.finals_of(y)
        if x not in f.columns:
            raise KeyError(f"report.vs x={x!r} is not a varying key; varying: {', '.join(data.keys) or '(none)'}")
        df = pd.DataFrame({"x": f[x], "value": f["value"].astype(float)})
        for k in ([hue] if hue else []) + facets:
            df[k] = f[k].astype(str)
    if hue:
        df["hue"] = df[hue]
    by = [*facets, *(["hue"] if hue else []), "x"]
    rows = []
    for ctx, part in df.groupby(by, dropna=False):
        ctx_t = ctx if isinstance(ctx, tuple) else (ctx,)
        mean, se, n = pooled(part["value"].to_numpy())
        rows.append({**dict(zip(by, ctx_t)), "mean": mean, "se": se, "n": n})
    out = pd.DataFrame(rows)
    out.attrs["facets"] = facets
    return out


def evaluate_claims(claims: Any, data: ClaimData) -> list[Verdict]:
    verdicts = []
    for node in claims or []:
        node = dict(node)
        text = node.pop("claim", node["_target_"].rsplit(".", 1)[-1])
        try:
            verdict = instantiate({**node, "_partial_": True}, _convert_="all")(data)
        except Exception as exc:            # a claim that cannot be evaluated has not passed
            verdict = Verdict(False, f"error: {type(exc).__name__}: {exc}", "", "could not evaluate")
        verdict.claim = text
        verdicts.append(verdict)
    return verdicts


def final_table(data: ClaimData, runs: pd.DataFrame, metrics: list[str]) -> pd.DataFrame:
    """Per group: pooled final value (mean ± SE, N replications) and the mean of other metrics."""
    rows = []
    keys = data.keys
    groups = data.finals.groupby(keys, dropna=False) if keys else [((), data.finals)]
    for ctx, part in groups:
        ctx_t = ctx if isinstance(ctx, tuple) else (ctx,)
        mean, se, n = pooled(part["value"].to_numpy())
        row = {**dict(zip(keys, ctx_t)), "final": f"{mean:.4g} ± {se:.2g}", "N": n}
        sel = np.ones(len(runs), dtype=bool)
        for k, v in zip(keys, ctx_t):
            sel &= runs[column_for(runs, k)].astype(str).to_numpy() == str(v)
        for m in metrics:
            col = f"metrics.{m}"
            if col in runs.columns:
                row[m] = f"{runs.loc[sel, col].mean():.4g}"
        rows.append(row)
    return pd.DataFrame(rows)


def _md_table(df: pd.DataFrame) -> str:
    if df.empty:
        return "_(none)_\n"
    cols = list(df.columns)
    out = ["| " + " | ".join(map(str, cols)) + " |", "|" + "---|" * len(cols)]
    out += ["| " + " | ".join(str(v).replace("|", "\\|") for v in row) + " |" for row in df.itertuples(index=False)]
    return "\n".join(out) + "\n"


def code_versions(runs: pd.DataFrame) -> str:
    """The report line on the code that computed the runs (their ``git_commit`` / ``git_dirty``
    tags). A resumed sweep keeps jobs finished by earlier code, so a sweep can mix versions of
    an algorithm; that is flagged, as are runs made with uncommitted changes (their numbers are
    not reproducible from the commit alone)."""
    if runs.empty or "tags.git_commit" not in runs:
        return "- code: unknown (the runs have no git_commit tag)"
    commits = runs["tags.git_commit"].fillna("unknown").astype(str)
    dirty = (runs["tags.git_dirty"].astype(str) == "true") if "tags.git_dirty" in runs \
        else pd.Series(False, index=runs.index)
    parts = []
    for commit, n in commits.value_counts().items():
        d = int(dirty[commits == commit].sum())
        name = "no recorded commit" if commit == "unknown" else f"`{commit[:12]}`"
        parts.append(f"{name} ({n} run{'s' * (n != 1)}"
                     + (f", {d} with uncommitted changes" if d else "") + ")")
    if len(parts) == 1:
        return f"- code: {parts[0]}"
    return (f"- **code: {len(parts)} versions**: {', '.join(parts)}. Jobs kept from an earlier "
            "sweep ran older code; `+force=true` re-runs them with the current one")


def make_report(cfg: DictConfig, sweep_id: str | None = None, out_root: Path | None = None) -> Path:
    meta = OmegaConf.to_container(cfg.meta, resolve=True)
    uri = cfg.tracking.uri
    if not cfg.tracking.enabled:
        raise SystemExit("simlab report: tracking=none keeps no runs to report on")
    runs, parent = load.runs_frame(uri, meta["name"], sweep_id)
    sid = parent.data.tags.get("sweep_id", parent.info.run_id)
    spec = meta.get("report") or {}
    curve = spec.get("curve", {})
    data = build_data(uri, runs, curve)
    out = (out_root or ROOT / "reports") / meta["name"] / sid
    out.mkdir(parents=True, exist_ok=True)
    for stale in out.glob("curve_*.png"):          # a re-run may facet differently
        stale.unlink()
    hue = spec.get("hue") if spec.get("hue") in data.keys else (data.keys[0] if data.keys else None)
    facets = [k for k in data.keys if k != hue]
    figures = plot_curves(data.curves, hue, facets, out, ylabel=curve.get("ylabel", curve.get("y", "value")),
                          xlabel=curve.get("xlabel", "t"), logx=curve.get("logx", True),
                          logy=curve.get("logy", False)) if not data.curves.empty else []
    for stale in out.glob("vs_*.png"):
        stale.unlink()
    vs_spec = spec.get("vs")
    if vs_spec:
        vs = vs_frame(data, vs_spec)
        if not vs.empty:
            facets = vs.attrs.get("facets", [])
            groups = vs.groupby(facets, dropna=False) if facets else [((), vs)]
            for i, (ctx, part) in enumerate(groups):
                ctx_t = ctx if isinstance(ctx, tuple) else (ctx,)
                title = ", ".join(f"{k}={v}" for k, v in zip(facets, ctx_t))
                figures.append(plot_vs(part, out / f"vs_{vs_spec['x'].replace('.', '_')}_{i}.png",
                                       xlabel=vs_spec["x"], ylabel=vs_spec.get("ylabel", vs_spec.get("y", "final")),
                                       logx=vs_spec.get("logx", False), logy=vs_spec.get("logy", False),
                                       title=title))
            vs.to_csv(out / "vs.csv", index=False)
    verdicts = evaluate_claims(meta.get("claims"), data)
    table = final_table(data, data.runs, list(spec.get("metrics", [])))
    status = runs["status"].value_counts().to_dict() if not runs.empty else {}
    lines = [f"# {meta['name']} — sweep {sid}", "",
             f"- MLflow: experiment `{meta['name']}`, parent run `{parent.info.run_id}`, store `{uri}`",
             f"- jobs: {len(runs)} ({', '.join(f'{v} {k}' for k, v in status.items())})",
             f"- varying keys: {', '.join(data.keys) or '(none)'}; pooled over seeds × reps",
             code_versions(runs), "",
             "## Claims", ""]
    vt = pd.DataFrame([{"claim": v.claim, "verdict": "PASS" if v.passed else "FAIL", "measured": v.measured,
                        "criterion": v.expected} for v in verdicts])
    lines += [_md_table(vt), f"## Final values ({curve.get('y', 'value')} at the last step)", "",
              "mean ± standard error over all replications (N = reps × seeds)", "", _md_table(table)]
    if figures:
        lines += ["## Curves", ""] + [f"![{p.stem}]({p.name})" for p in figures] + [""]
    failed = runs[runs["status"] != "FINISHED"] if not runs.empty else runs
    if not failed.empty:
        lines += ["## Jobs not finished", ""]
        lines += [f"- `{r['run_id']}` {r['status']}: {r.get('tags.simlab.error', '')}" for _, r in failed.iterrows()]
    (out / "report.md").write_text("\n".join(lines) + "\n")
    vt.to_csv(out / "verdicts.csv", index=False)
    table.to_csv(out / "final_values.csv", index=False)
    load.log_report(uri, parent.info.run_id, out)
    return out
