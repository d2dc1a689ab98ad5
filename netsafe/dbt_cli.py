"""dbt's own command line, with netsafe/dbt_speedups.py in place: what every
build outside the worker runs (`python -m netsafe.dbt_cli build ...`, see
netsafe.build.dbt_command)."""

from __future__ import annotations

import sys

from netsafe import dbt_speedups


def main() -> None:
    dbt_speedups.install()
    from dbt.cli.main import cli

    sys.exit(cli())


if __name__ == "__main__":
    main()
