"""The demo content's data files stay consistent (codes that exist, regions and pillars covered, Arabic for every
English paragraph): the same check a content editor runs by hand with ``python demo/content/check.py``."""

import subprocess
import sys
from pathlib import Path

CHECK = Path(__file__).resolve().parent.parent / "demo" / "content" / "check.py"


def test_demo_content_check_passes():
    result = subprocess.run([sys.executable, str(CHECK)], capture_output=True, text=True, timeout=60)  # noqa: S603
    assert result.returncode == 0, result.stdout + result.stderr
    assert "OK: demo content is consistent" in result.stdout
