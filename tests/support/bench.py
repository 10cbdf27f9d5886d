"""Running a benchmark as the tests do: `python -m bench.X ... --json-out FILE` in a child
process from the repository root, the same document on stdout and in the file."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]


def run_bench(module: str, args: list[str], out_dir: Path, *, timeout: float,
              offscreen: bool = False) -> tuple[dict[str, Any], str]:
    """The benchmark's JSON document and its stderr (its progress lines)."""
    out = out_dir / "bench.json"
    env = dict(os.environ)
    if offscreen:
        env["QT_QPA_PLATFORM"] = "offscreen"
    env["PYTHONPATH"] = str(ROOT) + (os.pathsep + env["PYTHONPATH"]
                                     if env.get("PYTHONPATH") else "")
    proc = subprocess.run(
        [sys.executable, "-m", module, *args, "--json-out", str(out)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout, check=False,
    )
    assert proc.returncode == 0, f"bench failed ({proc.returncode}):\n{proc.stderr[-3000:]}"
    doc = json.loads(proc.stdout)
    assert json.loads(out.read_text()) == doc
    return doc, proc.stderr


def positive(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and value > 0
