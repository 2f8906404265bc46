"""What the policy-pack end-to-end tests share: the pack as a user gets it (the console script's
``policy-pack``), a policy config file, and the fake org's writes."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

from e2e_support import E2EOrg

WRITES = ("PUT", "POST", "DELETE")


def policy_pack(venv: Path, cache: Path) -> Path:
    """``<venv>/bin/pulumi-okta-token policy-pack``'s directory, written under ``cache``."""
    done = subprocess.run(
        [str(venv / "bin" / "pulumi-okta-token"), "policy-pack", "--dir", str(cache / "pack")],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return Path(done.stdout.strip())


def policy_config(path: Path, config: dict[str, Any]) -> Path:
    """A ``--policy-pack-config`` file holding ``config``."""
    path.write_text(json.dumps(config))
    return path


def writes(org: E2EOrg) -> list[str]:
    """Every request of the journal that would change the org (any path): ``METHOD path``."""
    return [f"{entry.method} {entry.path}" for entry in org.okta.journal if entry.method in WRITES]
