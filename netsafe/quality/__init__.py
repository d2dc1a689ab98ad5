"""Data quality for stewards: Great Expectations suites over the warehouse,
the validation-rule and outlier marts, and a history of quality runs."""
