#!/usr/bin/env python3
"""Write i18n/lot_serial_tracking.pot: Odoo's export of the module's terms (from a database where the module
is installed, `make test`'s template by default), without the entries Odoo finds only in the git-ignored
folders inside the module's folder (.venv, .state), as tests/test_install.py's test_pot_is_up_to_date reads it.

    python3 tools/gen_pot.py [DATABASE]
"""

import os
import re
import shlex
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
NOT_THE_MODULE = re.compile(r"/(\.venv|\.state|\.git)/")


def own_terms(po_text):
    entries = po_text.split("\n\n")
    kept = [
        entry
        for entry in entries
        if not (
            (refs := re.findall(r"^#: (\S+)", entry, flags=re.M)) and all(NOT_THE_MODULE.search(ref) for ref in refs)
        )
    ]
    return "\n\n".join(kept)


def main():
    db = sys.argv[1] if len(sys.argv) > 1 else "lst_dev"
    env = dict(os.environ)
    exports = subprocess.run(
        [sys.executable, str(REPO / "tools" / "devenv.py"), "env"], capture_output=True, text=True, check=True
    ).stdout
    for line in exports.splitlines():
        if line.startswith("export "):
            for assignment in shlex.split(line[len("export ") :]):
                key, _sep, value = assignment.partition("=")
                env[key] = value
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "lst.pot"
        subprocess.run(
            [env["LST_VPY"], str(Path(env["LST_ODOO_SRC"]) / "odoo-bin"), "-c", env["LST_CONF"], "-d", db,
             f"--i18n-export={out}", "--modules=lot_serial_tracking", "--stop-after-init", "--no-http"],
            check=True, env=env,
        )  # fmt: skip
        (REPO / "i18n" / "lot_serial_tracking.pot").write_text(own_terms(out.read_text()))


if __name__ == "__main__":
    main()
