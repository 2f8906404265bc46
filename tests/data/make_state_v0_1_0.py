"""How ``state-v0.1.0.json`` was made: run by the v0.1.0 code (commit 3c25f9e), it adopts two tokens
through the real plugin and prints the stack state. Kept as a record; it is not run by the tests::

    git worktree add --detach /tmp/v010 3c25f9e
    PYTHONPATH=/tmp/v010 .venv/bin/python tests/data/make_state_v0_1_0.py > tests/data/state-v0.1.0.json
"""  # fmt: skip

import json
import sys

from pulumi_okta_token.testing import FakeOkta
from pulumi_okta_token.testing.engine import PluginEngine

USER = "00uv010statetest0001"
OFFICE = "nzov010officezone001"
CI = "00Tv010cideployer001"
AUDIT = "00Tv010auditreader01"
ADMIN = "00Tv010pulumiadmin01"
with FakeOkta() as okta:
    okta.org.add_user(id=USER)
    okta.org.add_zone(name="office", id=OFFICE)
    admin = okta.org.add_token(
        name="pulumi-automation", id=ADMIN, user_id=USER, secret="00v010-admin-secret-for-tests-only-0000000"
    )
    okta.org.add_token(
        name="ci-deployer",
        id=CI,
        user_id=USER,
        created="2025-11-02T14:47:13.000Z",
        network={"connection": "ZONE", "include": [OFFICE]},
    )
    okta.org.add_token(
        name="audit-reader",
        id=AUDIT,
        user_id=USER,
        created="2025-10-01T08:00:00.000Z",
        network={"connection": "ANYWHERE"},
    )
    program = {
        "ci": {
            "token_id": CI,
            "name": "ci-deployer",
            "network": {"connection": "ZONE", "include": [{"ip": OFFICE}]},
        },
        "audit": {"token_id": AUDIT, "name": "audit-reader"},
    }
    with PluginEngine({"okta:orgUrl": okta.url, "okta:apiToken": admin.secret}) as engine:
        result = engine.up(program)
        assert result.ok, result.errors
        out = {
            name: {"type": r.type, "urn": r.urn, "id": r.id, "inputs": r.inputs, "outputs": r.outputs}
            for name, r in engine.state.items()
        }
json.dump(
    {
        "produced_by": "pulumi-okta-token 0.1.0 (commit 3c25f9e) through PluginEngine.up",
        "org": {"user": USER, "office": OFFICE, "admin": ADMIN},
        "program": program,
        "resources": out,
    },
    sys.stdout,
    indent=1,
    sort_keys=True,
)
