"""``pulumi-okta-token generate``: declarations that adopt the listed tokens as they are now.

What is declared comes from ``models.refreshed_inputs``, the inputs a refresh would store, so it is
exactly what ``check`` accepts and what the token has: the first ``pulumi up`` adopts each token with
one GET and no PUT. Values ``check`` would refuse (a blank name, a network condition none of the
console's five choices) are left undeclared, and the output says so where it happens.

Three formats, all sorted (by resource name, then token id) so that the same org gives the same text:

* ``python``: a program's ``__main__.py``, one ``ApiToken(...)`` per token;
* ``import-file``: the JSON file of ``pulumi import --file``, one ``okta-token:index:ApiToken`` entry per
  token (name and id), for the native resource of ``pulumi_okta_token.native``; the CLI then writes
  the program from what the plugin reads;
* ``stack-config``: the ``tokens`` list that ``examples/tokens_from_config/`` reads, as YAML under
  ``config:`` for ``Pulumi.<stack>.yaml``. That program uses each token's name as its resource name and
  declares it, so tokens with a blank or shared name cannot be listed there: they are left out, named
  in a comment (and on stderr).

Adopting must not arm a revocation: every declaration keeps its token on delete
(``retain_on_delete`` / ``retain: true``) unless ``--revoke-on-destroy`` is given. Even then, a token
that may be the API token the command signs in with (``_credential``: used while it ran) stays
retained, and a comment says why: revoking the credential a stack signs in with locks the stack out.

Every value from Okta is written through ``_text``: a token whose answer misses a documented shape (ids,
owner, timestamps, zones) is refused, and the rest is quoted (strings) or escaped (comments).
``--merge-into FILE`` writes the stack config into a stack file itself (``_stack_file``).
"""

from __future__ import annotations

import argparse
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .._models import TokenMetadata
from .._rules import refreshed_inputs
from .._text import comment_text, json_line, json_text, quoted, require_documented_shapes
from ._args import PROG, SETTINGS_HELP, Context, add_filters, add_org_url, filters_of
from ._credential import CLOCK_SLACK, SignIn, sign_in_of
from ._stack_file import merge_into
from ._tokens import UsageError, cli_settings, fetch_tokens

__all__ = [
    "DEFAULT_PROJECT",
    "FORMATS",
    "Generated",
    "generate",
    "register",
    "resource_names",
    "run",
]

FORMATS: tuple[str, ...] = ("python", "stack-config", "import-file")

NATIVE_TYPE = "okta-token:index:ApiToken"
"""The native resource's type (``native.schema.TYPE_TOKEN``, not imported: that loads Pulumi; a test
keeps the two equal)."""
DEFAULT_PROJECT = "okta-api-tokens"
"""The ``name`` in the repository's Pulumi.yaml, whose program is ``examples/tokens_from_config/``."""

_SLUG_RE = re.compile(r"[^a-z0-9]+")
_PLAIN_KEY_RE = re.compile(r"[A-Za-z][A-Za-z0-9_.-]*:[A-Za-z][A-Za-z0-9_.-]*")


@dataclass(frozen=True)
class Generated:
    """The text to print, and the tokens left out of it with the reason (for stderr)."""

    text: str
    left_out: list[tuple[TokenMetadata, str]] = field(default_factory=list)
    kept_for_sign_in: list[TokenMetadata] = field(default_factory=list)
    """Tokens kept retained under ``--revoke-on-destroy``: each may be the command's credential."""
    entries: int = 0
    """How many tokens the text declares."""


def register(commands: Any) -> None:
    """Add ``generate`` to the subcommands."""
    parser = commands.add_parser(
        "generate",
        help="declarations that adopt the tokens as they are",
        description="Declarations for the org's tokens (or those the filters keep), sorted: a Pulumi "
        "program's __main__.py (python), the `tokens` stack config that examples/tokens_from_config "
        "reads (stack-config), or the file of `pulumi import --file` for the native resource "
        "(import-file). Each declares the token's id, name and network as they are now, so the "
        "first `pulumi up` adopts every token without changing it. Every token is kept in Okta when "
        "its declaration goes or on `pulumi destroy` (retain_on_delete), unless --revoke-on-destroy.",
        epilog=f"examples:\n  {PROG} generate > __main__.py\n"
        f"  {PROG} generate --format stack-config --name 'ci-*' --merge-into Pulumi.dev.yaml\n"
        f"  {PROG} generate --format import-file > import.json && pulumi import --file import.json\n\n"
        + SETTINGS_HELP,
    )
    add_org_url(parser)
    parser.add_argument(
        "--format",
        choices=FORMATS,
        default="python",
        help="python (default), stack-config, or import-file (for `pulumi import --file`)",
    )
    add_filters(parser)
    parser.add_argument(
        "--revoke-on-destroy",
        action="store_true",
        help="leave out retain_on_delete: removing a declaration or `pulumi destroy` REVOKES its token "
        "(except a token that may be the API token this command signs in with: used while it ran)",
    )
    parser.add_argument(
        "--project",
        default=DEFAULT_PROJECT,
        help=f"stack-config: the Pulumi project whose config holds `tokens` (default {DEFAULT_PROJECT})",
    )
    parser.add_argument(
        "--merge-into",
        type=Path,
        metavar="FILE",
        help="stack-config: add `<project>:tokens` under `config:` of this stack file (Pulumi.<stack>.yaml; "
        "made if missing), keeping every other key and comment; refused if the file has that key "
        "already. Written whole or not at all; nothing goes to stdout",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace, context: Context) -> int:
    """``generate``: print the declarations; nothing at all when no token is left to declare."""
    filters = filters_of(args)
    if args.merge_into is not None and args.format != "stack-config":
        raise UsageError("--merge-into writes a stack file: it goes with --format stack-config")
    settings = cli_settings(args.org_url, context.environ)
    everything = fetch_tokens(settings)
    tokens = filters.apply(everything)
    if not tokens:
        which = "no token matches the filters" if everything else f"{settings.org_url} has no API tokens"
        raise UsageError(f"nothing to generate: {which} (nothing was written)")
    generated = generate(
        tokens,
        args.format,
        org_url=settings.org_url,
        revoke_on_destroy=args.revoke_on_destroy,
        project=args.project,
        org_tokens=everything,
        sign_in=sign_in_of(settings, everything, context.now),
    )
    for token, reason in generated.left_out:
        context.warn(f"left out token {token.id}: {reason}")
    for token in generated.kept_for_sign_in:
        context.warn(f"kept token {token.id} on destroy: {_MAY_SIGN_IN}")
    if args.merge_into is None:
        context.stdout.write(generated.text)
        return 0
    key = f"{args.project}:tokens"
    merge_into(args.merge_into, generated.text, key)
    context.warn(f"added {key} ({_count(generated.entries)}) to {args.merge_into}")
    return 0


_MAY_SIGN_IN = (
    f"it was used while this command ran (or up to {CLOCK_SLACK.seconds // 60} minutes before), so it may be "
    "the API token this command signs in with (Okta's API does not say which token a secret is), and "
    "revoking the token a stack signs in with locks the stack out"
)


def _count(number: int) -> str:
    return f"{number} token{'s' if number != 1 else ''}"


def generate(
    tokens: Sequence[TokenMetadata],
    fmt: str,
    *,
    org_url: str,
    revoke_on_destroy: bool = False,
    project: str = DEFAULT_PROJECT,
    org_tokens: Sequence[TokenMetadata] | None = None,
    sign_in: SignIn | None = None,
) -> Generated:
    """The declarations of ``tokens`` in ``fmt`` (``python``, ``stack-config`` or ``import-file``).

    ``org_tokens``: every token of the org (default ``tokens``). Resource names and shared names are
    judged among them, so a filter never changes a token's resource name or what is left out.
    ``sign_in``: how the command signed in; with ``revoke_on_destroy``, its candidate tokens stay
    retained (``None``: not known, said in a comment).

    Raises ``UntrustedAnswer`` when a token's answer misses a documented shape (``_text``)."""
    require_documented_shapes(
        tokens,
        then="nothing was written (--name, --owner or --network can leave this token out of what is "
        "generated)",
    )
    everything = tokens if org_tokens is None else org_tokens
    retain = _Retain(revoke_on_destroy, sign_in)
    if fmt == "stack-config":
        return _stack_config(tokens, everything, org_url=org_url, retain=retain, project=project)
    if fmt == "import-file":
        return Generated(_import_file(tokens, resource_names(everything)), entries=len(tokens))
    text = _python(tokens, resource_names(everything), org_url=org_url, retain=retain)
    return Generated(text, kept_for_sign_in=retain.kept(tokens), entries=len(tokens))


@dataclass(frozen=True)
class _Retain:
    """Which declarations keep their token on delete: all, unless ``revoke_on_destroy``; then those
    whose token may be the command's credential."""

    revoke_on_destroy: bool
    sign_in: SignIn | None

    def __call__(self, token: TokenMetadata) -> bool:
        return not self.revoke_on_destroy or self.for_sign_in(token)

    def for_sign_in(self, token: TokenMetadata) -> bool:
        """Retained only because it may be the command's credential (``--revoke-on-destroy``)."""
        return self.revoke_on_destroy and self.sign_in is not None and token.id in self.sign_in.candidates

    def kept(self, tokens: Sequence[TokenMetadata]) -> list[TokenMetadata]:
        return [token for token in tokens if self.for_sign_in(token)]

    def credential_note(self) -> list[str]:
        """Comment lines (without ``#``) on the command's own credential, under ``--revoke-on-destroy``."""
        if not self.revoke_on_destroy:
            return []
        if self.sign_in is None:
            return [
                "Which token this command signs in with is not known here: keep the token your stack",
                "signs in with (okta:apiToken) retained, or revoking it locks the stack out.",
            ]
        if not self.sign_in.api_token:
            return [
                "This command signed in with OAuth, so no token below is its credential; if your stack",
                "signs in with an API token, keep that token retained, or revoking it locks the stack out.",
            ]
        return [
            "This command signed in with an API token, and Okta's API does not say which token a secret",
            "is: every token used while it ran (last use = expiresAt - tokenWindow) may be it and stays",
            "retained, marked below; revoking the token a stack signs in with locks the stack out.",
        ]


# --------------------------------------------------------------------------------------------
# Resource names


def _slug(name: str | None) -> str:
    slug = _SLUG_RE.sub("-", (name or "").lower()).strip("-")
    return slug or "token"


def resource_names(tokens: Sequence[TokenMetadata]) -> dict[str, str]:
    """A unique Pulumi resource name per token id, from the token's name (``CI Deployer`` ->
    ``ci-deployer``). Tokens whose names give the same name all get their id appended
    (``ci-deployer-00T...``), so a name never depends on the order of the tokens."""
    slugs = {token.id: _slug(token.name) for token in tokens}
    counts = Counter(slugs.values())
    names = {
        token_id: slug if counts[slug] == 1 else f"{slug}-{token_id}" for token_id, slug in slugs.items()
    }
    repeated = Counter(names.values())
    return {token_id: name if repeated[name] == 1 else token_id for token_id, name in names.items()}


def _sorted(tokens: Sequence[TokenMetadata], names: dict[str, str]) -> list[TokenMetadata]:
    return sorted(tokens, key=lambda token: (names[token.id], token.id))


# --------------------------------------------------------------------------------------------
# python


_RETAIN_COMMENT = """\
# Adopting a token must not arm its revocation. An ApiToken revokes its token when the declaration is
# removed or on `pulumi destroy`; with retain_on_delete=True the token stays active in Okta and the
# stack only forgets it. Drop `opts=RETAIN` from a token (or generate with --revoke-on-destroy) to have
# Pulumi revoke it."""

_REVOKE_COMMENT = """\
# Generated with --revoke-on-destroy: removing a declaration below, or `pulumi destroy`, REVOKES its
# token in Okta. Add opts=pulumi.ResourceOptions(retain_on_delete=True) to a token to keep it instead."""


_SIGN_IN_NOTE = "may be the API token this command signs in with (used while it ran): kept, never revoked"


def _python(tokens: Sequence[TokenMetadata], names: dict[str, str], *, org_url: str, retain: _Retain) -> str:
    count = f"{len(tokens)} token{'s' if len(tokens) != 1 else ''}"
    lines = [
        f'"""API tokens of {comment_text(org_url)}, adopted as they are ({count}).',
        "",
        "Generated by `pulumi-okta-token generate`: each ApiToken declares its token's name and network",
        "as Okta reported them, so the first `pulumi up` adopts every token without changing it.",
        '"""',
        "",
    ]
    any_retained = any(retain(token) for token in tokens)
    lines += ["import pulumi", ""] if any_retained else []
    lines += ["from pulumi_okta_token import ApiToken", ""]
    if not retain.revoke_on_destroy:
        lines += [_RETAIN_COMMENT]
    else:
        lines += [_REVOKE_COMMENT, *(f"# {note}" for note in retain.credential_note())]
    if any_retained:
        lines += ["RETAIN = pulumi.ResourceOptions(retain_on_delete=True)"]
    for token in _sorted(tokens, names):
        lines += ["", *_python_declaration(token, names[token.id], retain)]
    return "\n".join(lines) + "\n"


def _python_declaration(token: TokenMetadata, resource_name: str, retain: _Retain) -> list[str]:
    inputs = refreshed_inputs(token)
    lines = [f"# {_about(token)}", *(f"# {note}" for note in _undeclared(token, inputs))]
    if retain.for_sign_in(token):
        lines.append(f"# {_SIGN_IN_NOTE}")
    lines += ["ApiToken(", f"    {_literal(resource_name)},", f"    token_id={_literal(token.id)},"]
    if "name" in inputs:
        lines.append(f"    name={_literal(inputs['name'])},")
    if "network" in inputs:
        lines.append(f"    network={_literal(_network(inputs['network']))},")
    if retain(token):
        lines.append("    opts=RETAIN,")
    return [*lines, ")"]


def _about(token: TokenMetadata) -> str:
    parts = [f"owner {token.user_id or 'unknown'}"]
    if token.client_name:
        parts.append(f"client {token.client_name}")
    if token.created:
        parts.append(f"created {token.created[:10]}")
    return comment_text(", ".join(parts))


def _undeclared(token: TokenMetadata, inputs: dict[str, Any]) -> list[str]:
    """Comments for values left out because ``check`` would refuse them."""
    notes = []
    if "name" not in inputs:
        notes.append("name not declared: Okta reports a blank name, which no declaration can state")
    if "network" not in inputs and token.network is not None:
        reported = comment_text(json_line(token.network.to_okta_json()))
        notes.append(f"network not declared: Okta reports {reported}, which none of the console's")
        notes.append("five choices states; it is left as it is")
    return notes


def _network(props: dict[str, Any]) -> dict[str, Any]:
    """Network props with only the zone list in use (``check`` stores the same)."""
    return {key: value for key, value in props.items() if key == "connection" or value}


def _literal(value: Any) -> str:
    """A Python literal for a string, or a list or dict of strings."""
    if isinstance(value, str):
        return quoted(value)
    if isinstance(value, dict):
        return "{" + ", ".join(f"{quoted(key)}: {_literal(item)}" for key, item in value.items()) + "}"
    return "[" + ", ".join(_literal(item) for item in value) + "]"


# --------------------------------------------------------------------------------------------
# stack-config


def _import_file(tokens: Sequence[TokenMetadata], names: dict[str, str]) -> str:
    """``pulumi import --file``'s JSON: each token by resource name and id; the plugin reads the rest.

    (Whether the imported resources are retained on delete is the generated program's option, not the
    import file's: ``pulumi import`` writes ``protect=True`` by default, which also stops a destroy.)"""
    resources = [
        {"type": NATIVE_TYPE, "name": names[token.id], "id": token.id} for token in _sorted(tokens, names)
    ]
    return json_text({"resources": resources})


def _stack_config(
    tokens: Sequence[TokenMetadata],
    everything: Sequence[TokenMetadata],
    *,
    org_url: str,
    retain: _Retain,
    project: str,
) -> Generated:
    kept, left_out = _listable(tokens, everything)
    lines = [
        f"# API tokens of {comment_text(org_url)}, adopted as they are: the `tokens` list that",
        "# examples/tokens_from_config/ reads. Generated by `pulumi-okta-token generate --format",
        "# stack-config`: add it to Pulumi.<stack>.yaml with --merge-into FILE, or by hand under the",
        "# file's one `config:` (appended, it would be a second `config:`, which YAML loaders drop).",
    ]
    if not retain.revoke_on_destroy:
        lines += [
            "# retain: true keeps a token active in Okta when its entry is removed or on `pulumi destroy`",
            "# (adopting must not arm a revocation); set it to false to have Pulumi revoke the token.",
        ]
    else:
        lines += [
            "# Generated with --revoke-on-destroy: removing an entry, or `pulumi destroy`, REVOKES its",
            "# token in Okta. Add `retain: true` to an entry to keep its token instead.",
            *(f"# {note}" for note in retain.credential_note()),
        ]
    for token, reason in left_out:
        lines.append(f"# Left out: {comment_text(token.id)} ({reason}).")
    lines += ["config:", f"  {_yaml_key(f'{project}:tokens')}:"]
    if not kept:
        lines[-1] += " []"
    for token in sorted(kept, key=lambda token: (token.name or "", token.id)):
        lines += _yaml_entry(token, retain)
    return Generated("\n".join(lines) + "\n", left_out, retain.kept(kept), entries=len(kept))


def _listable(
    tokens: Sequence[TokenMetadata], everything: Sequence[TokenMetadata]
) -> tuple[list[TokenMetadata], list[tuple[TokenMetadata, str]]]:
    """The tokens the example program can declare, and the others with the reason; a name is shared when
    another token of the org has it too."""
    counts = Counter(token.name for token in everything)
    kept: list[TokenMetadata] = []
    left_out: list[tuple[TokenMetadata, str]] = []
    for token in sorted(tokens, key=lambda token: (token.name or "", token.id)):
        if "name" not in refreshed_inputs(token):
            left_out.append((token, "its name is blank, and the program declares each entry's name"))
        elif counts[token.name] > 1:
            left_out.append(
                (token, "another token has the same name, and the program names each resource by it")
            )
        else:
            kept.append(token)
    return kept, left_out


def _yaml_entry(token: TokenMetadata, retain: _Retain) -> list[str]:
    inputs = refreshed_inputs(token)
    lines = [f"    - name: {_yaml_string(inputs['name'])}", f"      id: {_yaml_string(token.id)}"]
    if "network" in inputs:
        network = _network(inputs["network"])
        lines += ["      network:", f"        connection: {_yaml_string(network['connection'])}"]
        for key in ("include", "exclude"):
            if key in network:
                lines.append(f"        {key}:")
                lines += [f"          - {_yaml_string(zone)}" for zone in network[key]]
    elif token.network is not None:
        lines.append(
            "      # network not declared: Okta reports a condition none of the console's choices states"
        )
    if retain.for_sign_in(token):
        lines.append(f"      # {_SIGN_IN_NOTE}")
    lines.append(f"      retain: {'true' if retain(token) else 'false'}")
    return lines


def _yaml_key(text: str) -> str:
    """``text`` plain when YAML reads it back as that string (``okta-api-tokens:tokens``), else quoted."""
    return text if _PLAIN_KEY_RE.fullmatch(text) else quoted(text)


def _yaml_string(text: str) -> str:
    """A double-quoted YAML scalar that keeps every character (``quoted``)."""
    return quoted(text)
