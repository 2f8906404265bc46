"""Test helpers shipped with the package: a fake Okta org and a driver for the provider plugin."""
