"""The command-line tool ``pulumi-okta-token`` (also ``python -m pulumi_okta_token``).

Built on the provider's own settings (``config``), transport (``_transport``) and models (``models``):

``main``            the program: its parser, exit codes, errors as one line on stderr
``list_cmd``        ``list``: its options, the org's tokens with the derived fields (last used, days left)
``generate``        ``generate``: its options, a program or stack config that adopts the tokens as they are
``audit``           ``audit``: its options, the report as a table or JSON, the exit code
``_audit_rules``    the rules: pure functions from models to findings (stable ids, severities)
``_audit_run``      running the rules over the org and a stack: findings and what could not be checked
``_args``           what the commands share on the command line: parser, options, help, ``Context``
``_owners``         token owners' status and roles, each looked up once, behind a small protocol
``_stack_state``    the ``ApiToken`` resources of a ``pulumi stack export``
``_tokens``         settings, the one listing, derived fields and filters
``_output``         tables within 100 columns, JSON, CSV, colour and the progress line
"""
