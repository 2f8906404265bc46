"""Every setting the package reads: each ``Setting`` that a module of ``pulumi_okta_token._settings`` holds.

Read from the modules themselves, not from a list kept beside them, so a setting added to any of them is
found by the tests that compare the settings with the README and the native schema.
"""

from __future__ import annotations

import importlib
import pkgutil

import pulumi_okta_token._settings as settings_package
from pulumi_okta_token._settings.sources import Setting


def every_setting() -> set[Setting]:
    found: set[Setting] = set()
    for module in pkgutil.iter_modules(settings_package.__path__, f"{settings_package.__name__}."):
        loaded = importlib.import_module(module.name)
        found |= {value for value in vars(loaded).values() if isinstance(value, Setting)}
    return found
