"""Spark 3.5's name of an unaliased output column (its ``toPrettySQL``; checked against
pyspark 3.5.9): the SPARK half of :mod:`.names`, whose docstring gives the rules.

sqlglot's tree forgets some of how the query was written (``nvl`` is ``COALESCE``, ``10L`` a
cast); that is read back from the query's text at the positions sqlglot keeps
(:func:`_mark_written`). README, Assumptions. Imported on first use (it imports sqlglot).
"""

from __future__ import annotations

import re
from decimal import Decimal

from sqlglot import exp

__all__ = ["spark_name", "unary_plus"]

#: Spark's default window frames: with an ORDER BY, from the start to the current row (ROWS
#: for the ranking functions, RANGE for the others); without one, the whole partition.
_WHOLE = "ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING"
_RANKING = (exp.RowNumber, exp.Rank, exp.DenseRank, exp.PercentRank, exp.Ntile)
_UNPARENTHESIZED = (exp.Like, exp.ILike, exp.RegexpLike, exp.Dot)
#: A function call's text: its name and an opening parenthesis.
_CALL = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\(")


def spark_name(value: exp.Expr, sql: str | None = None) -> str:
    """``value`` as Spark 3.5 names an unaliased projection of it (``upper(tier)``,
    ``count(1)``, ``nvl(age, 0)``); ``sql`` is the text it was parsed from, if known (the
    names functions and literals are written with are read from it)."""
    root = value.copy()
    if sql is not None:
        _mark_written(root, sql)
    # children before parents, without recursion (an expression can nest deeply)
    for node in reversed(list(root.walk(bfs=False))):
        parent, key, index = node.parent, node.arg_key, node.index
        pretty = _pretty(node, top=node is root)
        if node.meta.get("unary_plus"):
            pretty = _named(f"(+ {_text(pretty)})")
        if pretty is node:
            continue
        if node is root:
            root = pretty
        elif parent is not None and key:
            parent.set(key, pretty, index)
    return _text(root)


def _mark_written(root: exp.Expr, sql: str) -> None:
    """Notes on ``root``'s nodes what sqlglot's tree forgets of how they were written: a
    function's name, a literal's token (``1e3``, ``10L``), a typed literal's keyword
    (``DATE '2020-01-01'``), a unary plus, ``x IS NOT NULL`` against ``NOT x IS NULL``."""
    for node in root.walk():
        if isinstance(node, (exp.Func, exp.Mod)) and not isinstance(node, exp.Cast):
            _note_name(node, sql)
        start, end = _span(node)
        if start is None or end is None or end >= len(sql):
            continue
        if isinstance(node, exp.Literal):
            node.meta["token"] = sql[start : end + 1]
            keyword = re.search(r"([A-Za-z_]+)\s*$", sql[:start])
            cast = node.parent
            if keyword and isinstance(cast, exp.Cast) and not isinstance(cast, exp.TryCast):
                cast.meta["typed"] = keyword.group(1).upper()
        if isinstance(node, (exp.Column, exp.Literal)) and unary_plus(node, sql):
            node.meta["unary_plus"] = True
    for negation in root.find_all(exp.Not):
        first = _first_token(negation.this)
        if not isinstance(negation.this, exp.Is) or first is None:
            continue
        chain = 1
        while isinstance(negation.parent, exp.Not) and negation.parent is not None:
            negation, chain = negation.parent, chain + 1
        nots = re.search(r"(?:\bNOT[\s(]*)*$", sql[:first], re.IGNORECASE)
        written = len(re.findall(r"\bNOT\b", nots.group() if nots else "", re.IGNORECASE))
        if chain > written:
            innermost = negation
            for _ in range(written):
                innermost = innermost.this
            innermost.meta["postfix"] = True


def _span(node: exp.Expr) -> tuple[int | None, int | None]:
    """Where ``node``'s own token is in the text (a column's: its name's), if known."""
    where = node.this.meta if isinstance(node, exp.Column) else node.meta
    start, end = where.get("start"), where.get("end")
    return (start, end) if isinstance(start, int) and isinstance(end, int) else (None, None)


def _first_token(node: exp.Expr, inner: bool = False) -> int | None:
    """Where the first token of ``node`` (``inner``: of its arguments) with a known place
    starts in the text."""
    nodes = (n for n in node.walk() if not (inner and n is node))
    starts = [s for s in (n.meta.get("start") for n in nodes) if isinstance(s, int)]
    return min(starts) if starts else None


def _note_name(node: exp.Expr, sql: str) -> None:
    """Notes the name a function call is written with: its token's text, or the word before
    its first argument's opening parenthesis (``floor(ceil(age``: the outer call's ``floor``,
    the inner's ``ceil``). A call with no word of its own is one sqlglot added (``year(x)``
    reads ``YEAR(TO_DATE(x))``): noted ``implicit``, it is named by its argument."""
    start, end = node.meta.get("start"), node.meta.get("end")
    first = _first_token(node, inner=True)
    outer = node.parent
    while outer is not None and not (isinstance(outer, exp.Func) and "depth" in outer.meta):
        outer = outer.parent
    shared = outer is not None and _first_token(outer, inner=True) == first
    depth = int(outer.meta["depth"]) + 1 if outer is not None and shared else 0
    if isinstance(start, int) and isinstance(end, int):
        node.meta.update(written=sql[start : end + 1].lower(), depth=depth)
        return
    if first is None:
        return
    tail = re.search(r"(?:(?:[A-Za-z_][A-Za-z0-9_]*)?\s*\(\s*)*$", sql[:first])
    calls = [
        n for n in re.findall(r"([A-Za-z_][A-Za-z0-9_]*)?\s*\(", tail.group() if tail else "") if n
    ]
    if depth < len(calls):
        node.meta.update(written=calls[depth].lower(), depth=depth)
    elif shared:
        node.meta.update(implicit=True, depth=depth - 1)


def unary_plus(node: exp.Expr, sql: str) -> bool:
    """Whether a ``+`` written right before ``node`` is a unary plus."""
    start, _ = _span(node)
    return start is not None and bool(_UNARY_PLUS.search(sql[:start].rstrip()))


#: A ``+`` right before a token that is not the right side of an addition: a unary plus.
_UNARY_PLUS = re.compile(
    r"(?:^|[(,=<>*/%|&^~+-]|\b(?:SELECT|DISTINCT|ALL|WHEN|THEN|ELSE|AND|OR|NOT|BY|IN))\s*\+$",
    re.IGNORECASE,
)
#: Functions Spark names in upper case (their expression's ``prettyName`` is the SQL name).
_UPPER = frozenset(
    [
        "power",
        "floor",
        "ceil",
        "signum",
        "sqrt",
        "log",
        "log10",
        "exp",
        "cos",
        "sin",
        "tan",
        "cot",
        "acos",
        "asin",
        "atan",
        "atan2",
        "cosh",
        "sinh",
        "tanh",
        "acosh",
        "asinh",
        "atanh",
        "sec",
        "csc",
        "cbrt",
        "log2",
        "log1p",
        "expm1",
        "degrees",
        "radians",
        "hypot",
        "pi",
        "e",
        "rank",
        "dense_rank",
        "percent_rank",
        "regexp",
        "regexp_like",
        "rlike",
    ]
)
#: Functions Spark names by another name than the one written.
_RENAMED = {"dateadd": "date_add", "position": "locate"}


def _named(text: str, column: bool = False) -> exp.Expr:
    named = exp.var(text)
    if column:
        named.meta["column"] = True
    return named


def _text(node: exp.Expr | None) -> str:
    return "" if node is None else node.sql(dialect="spark", normalize_functions="lower")


def _call(name: str, *arguments: exp.Expr | str | None) -> exp.Expr:
    """``name(a, b)``: each argument's name, a string as it is; None ends the list."""
    texts: list[str] = []
    for argument in arguments:
        if argument is None:
            break
        texts.append(argument if isinstance(argument, str) else _text(argument))
    return _named(f"{name}({', '.join(texts)})")


def _function_name(node: exp.Func) -> str:
    written = node.meta.get("written")
    if not isinstance(written, str):
        generated = re.match(r"[A-Za-z_][A-Za-z0-9_]*", _text(node))
        written = (generated.group() if generated else node.sql_name()).lower()
    written = _RENAMED.get(written, written)
    return written.upper() if written in _UPPER else written


def _java_double(value: float) -> str:
    """``value`` as Java's ``Double.toString`` writes it (``1000.0``, ``1.0E10``)."""
    if value == 0 or 1e-3 <= abs(value) < 1e7:
        text = repr(value)
        return text if "." in text or "e" in text else text + ".0"
    digits = Decimal(repr(value)).normalize().as_tuple()
    figures = "".join(str(d) for d in digits.digits)
    exponent = len(figures) + int(digits.exponent) - 1
    sign = "-" if digits.sign else ""
    return f"{sign}{figures[0]}.{figures[1:] or '0'}E{exponent}"


def _literal(node: exp.Literal) -> exp.Expr | None:
    """A number written with an exponent or a type suffix (``1e3``, ``10L``) as Spark names
    it (``1000.0``, ``10``); None for any other literal."""
    token = node.meta.get("token")
    if node.is_string or not isinstance(token, str):
        return None
    suffix = re.fullmatch(r"([0-9.eE+-]+)(BD|[LSYDF])?", token, re.IGNORECASE)
    if suffix is None:
        return None
    number, kind = suffix.group(1), (suffix.group(2) or "").upper()
    if kind in ("L", "S", "Y", "BD"):
        return _named(number)
    if kind in ("D", "F") or "e" in number.lower():
        return _named(_java_double(float(number)))
    return None


def _cast(node: exp.Cast, top: bool) -> exp.Expr | None:
    """A cast of a column as Spark names it (the column's name), a typed literal
    (``DATE '2020-01-01'``) or a suffixed number (``10L``); None for other casts."""
    inner = node.this
    if top and isinstance(inner, exp.Var) and inner.meta.get("column"):
        return _named(inner.name, column=True)
    typed = node.meta.get("typed")
    if isinstance(inner, exp.Var) and isinstance(typed, str):
        return _named(f"{typed} '{inner.name}'")
    if isinstance(inner, exp.Var) and inner.meta.get("number"):
        return inner
    if isinstance(inner, exp.Var) and inner.meta.get("untokened"):  # 2.5BD
        return inner
    return None


def _struct(node: exp.Struct) -> exp.Expr:
    name = _function_name(node)
    fields: list[str] = []
    for field in node.expressions:
        if not isinstance(field, exp.PropertyEQ):
            fields.append(_text(field))
            continue
        key, value = field.this.name, field.expression
        if name == "named_struct":
            fields += [key, _text(value)]
        elif isinstance(value, exp.Var) and value.meta.get("column") and value.name == key:
            fields.append(key)
        elif re.fullmatch(r"col[0-9]+", key) and not value.meta.get("column"):
            fields.append(_text(value))
        else:
            fields.append(f"{_text(value)} AS {key}")
    return _call(name, *fields)


def _window(node: exp.Window) -> exp.Expr:
    """A window with Spark's frame: the default one, or a lag/lead's one row."""
    function = node.this
    offset = re.fullmatch(r"(lag|lead)\((.*)\)", _text(function))
    if offset and not isinstance(node.args.get("spec"), exp.Var):
        steps = node.meta.get("offset", "1")
        row = f"-{steps}" if offset.group(1) == "lag" else steps
        node.set("spec", exp.var(f"ROWS BETWEEN {row} FOLLOWING AND {row} FOLLOWING"))
    elif node.args.get("spec") is None:
        frame = _WHOLE
        if node.args.get("order"):
            ranking = function.meta.get("ranking")
            kind = "ROWS" if ranking else "RANGE"
            frame = f"{kind} BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW"
        node.set("spec", exp.var(frame))
    return node


def _binary(node: exp.Expr) -> exp.Expr | None:
    """The operators Spark writes otherwise than sqlglot; None for the others."""
    left, right = _text(node.this), _text(node.args.get("expression"))
    if isinstance(node, exp.DPipe):
        return _named(f"concat({left}, {right})")
    if isinstance(node, exp.NEQ):
        return _named(f"(NOT ({left} = {right}))")
    if isinstance(node, exp.NullSafeEQ):
        return _named(f"({left} <=> {right})")
    if isinstance(node, exp.NullSafeNEQ):
        return _named(f"(NOT ({left} <=> {right}))")
    if isinstance(node, exp.Mod) and node.meta.get("written") == "mod":
        return _named(f"mod({left}, {right})")
    if isinstance(node, exp.IntDiv):
        return _named(f"({left} div {right})")
    if isinstance(node, exp.RegexpLike):
        name = node.meta.get("written", "rlike")
        return _named(f"{str(name).upper()}({left}, {right})")
    if isinstance(node, exp.ILike):
        return _named(f"ilike({left}, {right})")
    return None


def _negated(node: exp.Expr, text: exp.Expr) -> exp.Expr:
    """``text`` of a ``NOT LIKE``/``NOT ILIKE``/``NOT RLIKE`` as Spark names it."""
    return _named(f"(NOT {_text(text)})") if node.args.get("negate") else text


def _function(node: exp.Func) -> exp.Expr | None:
    """The functions Spark names otherwise than sqlglot writes them; None for the others."""
    name, arg = _function_name(node), node.args.get
    if isinstance(node, exp.Anonymous) and name in ("isnull", "isnotnull") and node.expressions:
        middle = "IS NULL" if name == "isnull" else "IS NOT NULL"
        return _named(f"({_text(node.expressions[0])} {middle})")
    if isinstance(node, exp.If) and not isinstance(node.parent, exp.Case):
        return _named(f"(IF({_text(node.this)}, {_text(arg('true'))}, {_text(arg('false'))}))")
    if isinstance(node, exp.Coalesce):
        return _call(name, node.this, *node.expressions)
    if isinstance(node, exp.Substring):
        return _call(name, node.this, arg("start"), arg("length") or "2147483647")
    if isinstance(node, exp.Round) and not arg("decimals"):
        return _call(name, node.this, "0")
    if isinstance(node, exp.ApproxQuantile):
        return _call(name, node.this, arg("quantile"), arg("accuracy") or "10000")
    if isinstance(node, exp.Quantile):
        return _call(name, node.this, arg("quantile"), "1")
    if isinstance(node, exp.RegexpSplit):
        return _call(name, node.this, arg("expression"), arg("limit") or "-1")
    if isinstance(node, exp.RegexpReplace):
        return _call(name, node.this, arg("expression"), arg("replacement"), arg("position") or "1")
    if isinstance(node, exp.StrPosition):
        if name == "instr":
            return _call(name, node.this, arg("substr"))
        return _call("locate", arg("substr"), node.this, arg("position") or "1")
    if isinstance(node, exp.MonthsBetween):
        return _call(name, node.this, arg("expression"), arg("roundoff") or "true")
    if isinstance(node, exp.ApproxDistinct):
        return _call(name, node.this)
    if isinstance(node, (exp.Lag, exp.Lead)):
        return _call(name, node.this, arg("offset") or "1", arg("default") or "NULL")
    if isinstance(node, (exp.CurrentDate, exp.CurrentTimestamp)):
        return _named(f"{name}()")
    if isinstance(node, exp.TsOrDsAdd):
        amount = arg("expression")
        amount = amount.this if isinstance(amount, exp.Paren) else amount
        amount = amount.this if name == "date_sub" and isinstance(amount, exp.Mul) else amount
        return _call(name, node.this, amount)
    if isinstance(node, exp.VarMap):
        keys, values = arg("keys"), arg("values")
        pairs = zip(keys.expressions, values.expressions, strict=False) if keys and values else ()
        return _call(name, *[text for pair in pairs for text in pair])
    if isinstance(node, exp.Struct):
        return _struct(node)
    if isinstance(node, exp.Extract):
        return _named(f"extract({_text(node.this)} FROM {_text(arg('expression'))})")
    if isinstance(node, exp.Pow):
        return _call(name, node.this, arg("expression"))
    if isinstance(node, exp.Log) and name in ("LOG2", "LOG10"):
        return _call(name, arg("expression"))
    if isinstance(node, exp.TimeToStr):
        moment = node.this.this if isinstance(node.this, exp.Cast) else node.this
        return _call(name, moment, arg("format"))
    if isinstance(node, exp.TimestampTrunc | exp.DateTrunc):
        given = arg("unit")
        unit = _named(given.name) if isinstance(given, exp.Expr) else None
        ordered = (node.this, unit) if name == "trunc" else (unit, node.this)
        return _call(name, *ordered)
    written = _text(node)
    generated = re.match(r"[A-Za-z_][A-Za-z0-9_]*\(", written)
    if generated and generated.group()[:-1] != name:
        return _named(name + written[generated.end() - 1 :])
    return None


def _pretty(node: exp.Expr, top: bool = False) -> exp.Expr:
    """One node as Spark's ``usePrettyExpression`` prints it (children come first); ``top``:
    the projection itself (a cast of a column there is named by the column)."""
    if isinstance(node, exp.Column) and not isinstance(node.this, exp.Star):
        return _named(node.name, column=True)
    if isinstance(node, exp.Literal) and node.is_string:
        token = str(node.meta.get("token", ""))
        quoted = len(token) > 1 and token[0] == token[-1] == "'"
        text = _named(token[1:-1].replace("''", "'") if quoted else node.this)
        text.meta["untokened"] = "token" not in node.meta
        return text
    if isinstance(node, exp.Literal):
        number = _literal(node)
        if number is not None:
            number.meta["number"] = True
            return number
        if isinstance(node.parent, (exp.Lag, exp.Lead)) and node.arg_key == "offset":
            window = node.parent.parent
            if isinstance(window, exp.Window):
                window.meta["offset"] = node.this
        return node
    if isinstance(node, exp.Boolean):
        return _named("true" if node.this else "false")
    if isinstance(node, exp.Count) and isinstance(node.this, exp.Star):
        return exp.Count(this=exp.Literal.number(1))
    if isinstance(node, exp.Paren):
        inner: exp.Expr = node.this
        return inner
    if isinstance(node, exp.Neg):
        if node.this.meta.get("number") or isinstance(node.this, exp.Literal):
            return _named(f"-{_text(node.this)}")
        return _named(f"(- {_text(node.this)})")
    if isinstance(node, (exp.IgnoreNulls, exp.RespectNulls)):
        inner_call: exp.Expr = node.this
        return inner_call
    if isinstance(node, exp.PropertyEQ) and isinstance(node.parent, exp.Struct):
        return node
    if isinstance(node, exp.Ordered):
        direction = "DESC NULLS LAST" if node.args.get("desc") else "ASC NULLS FIRST"
        return _named(f"{_text(node.this)} {direction}")
    if isinstance(node, exp.Window):
        return _window(node)
    if isinstance(node, exp.Cast):
        cast = _cast(node, top)
        if cast is not None:
            return cast
        return node
    if isinstance(node, exp.Between):
        low, high = _text(node.args.get("low")), _text(node.args.get("high"))
        item = _text(node.this)
        return _named(f"(({item} >= {low}) AND ({item} <= {high}))")
    if isinstance(node, exp.Case) and node.this is not None:
        subject = _text(node.this)
        branches = " ".join(
            f"WHEN ({subject} = {_text(branch.this)}) THEN {_text(branch.args.get('true'))}"
            for branch in node.args.get("ifs", [])
        )
        default = node.args.get("default")
        otherwise = f" ELSE {_text(default)}" if default is not None else ""
        return _named(f"CASE {branches}{otherwise} END")
    if isinstance(node, exp.Not):
        negated = node.this.this if isinstance(node.this, exp.Paren) else node.this
        if isinstance(negated, exp.Is) and node.meta.get("postfix"):
            return _named(f"({_text(negated.this)} IS NOT {_text(negated.expression)})")
        return _named(f"(NOT {_text(node.this)})")
    if node.meta.get("implicit"):
        argument = node.this
        return argument if isinstance(argument, exp.Expr) else node
    if isinstance(node, exp.Func):
        function = _function(node)
        named = node if function is None else function
        if isinstance(node, _RANKING):
            named.meta["ranking"] = True
        if function is not None:
            return function
    if isinstance(node, (exp.Binary, exp.Like, exp.ILike, exp.RegexpLike)):
        operator = _binary(node)
        if operator is not None:
            return _negated(node, operator)
        if isinstance(node, exp.Like) and node.args.get("negate"):
            node.set("negate", None)
            return _negated(exp.Like(negate=True), node)
    if isinstance(node, (exp.Binary, exp.In, exp.Is)) and not isinstance(node, _UNPARENTHESIZED):
        if isinstance(node, exp.Func) and _CALL.match(_text(node)):
            return node
        return exp.Paren(this=node)
    return node
