"""dbt-score rules of this project (see conventions.py)."""
