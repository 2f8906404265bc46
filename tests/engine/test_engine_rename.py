"""A resource renamed in the program (a new resource name for the same token) hands the token over: the
engine adopts it under the new name and deletes the old resource in the same operation and the same
plugin process, and that delete forgets instead of revoking. A later ``destroy`` (its own process, as
the CLI runs it) revokes as usual."""

from __future__ import annotations

from seeded_org import Org

from pulumi_okta_token import ApiTokenProvider
from pulumi_okta_token.testing.engine import PluginEngine


def test_renaming_the_resource_of_a_token_revokes_nothing(org: Org, engine: PluginEngine) -> None:
    engine.up({"ci": org.declared()})
    org.okta.clear_journal()

    result = engine.up({"ci-renamed": org.declared(name="ci-renamed")})

    assert result.ops() == {"ci-renamed": "create", "ci": "delete"}
    assert org.calls("DELETE") == 0
    live = org.live()
    assert live is not None and live.name == "ci-renamed"
    assert set(engine.state) == {"ci-renamed"}


def test_destroy_after_a_rename_revokes_the_token(org: Org, engine: PluginEngine) -> None:
    engine.up({"ci": org.declared()})
    engine.up({"ci-renamed": org.declared(name="ci-renamed")})

    assert engine.destroy().ok

    assert org.live() is None


def test_a_replace_by_a_new_token_id_still_revokes_the_old_token(org: Org, engine: PluginEngine) -> None:
    other = org.okta.org.add_token(name="other", user_id=org.user)
    engine.up({"ci": org.declared()})

    result = engine.up({"ci": {"token_id": other.id}})

    assert result.ops() == {"ci": "replace"}
    assert org.live() is None
    assert org.live(other.id) is not None


def test_a_provider_used_in_its_own_long_lived_process_revokes_after_adopting(org: Org) -> None:
    provider = org.provider
    provider.create({"token_id": org.token.id})

    provider.delete(org.token.id, {})

    assert org.live() is None
    assert isinstance(provider, ApiTokenProvider)


def test_a_plugin_kept_for_several_operations_revokes_on_destroy_what_an_earlier_up_adopted(org: Org) -> None:
    with PluginEngine(org.config, fresh_plugin_per_operation=False) as engine:
        engine.up({"ci": org.declared()})
        assert engine.destroy().ok
        assert engine.plugin_starts == 1

    assert org.live() is None
