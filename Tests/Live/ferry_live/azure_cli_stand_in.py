"""A stand-in `az` for the Azure CLI sign-in flow: the real CLI cannot be pointed at the emulator's
authority without an interactive `az login`, so tests put this script first on PATH instead.

`az account get-access-token …` prints what the real CLI prints (ENTRA-RBAC.md §4), with a token
the emulator issues to one principal (`POST /__ferry/access-token`); anything else exits 1 with
the CLI's "Please run 'az login'" hint, as a CLI without a login does.
"""
from __future__ import annotations

import stat
from pathlib import Path

SCRIPT = '''#!/usr/bin/env python3
import http.client, json, sys
if sys.argv[1:3] != ["account", "get-access-token"]:
    sys.stderr.write("ERROR: Please run 'az login' to setup account.\\n")
    sys.exit(1)
connection = http.client.HTTPConnection("127.0.0.1", {port}, timeout=10)
connection.request("POST", "/__ferry/access-token", body=json.dumps({{"clientId": "{client_id}"}}),
                   headers={{"Content-Type": "application/json"}})
response = connection.getresponse()
body = response.read().decode()
if response.status != 200:
    sys.stderr.write("ERROR: Please run 'az login' to setup account. (" + body + ")\\n")
    sys.exit(1)
print(body)
'''


def install_az(directory: Path, port: int, client_id: str) -> Path:
    """Writes `directory/az` for the principal `client_id`; put `directory` first on PATH."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / "az"
    path.write_text(SCRIPT.format(port=port, client_id=client_id))
    path.chmod(path.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    return path
