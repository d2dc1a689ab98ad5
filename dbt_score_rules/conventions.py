"""This project's dbt conventions, checked by dbt-score in `make lint` (see
[tool.dbt-score] in pyproject.toml) rather than remembered:

- every model says its grain and has a primary-key test (or names the
  model built one row for one from it, or the one it is built from one row
  for one, that tests the same key);
- model names carry their layer's prefix (stg_, int_, dim_/fct_, rpt_);
- marts are public and nothing else is; exposures depend on marts (or raw
  sources) only;
- every raw source declares freshness.
"""

from dbt_score import Exposure, Model, RuleViolation, Seed, Source, rule

LAYER_PREFIXES = {
    "models/staging/": ("stg_",),
    "models/intermediate/": ("int_",),
    "models/marts/core/": ("dim_", "fct_"),
    "models/marts/reporting/": ("rpt_",),
}


@rule
def model_states_its_grain(model: Model) -> RuleViolation | None:
    """A model's description says its grain (what one row is)."""
    if "grain" not in (model.description or "").lower():
        return RuleViolation(message="Description does not state the grain (one row per …).")


def _has_key_test(model: Model | Seed, columns: set[str] | None = None) -> bool:
    """A column_rules test with a key (on exactly `columns`, when given)."""
    for test in model.tests:
        if test.type != "column_rules":
            continue
        keys = [test.kwargs.get("primary_key") or [], *(test.kwargs.get("unique") or [])]
        if any(key and (columns is None or set(key) == columns) for key in keys):
            return True
    return False


@rule
def model_has_primary_key_test(model: Model) -> RuleViolation | None:
    """A model has a primary-key test: unique and not_null on one column, or
    column_rules with a key (primary_key: its columns identify a row and are
    never null; unique: a combination of columns identifies a row). A model
    whose key another model's check already guards may say so (meta
    key_tested_on: {model, columns}), and one check then guards both:
      - an intermediate model (a view or ephemeral) whose rows all land, one
        for one, in a model built from it: that model, a direct child, tests
        the same key (its rows are not computed a second time);
      - a model that is every row of one seed or model, as it is (its only
        parent): that parent tests the same key (a second check of the same
        rows would be a second dbt node for nothing)."""
    for column in model.columns:
        kinds = {test.type for test in column.tests}
        if {"unique", "not_null"} <= kinds:
            return None
    if _has_key_test(model):
        return None
    tested_on = model.meta.get("key_tested_on")
    if tested_on:
        name, key = tested_on.get("model"), set(tested_on.get("columns") or [])
        child = next((c for c in model.children if c.name == name), None)
        if child is not None and _has_key_test(child, key):
            return None
        only_parent = model.parents[0] if len(model.parents) == 1 else None
        if only_parent is not None and only_parent.name == name and _has_key_test(only_parent, key):
            return None
        return RuleViolation(
            message=f"key_tested_on: {name} is neither a direct child nor the only parent "
            "that tests that key in column_rules."
        )
    return RuleViolation(
        message="No primary-key test (column_rules with primary_key or unique, or unique + not_null)."
    )


@rule
def model_name_matches_its_layer(model: Model) -> RuleViolation | None:
    """Model names carry the prefix of the layer their folder is."""
    for folder, prefixes in LAYER_PREFIXES.items():
        if model.original_file_path.startswith(folder):
            if not model.name.startswith(prefixes):
                return RuleViolation(message=f"In {folder}, names start with {' or '.join(prefixes)}.")
            return None
    return RuleViolation(message=f"{model.original_file_path} is in no known layer folder.")


@rule
def only_marts_are_public(model: Model) -> RuleViolation | None:
    """Marts are the public interface (access: public); staging and
    intermediate models are not."""
    is_mart = model.original_file_path.startswith("models/marts/")
    if is_mart and model.access != "public":
        return RuleViolation(message="A mart must be declared access: public.")
    if not is_mart and model.access == "public":
        return RuleViolation(message="Only marts may be public.")
    return None


@rule
def source_has_freshness(source: Source) -> RuleViolation | None:
    """Every raw source says how fresh it should be."""
    freshness = source.freshness or {}
    if not isinstance(freshness, dict):  # dbt-score may hand a dataclass or the manifest's dict
        freshness = {"warn_after": freshness.warn_after, "error_after": freshness.error_after}
    counts = [(freshness.get(key) or {}) for key in ("warn_after", "error_after")]
    if not any((count if isinstance(count, dict) else vars(count)).get("count") for count in counts):
        return RuleViolation(message="Source has no freshness (warn_after/error_after).")
    return None


@rule
def exposure_depends_on_marts_only(exposure: Exposure) -> RuleViolation | None:
    """Dashboards, reports and checks read marts (public models) only, or raw
    landing itself (a source) where they check what was received."""
    public = ("model.netsafe.dim_", "model.netsafe.fct_", "model.netsafe.rpt_", "source.netsafe.raw.")
    others = [node for node in exposure.depends_on.get("nodes", []) if not node.startswith(public)]
    if others:
        return RuleViolation(message=f"Depends on non-public nodes: {', '.join(sorted(others))}.")
    return None
