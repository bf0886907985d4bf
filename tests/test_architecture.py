"""The core never imports Flask: loading every toolkit module leaves Flask unimported."""

import subprocess
import sys


def test_toolkit_does_not_import_flask():
    code = ("import pkgutil, importlib, sys, toolkit\n"
            "for m in pkgutil.iter_modules(toolkit.__path__):\n"
            "    importlib.import_module('toolkit.' + m.name)\n"
            "print(sorted(n for n in sys.modules if n.split('.')[0] in ('flask', 'webui', 'werkzeug')))\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
