"""Curves with bands that say what they are: pooled mean and a 95% CI (±1.96 SE over reps × seeds)."""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

from analysis.claims import Z95  # noqa: E402


def plot_curves(curves: pd.DataFrame, hue: str | None, facets: Sequence[str], out_dir: Path,
                ylabel: str, xlabel: str = "t", logx: bool = True, logy: bool = False,
                stem: str = "curve") -> list[Path]:
    """One PNG per combination of ``facets``; one line per value of ``hue``."""
    out_dir.mkdir(parents=True, exist_ok=True)
    paths: list[Path] = []
    groups = curves.groupby(list(facets), dropna=False) if facets else [((), curves)]
    for i, (ctx, part) in enumerate(groups):
        fig, ax = plt.subplots(figsize=(6.4, 4.2))
        lines = part.groupby(hue, dropna=False) if hue else [("all", part)]
        for name, line in lines:
            line = line.sort_values("step")
            ax.plot(line["step"], line["mean"], label=f"{name} (n={int(line['n'].iloc[-1])})")
            ax.fill_between(line["step"], line["mean"] - Z95 * line["se"], line["mean"] + Z95 * line["se"],
                            alpha=0.2, linewidth=0)
        if logx:
            ax.set_xscale("log")
        if logy:
            ax.set_yscale("log")
        ax.set_xlabel(xlabel)
        ax.set_ylabel(ylabel)
        ctx_t = ctx if isinstance(ctx, tuple) else (ctx,)
        title = ", ".join(f"{k}={v}" for k, v in zip(facets, ctx_t))
        ax.set_title((title + "\n" if title else "") + "band: 95% CI of the mean (±1.96 SE over reps × seeds)",
                     fontsize=9)
        ax.legend(fontsize=8)
        ax.grid(True, which="both", alpha=0.3)
        fig.tight_layout()
        path = out_dir / f"{stem}_{i}.png"
        fig.savefig(path, dpi=110)
        plt.close(fig)
        paths.append(path)
    return paths


def plot_vs(vs: pd.DataFrame, path: Path, xlabel: str, ylabel: str, logx: bool = False,
            logy: bool = False, title: str = "") -> Path:
    """Pooled final value against a swept parameter, one line per hue, with 95% CI bands."""
    fig, ax = plt.subplots(figsize=(6.4, 4.2))
    lines = vs.groupby("hue", dropna=False) if "hue" in vs.columns else [("all", vs)]
    for name, line in lines:
        xs = pd.to_numeric(line["x"], errors="coerce")
        order = xs.argsort()
        xs, m, se = xs.iloc[order], line["mean"].iloc[order], line["se"].fillna(0).iloc[order]
        ax.plot(xs, m, marker="o", ms=3, label=f"{name} (n={int(line['n'].min())}/point)")
        ax.fill_between(xs, m - Z95 * se, m + Z95 * se, alpha=0.2, linewidth=0)
    if logx:
        ax.set_xscale("log")
    if logy:
        ax.set_yscale("log")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title((title + "\n" if title else "") + "band: 95% CI of the mean (±1.96 SE over reps × seeds)",
                 fontsize=9)
    ax.legend(fontsize=8)
    ax.grid(True, which="both", alpha=0.3)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path
