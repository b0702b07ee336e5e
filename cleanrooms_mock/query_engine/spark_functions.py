"""The functions a query of a SPARK collaboration may call: AWS's Clean Rooms Spark SQL reference.

"AWS Clean Rooms Spark SQL supports the following SQL functions" (SQL reference, "AWS Clean
Rooms Spark SQL functions", https://docs.aws.amazon.com/clean-rooms/latest/sql-reference/
sql-functions-topic-spark.html) lists fifteen categories, each a page of functions. The names
below are those pages' entries, by category, with the page they come from: each category was
read entry by entry (``read``) from the reference's index of pages
(https://docs.aws.amazon.com/clean-rooms/latest/sql-reference/llms.txt) and the functions' own
pages, which also name the synonyms kept here (``stddev`` of ``stddev_samp``, ``variance`` of
``var_samp``, ``ceil`` of ``ceiling``). A category whose list could not be confirmed would be
marked ``recalled`` (README, Assumptions). Plain data: no import of sqlglot here
(:mod:`.surface` uses it).
"""

from __future__ import annotations

__all__ = [
    "SPARK_FUNCTIONS",
    "SPARK_FUNCTIONS_KEPT",
    "SPARK_FUNCTIONS_NOT_RUN",
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
        "read",
        (
            "any_value",
            "approx_count_distinct",
            "approx_percentile",
            "avg",
            "bool_and",
            "bool_or",
            "cardinality",
            "collect_list",
            "collect_set",
            "count",
            "max",
            "median",
            "min",
            "percentile",
            "skewness",
            "stddev",  # STDDEV_functions.html: a synonym of stddev_samp
            "stddev_pop",
            "stddev_samp",
            "sum",
            "var_pop",
            "var_samp",
            "variance",  # VARIANCE_functions.html: a synonym of var_samp
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
        "read",
        (
            "coalesce",
            "greatest",
            "if",
            "is_not_null",
            "is_null",
            "least",
            "nullif",
            "nvl",
            "nvl2",
        ),
    ),
    "constructor": (
        _PAGE + "sql-functions-constructor.html",
        "read",
        ("map", "named_struct", "struct"),
    ),
    "data type formatting": (
        _PAGE + "Data_type_formatting.html",
        "read",
        (
            "base64",
            "cast",
            "decode",
            "encode",
            "hex",
            "str_to_map",
            "to_char",
            "to_date",
            "to_number",
            "unbase64",
            "unhex",
        ),
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
        "read",
        ("aes_decrypt", "aes_encrypt"),
    ),
    "hash": (
        _PAGE + "s_hash-functions.html",
        "read",
        ("md5", "sha", "sha1", "sha2", "xxhash64"),
    ),
    "hyperloglog": (
        _PAGE + "hyperloglog-functions.html",
        "read",
        ("hll_sketch_agg", "hll_sketch_estimate", "hll_union", "hll_union_agg"),
    ),
    "json": (
        _PAGE + "json-functions-spark.html",
        "read",
        ("get_json_object", "to_json"),
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
    "privacy-related": (
        _PAGE + "privacy-related-functions.html",
        "read",
        ("consent_gpp_v1_decode", "consent_tcf_v2_decode"),
    ),
    "scalar": (
        _PAGE + "scalar_functions.html",
        "read",
        ("size",),
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
        "read",
        (
            "cume_dist",
            "dense_rank",
            "first",
            "first_value",
            "lag",
            "last",
            "last_value",
            "lead",
            "percent_rank",
            "rank",
            "row_number",
        ),
    ),
}

#: Spark built-ins the reference does not list that earlier releases of the mock ran, kept so
#: that suites written against them keep passing (README, Assumptions): ``listagg`` (and
#: ``string_agg``, the same sqlglot class) was in the aggregate list before it was read.
SPARK_FUNCTIONS_KEPT: tuple[str, ...] = ("concat_ws", "listagg")

#: Functions of the reference DuckDB has no equivalent of (AES, Apache DataSketches' HLL
#: sketches, IAB consent strings): a query calling one passes the checks, then fails with a
#: message naming the function as one the mock cannot run (README, Assumptions).
SPARK_FUNCTIONS_NOT_RUN: frozenset[str] = frozenset(
    SPARK_FUNCTION_CATEGORIES["encryption and decryption"][2]
    + SPARK_FUNCTION_CATEGORIES["hyperloglog"][2]
    + SPARK_FUNCTION_CATEGORIES["privacy-related"][2]
)

#: Every function name a SPARK collaboration's query may call, lower case.
SPARK_FUNCTIONS: frozenset[str] = frozenset(
    [name for _, _, names in SPARK_FUNCTION_CATEGORIES.values() for name in names]
    + list(SPARK_FUNCTIONS_KEPT)
)
