"""The report's code-version line: one commit, several (a sweep resumed across a code change),
uncommitted changes, no tags. Frames built by hand (the report reads MLflow tags into them)."""

import pandas as pd

from analysis.report import code_versions


def _runs(commits, dirty):
    return pd.DataFrame({"tags.git_commit": commits, "tags.git_dirty": dirty})


def test_one_clean_version():
    assert code_versions(_runs(["a" * 40] * 3, ["false"] * 3)) == f"- code: `{'a' * 12}` (3 runs)"


def test_mixed_versions_are_flagged_with_counts_and_dirty_runs():
    line = code_versions(_runs(["b" * 40, "a" * 40, "a" * 40], ["true", "false", "true"]))
    assert line.startswith("- **code: 2 versions**")
    assert f"`{'a' * 12}` (2 runs, 1 with uncommitted changes)" in line
    assert f"`{'b' * 12}` (1 run, 1 with uncommitted changes)" in line
    assert "+force=true" in line


def test_runs_without_tags():
    assert code_versions(_runs(["unknown"], ["unknown"])) == "- code: no recorded commit (1 run)"
    assert "unknown" in code_versions(pd.DataFrame({"status": ["FINISHED"]}))
    assert "unknown" in code_versions(pd.DataFrame())
