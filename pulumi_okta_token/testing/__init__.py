"""Test helpers shipped with the package: a fake Okta org and a driver for the provider plugin."""

from .backend import (
    AccessGrant,
    Cause,
    FakeOrg,
    FakeOrgError,
    FakeRoleAssignment,
    FakeServiceApp,
    FakeToken,
    FakeUser,
    InvalidRequest,
    InvalidUpdate,
    Principal,
    TokenNotFound,
    UserNotFound,
)
from .controls import JournalEntry
from .engine import PluginEngine, PluginStartError, RunResult, StepResult
from .fake import FakeOkta
from .faults import Fault
from .program import ProgramDeclarations, run_program

__all__ = [
    "AccessGrant",
    "Cause",
    "FakeOkta",
    "FakeOrg",
    "FakeOrgError",
    "FakeRoleAssignment",
    "FakeServiceApp",
    "FakeToken",
    "FakeUser",
    "Fault",
    "InvalidRequest",
    "InvalidUpdate",
    "JournalEntry",
    "PluginEngine",
    "PluginStartError",
    "Principal",
    "ProgramDeclarations",
    "RunResult",
    "StepResult",
    "TokenNotFound",
    "UserNotFound",
    "run_program",
]
