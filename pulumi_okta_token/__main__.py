"""``python -m pulumi_okta_token``: the ``pulumi-okta-token`` command (list, generate, audit)."""

import sys

from .cli.main import main

if __name__ == "__main__":
    sys.exit(main())
