"""Config paths: relative ones are confined to the project; absolute ones are taken as given."""

from pathlib import Path

import pytest

from algorithms.paths import PROJECT_ROOT, resolve_config_path


def test_relative_inside_project(tmp_path):
    assert resolve_config_path("tests/data/x.txt") == PROJECT_ROOT.resolve() / "tests/data/x.txt"
    assert resolve_config_path("a/../b.txt", tmp_path) == tmp_path.resolve() / "b.txt"


@pytest.mark.parametrize("bad", ["../x", "tests/../../x", "a/b/../../../etc/passwd"])
def test_relative_escape_is_refused(tmp_path, bad):
    with pytest.raises(ValueError, match="outside the project"):
        resolve_config_path(bad, tmp_path)


def test_absolute_and_home_are_explicit(tmp_path):
    assert resolve_config_path(str(tmp_path / "f")) == tmp_path / "f"
    assert resolve_config_path("~/f") == Path.home() / "f"


def test_symlink_out_of_project_is_refused(tmp_path):
    root, outside = tmp_path / "proj", tmp_path / "out"
    root.mkdir(), outside.mkdir()
    (root / "link").symlink_to(outside)
    with pytest.raises(ValueError):
        resolve_config_path("link/secret", root)
