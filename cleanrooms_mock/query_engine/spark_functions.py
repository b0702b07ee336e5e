"""The functions a query of a SPARK collaboration may call: AWS's Clean Rooms Spark SQL reference.

"AWS Clean Rooms Spark SQL supports the following SQL functions" (SQL reference, "AWS Clean
Rooms Spark SQL functions", https://docs.aws.amazon.com/clean-rooms/latest/sql-reference/
sql-functions-topic-spark.html) lists fifteen categories, each a page of functions. The names
below are those pages' entries, by category, with the page they come from. Categories whose
page was read entry by entry are marked ``read``; the others (``recalled``) list the functions
their page is known to hold, and are the first place to look when a query AWS runs is refused
(README, Assumptions). Plain data: no import of sqlglot here (:mod:`.surface` uses it).
"""

from __future__ import annotations

__all__ = [
    "SPARK_FUNCTIONS",
    "SPARK_FUNCTIONS_KEPT",
    "SPARK_FUNCTION_CATEGORIES",
    "SPARK_REFERENCE",
]

#: The index page of the reference's function categories.
SPARK_REFERENCE = (
    "https://docs.aws.amazon.com/clean-rooms/latest/sql-reference/sql-functions-topic-spark.html"
)

_PAGE = "https://docs.aws.amazon.com/clean-rooms/latest/sql-reference/"

#: category -> (its page, how its list was taken: ``read`` or ``recalled``, lower-case names).
SPARK_FUNCTION_CATEGORIES: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "aggregate": (
        _PAGE + "sql-functions-agg-spark.html",
        "recalled",
        (
            "any_value",
            "approx_count_distinct",
            "approx_percentile",
            "percentile_approx",  # Spark's other name of approx_percentile
            "avg",
            "bool_and",
            "bool_or",
            "collect_list",
            "collect_set",
            "count",
            "count_if",
            "listagg",
            "max",
            "max_by",
            "median",
            "min",
            "min_by",
            "percentile",
            "skewness",
            "stddev",
            "stddev_pop",
            "stddev_samp",
            "sum",
            "var_pop",
            "var_samp",
            "variance",
        ),
    ),
    "array": (
        _PAGE + "Array_Functions.html",
        "read",
        (
            "array",
            "array_contains",
            "array_distinct",
            "array_except",
            "array_intersect",
            "array_join",
            "array_remove",
            "array_union",
            "explode",
            "flatten",
        ),
    ),
    "conditional": (
        _PAGE + "sql-functions-conditional-expressions-spark.html",
        "recalled",  # NVL and COALESCE read (NVL_function.html)
        ("coalesce", "decode", "greatest", "if", "ifnull", "least", "nullif", "nvl", "nvl2"),
    ),
    "constructor": (
        _PAGE + "sql-functions-constructor.html",
        "recalled",
        ("map", "named_struct", "struct"),
    ),
    "data type formatting": (
        _PAGE + "Data_type_formatting.html",
        "recalled",
        ("cast", "to_char", "to_date", "to_number"),
    ),
    "date and time": (
        _PAGE + "date-time-functions-spark.html",
        "read",
        (
            "add_months",
            "convert_timezone",
            "current_date",
            "current_timestamp",
            "date_add",
            "date_diff",
            "date_part",
            "date_trunc",
            "day",
            "dayofmonth",
            "dayofweek",
            "dayofyear",
            "extract",
            "from_utc_timestamp",
            "hour",
            "minute",
            "month",
            "second",
            "timestamp",
            "to_timestamp",
            "year",
        ),
    ),
    "encryption and decryption": (
        _PAGE + "encryption-decryption-functions.html",
        "recalled",
        ("aes_decrypt", "aes_encrypt"),
    ),
    "hash": (
        _PAGE + "s_hash-functions.html",
        "read",
        ("md5", "sha", "sha1", "sha2", "xxhash64"),
    ),
    "hyperloglog": (
        _PAGE + "hyperloglog-functions.html",
        "recalled",
        ("hll_sketch_agg", "hll_sketch_estimate", "hll_union", "hll_union_agg"),
    ),
    "json": (
        _PAGE + "json-functions-spark.html",
        "recalled",
        ("from_json", "get_json_object", "to_json"),
    ),
    "math": (
        _PAGE + "Math_functions-spark.html",
        "read",
        (
            "abs",
            "acos",
            "asin",
            "atan",
            "atan2",
            "cbrt",
            "ceil",
            "ceiling",
            "cos",
            "cot",
            "degrees",
            "div",
            "exp",
            "floor",
            "ln",
            "log",
            "mod",
            "pi",
            "power",
            "radians",
            "rand",
            "random",
            "round",
            "sign",
            "sin",
            "sqrt",
            "trunc",
        ),
    ),
    "string": (
        _PAGE + "String_functions_spark.html",
        "read",
        (
            "btrim",
            "concat",
            "format_string",
            "left",
            "length",
            "lower",
            "lpad",
            "ltrim",
            "position",
            "regexp_count",
            "regexp_instr",
            "regexp_replace",
            "regexp_substr",
            "repeat",
            "replace",
            "reverse",
            "right",
            "rpad",
            "rtrim",
            "split",
            "split_part",
            "substring",
            "translate",
            "trim",
            "upper",
            "uuid",
        ),
    ),
    "window": (
        _PAGE + "Window_functions.html",
        "recalled",
        (
            "cume_dist",
            "dense_rank",
            "first",
            "first_value",
            "lag",
            "last",
            "last_value",
            "lead",
            "nth_value",
            "ntile",
            "percent_rank",
            "rank",
            "row_number",
        ),
    ),
}

#: Spark built-ins the reference does not list that earlier releases of the mock ran, kept so
#: that suites written against them keep passing (README, Assumptions).
SPARK_FUNCTIONS_KEPT: tuple[str, ...] = ("concat_ws",)

#: Every function name a SPARK collaboration's query may call, lower case.
SPARK_FUNCTIONS: frozenset[str] = frozenset(
    [name for _, _, names in SPARK_FUNCTION_CATEGORIES.values() for name in names]
    + list(SPARK_FUNCTIONS_KEPT)
)
