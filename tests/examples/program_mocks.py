"""Paths and names the example and README tests share; programs run with ``testing.run_program``."""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
API_TOKEN_TYPE = "pulumi-python:dynamic/okta:ApiToken"
