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
``_credential``     which listed tokens may be the API token the command signs in with
``_stack_file``     ``generate --merge-into``: the stack config added to a stack file
``_output``         tables within 100 columns, colour and the progress line

Every text from Okta that a command writes (JSON, CSV, code, a table, a warning, an error line) goes
through ``.._text``, the one place that says how it is made safe for where it goes.
"""
