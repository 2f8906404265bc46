"""Benchmarks P3 (``benchmarks/p3_scale.py``) and P5 (``benchmarks/p5_cli.py``): they import, seed the org
and write the programs they say, and their floors are right.

Nothing here runs a benchmark or times anything (``tests/e2e/test_benchmark_p5.py`` runs a tiny P5).
"""

from __future__ import annotations

import argparse

import p3_scale  # benchmarks/ is on pytest's pythonpath (pyproject.toml)
import p5_cli
import pytest
import run
from p3_scale import SCENARIOS, floor_seconds, seed_org, unavoidable_requests

from pulumi_okta_token.testing.okta.backend import FakeOrg

UNLIMITED, RATE_LIMITED, SLOW_TLS = SCENARIOS["a"], SCENARIOS["b"], SCENARIOS["c"]


def test_make_bench_runs_p3_by_default() -> None:
    assert "p3" in run.PARTS


def test_the_providers_token_may_make_100_requests_a_minute_under_scenario_b() -> None:
    assert RATE_LIMITED.rate == 100
    assert RATE_LIMITED.bucket == 200  # the headers show the bucket, not the token's share


def test_scenario_c_adds_100_ms_of_round_trip_over_tls_without_rate_limits() -> None:
    assert (SLOW_TLS.tls, SLOW_TLS.rtt, SLOW_TLS.rate) == (True, 0.1, None)


def test_a_destroy_of_500_tokens_at_100_requests_a_minute_has_a_floor_of_five_minutes() -> None:
    assert unavoidable_requests("destroy", 500, 0, 501) == 500
    assert floor_seconds("destroy", 500, 0, 501, RATE_LIMITED) == pytest.approx(300.0)


def test_an_adopt_of_500_with_50_drifting_needs_three_list_pages_and_50_puts() -> None:
    assert unavoidable_requests("adopt", 500, 50, 501) == 53
    assert floor_seconds("adopt", 500, 50, 501, RATE_LIMITED) == pytest.approx(53 * 0.6)


def test_a_refresh_of_500_tokens_needs_the_three_list_pages_only() -> None:
    assert unavoidable_requests("refresh", 500, 50, 501) == 3
    assert floor_seconds("refresh", 500, 0, 501, RATE_LIMITED) == pytest.approx(1.8)


def test_the_latency_floor_is_the_handshakes_then_the_pages_then_waves_of_16_requests() -> None:
    # TCP + TLS handshakes (2), 3 pages one after another, 50 PUTs in 4 waves of 16.
    assert floor_seconds("adopt", 500, 50, 501, SLOW_TLS) == pytest.approx((2 + 3 + 4) * 0.1)
    assert floor_seconds("refresh", 500, 0, 501, SLOW_TLS) == pytest.approx((2 + 3) * 0.1)
    assert floor_seconds("destroy", 500, 0, 501, SLOW_TLS) == pytest.approx((2 + 32) * 0.1)


def test_a_few_tokens_in_a_large_org_are_read_by_get_rather_than_by_listing_the_org() -> None:
    assert unavoidable_requests("refresh", 3, 0, 2000) == 3
    assert floor_seconds("adopt", 3, 1, 2000, SLOW_TLS) == pytest.approx((2 + 2) * 0.1)


def test_without_a_rate_limit_or_latency_the_floor_is_zero() -> None:
    assert floor_seconds("destroy", 500, 0, 501, UNLIMITED) == 0.0


def test_an_operation_the_benchmark_does_not_know_is_refused() -> None:
    with pytest.raises(ValueError, match="operation must be one of"):
        unavoidable_requests("import", 5, 0, 6)


def test_the_seeded_org_has_ten_percent_drifting_half_by_name_half_by_network() -> None:
    org = FakeOrg(seed=1)
    seeded = seed_org(org, 50)
    live = {token.id: token for token in org.tokens()}
    renamed = [i for i in seeded.program.values() if live[i["token_id"]].name != i["name"]]
    moved = [i for i in seeded.program.values() if live[i["token_id"]].network.connection != "ANYWHERE"]
    assert (seeded.drifting, len(renamed), len(moved)) == (5, 3, 2)
    assert seeded.org_tokens == len(live) == 51


def test_the_seeded_org_without_drift_matches_the_program() -> None:
    org = FakeOrg(seed=1)
    seeded = seed_org(org, 20, drift=False)
    live = {token.id: token for token in org.tokens()}
    assert seeded.drifting == 0
    assert all(live[inputs["token_id"]].name == inputs["name"] for inputs in seeded.program.values())


def test_an_error_is_grouped_by_its_last_line_without_token_ids_ports_or_error_ids() -> None:
    text = (
        "Traceback (most recent call last):\n  ...\n"
        "pulumi_okta_token.errors.RateLimited: could not adopt API token 00TBb0xqT2Twm4ktgq7d: "
        "API call exceeded rate limit (HTTP 429, E0000047, errorId oae1) on GET "
        "http://127.0.0.1:45491/api/v1/api-tokens/00TBb0xqT2Twm4ktgq7d\n"
    )
    assert p3_scale.error_kind(text) == (
        "RateLimited: could not adopt API token 00T…: API call exceeded rate limit (HTTP 429, E0000047) "
        "on GET <org>/api/v1/api-tokens/00T…"
    )


def test_the_p3_options_pick_token_counts_scenarios_and_operations() -> None:
    parser = argparse.ArgumentParser()
    p3_scale.add_arguments(parser)
    args = parser.parse_args(["--n", "50,200", "--scenarios", "b,latency", "--ops", "destroy"])
    options = p3_scale.P3Options.from_args(args)
    assert (options.ns, options.scenarios, options.operations) == ((50, 200), ("b", "latency"), ("destroy",))


def test_an_unknown_scenario_is_refused_by_name(capsys: pytest.CaptureFixture[str]) -> None:
    parser = argparse.ArgumentParser()
    p3_scale.add_arguments(parser)
    with pytest.raises(SystemExit):
        parser.parse_args(["--scenarios", "d"])
    assert "--scenarios: a comma-separated subset of a,b,c,latency" in capsys.readouterr().err


def test_a_row_before_its_run_carries_its_floor_and_the_requests_its_result_needs() -> None:
    row = p3_scale.planned_row(RATE_LIMITED, 500, "adopt", 50, 501)
    assert (row.need, row.floor) == (53, pytest.approx(31.8))


def test_the_floor_of_independent_requests_follows_the_engines_parallelism() -> None:
    # The real CLI runs 8 resources at a time on 2 CPUs: 500 DELETEs are 63 waves, not 32.
    assert floor_seconds("destroy", 500, 0, 501, SLOW_TLS, parallelism=8) == pytest.approx((2 + 63) * 0.1)
    assert floor_seconds("adopt", 500, 50, 501, SLOW_TLS, parallelism=8) == pytest.approx((2 + 3 + 7) * 0.1)
    assert floor_seconds("destroy", 500, 0, 501, RATE_LIMITED, parallelism=8) == pytest.approx(300.0)


def test_make_bench_runs_p5_and_each_part_has_its_own_token_counts() -> None:
    parser = argparse.ArgumentParser()
    p3_scale.add_arguments(parser)
    p5_cli.add_arguments(parser)
    defaults = parser.parse_args([])
    assert "p5" in run.PARTS
    assert p3_scale.P3Options.from_args(defaults).ns == (50, 200, 500)
    assert p5_cli.P5Options.from_args(defaults).ns == (50, 500)
    assert p5_cli.P5Options.from_args(defaults).providers == ("dynamic", "native")


def test_the_p5_options_pick_providers_and_leave_out_the_engine_driver_and_the_latency_part() -> None:
    parser = argparse.ArgumentParser()
    p3_scale.add_arguments(parser)
    p5_cli.add_arguments(parser)
    args = parser.parse_args(["--n", "2", "--scenarios", "c,latency", "--providers", "native", "--no-engine"])
    options = p5_cli.P5Options.from_args(args)
    assert (options.ns, options.scenarios, options.providers, options.engine) == (
        (2,),
        ("c",),
        ("native",),
        False,
    )


def test_the_p5_programs_declare_p3s_tokens_for_each_provider() -> None:
    seeded = seed_org(FakeOrg(seed=1), 3)
    entries = p5_cli.token_entries(seeded)
    resources = p5_cli.native_resources(seeded)
    assert [entry["id"] for entry in entries] == [i["token_id"] for i in seeded.program.values()]
    assert {entry["name"] for entry in entries} == {i["name"] for i in seeded.program.values()}
    assert {r["type"] for r in resources.values()} == {"okta-token:index:ApiToken"}
    assert [r["properties"] for r in resources.values()] == list(seeded.program.values())
