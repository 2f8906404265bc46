"""``python -m pulumi_okta_token.cli``: the ``pulumi-okta-token`` command."""

import sys

from .main import main

if __name__ == "__main__":
    sys.exit(main())
