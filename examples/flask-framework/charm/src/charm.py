#!/usr/bin/env python3
"""The flask-framework charm: paas-charm does the work."""
import typing

import ops
import paas_charm.flask


class FlaskFrameworkAppCharm(paas_charm.flask.Charm):
    """Flask charm."""

    def __init__(self, *args: typing.Any) -> None:
        super().__init__(*args)


if __name__ == "__main__":
    ops.main(FlaskFrameworkAppCharm)
