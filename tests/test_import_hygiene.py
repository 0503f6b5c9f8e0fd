"""The model stays free of UI libraries, so it can be used and tested without a terminal."""

from __future__ import annotations

import subprocess
import sys


def test_model_never_imports_textual_or_rich() -> None:
    code = (
        "import sys, pkgutil, importlib\n"
        "import partnership_tui.model as m\n"
        "for info in pkgutil.walk_packages(m.__path__, m.__name__ + '.'):\n"
        "    importlib.import_module(info.name)\n"
        "from partnership_tui.model.dossier.load import load_dossier\n"
        "from partnership_tui.model import bundled_data_dir\n"
        "load_dossier(bundled_data_dir())\n"
        "bad = sorted(n for n in sys.modules if n.split('.')[0] in ('textual', 'rich'))\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ""
