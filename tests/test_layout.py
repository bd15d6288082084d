"""The package reads like the asset graph: each stage imports only the stages below it."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import ROOT


def test_imports_point_only_down_the_stages() -> None:
    done = subprocess.run(
        [sys.executable, "-c", "from importlinter.cli import lint_imports_command as c; c()",
         "--config", "pyproject.toml", "--no-cache"],
        cwd=ROOT, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    assert "2 kept, 0 broken" in done.stdout


def test_the_document_model_and_parsers_load_without_pyarrow() -> None:
    code = (
        "import sys, pipelines, pipelines.model, pipelines.formats, pipelines.extract; "
        "print('pyarrow' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"
