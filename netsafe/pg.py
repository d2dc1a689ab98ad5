"""PostgreSQL target: connection settings from the environment (the same
NETSAFE_PG_* variables profiles.yml reads) and a short-lived connection."""

from __future__ import annotations

import os

import psycopg2


def is_target() -> bool:
    """True when the warehouse lives in PostgreSQL (NETSAFE_TARGET=postgres)."""
    return os.environ.get("NETSAFE_TARGET", "duckdb") == "postgres"


def params() -> dict:
    return {
        "host": os.environ.get("NETSAFE_PG_HOST", "127.0.0.1"),
        "port": int(os.environ.get("NETSAFE_PG_PORT", "5432")),
        "user": os.environ.get("NETSAFE_PG_USER", "netsafe"),
        "password": os.environ.get("NETSAFE_PG_PASSWORD", ""),
        "dbname": os.environ.get("NETSAFE_PG_DATABASE", "netsafe"),
    }


def connect():
    return psycopg2.connect(**params())


def read(sql: str, params=None):
    """One read query (DuckDB-style ? placeholders accepted) as a DataFrame."""
    import pandas as pd

    con = connect()
    try:
        with con.cursor() as cur:
            cur.execute(sql.replace("?", "%s"), list(params or []))
            columns = [column.name for column in cur.description]
            return pd.DataFrame(cur.fetchall(), columns=columns)
    finally:
        con.close()
