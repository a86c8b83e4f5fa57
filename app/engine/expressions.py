"""Safe evaluation of BPMN gateway conditions and timer expressions.

HR staff author the BPMN diagrams, so the expressions inside them are
untrusted text.  They are *never* handed to ``eval``/``exec``/``compile``.
Instead the text is parsed with ``ast.parse(text, mode="eval")``, checked
against an allow-list of node types (:func:`validate`) and then walked by a
small explicit interpreter (:func:`evaluate`).

Name resolution rules
---------------------
* ``True``/``False``/``None`` are constants in the AST.
* A bare name in *callee* position (``len(x)``) resolves only against the
  function map (:data:`ALLOWED_FUNCTIONS` plus the optional ``functions``
  argument).  Task data can therefore never inject a callable.
* Every other name resolves only against the task ``data`` mapping; a
  missing name raises :class:`ExpressionError`.
* Names (and attribute names) starting with ``_`` are always refused.

Attribute access exists only as a method call on a short allow-list:
``lower``, ``upper``, ``strip``, ``startswith``, ``endswith`` on strings and
``get`` on mappings.

Messages are for HR staff: why an expression is refused is shown in the diagram
designer / deploy checks in the reader's language (:class:`UnsafeExpression`),
and an evaluation failure is stored as the case's error, in Bahasa Indonesia.
"""

from __future__ import annotations

import ast
import copy
import functools
import operator
from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime
from decimal import Decimal
from types import MappingProxyType
from typing import Any

from flask_babel import lazy_gettext as _l

from app.core import clock
from app.core.language import stored

__all__ = [
    "ALLOWED_FUNCTIONS",
    "ALLOWED_METHODS",
    "ExpressionError",
    "MAX_DEPTH",
    "MAX_EXPRESSION_LENGTH",
    "MAX_RESULT_SIZE",
    "UnsafeExpression",
    "evaluate",
    "names_used",
    "validate",
]

#: Longest expression text accepted (characters, after stripping whitespace).
MAX_EXPRESSION_LENGTH = 2000
#: Deepest AST nesting accepted (the ``Expression`` root is depth 0).
MAX_DEPTH = 50
#: Largest string/list/tuple (in characters/items, nested items counted)
#: that ``*`` or ``+`` may produce.
MAX_RESULT_SIZE = 100_000
_CACHE_SIZE = 2048


# --------------------------------------------------------------------------
# Exceptions
# --------------------------------------------------------------------------


class UnsafeExpression(ValueError):
    """The expression text is not allowed (or cannot be parsed at all).

    ``message`` is lazy: the designer's list shows it in the reader's language.
    ``str()`` is the app's own language, because an expression refused only at
    run time becomes the case's stored error (Spiff's included)."""

    def __init__(self, message, expression: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.expression = expression

    def __str__(self) -> str:
        return stored(self.message)


class ExpressionError(Exception):
    """The expression is allowed but failed while being evaluated."""

    def __init__(self, message: str, expression: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.expression = expression


# --------------------------------------------------------------------------
# Allowed functions
# --------------------------------------------------------------------------

_NUMBER_TYPES = (int, float, Decimal)


def _to_date(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        text = value.strip()
        try:
            return date.fromisoformat(text)
        except ValueError:
            pass
        try:
            return datetime.fromisoformat(text).date()
        except ValueError:
            pass
        raise ValueError(f"nilai {value!r} bukan tanggal ISO (YYYY-MM-DD)")
    raise TypeError(f"nilai bertipe {type(value).__name__} bukan tanggal")


def _date(*args: Any) -> date:
    """``datetime.date`` constructor; also accepts a single ISO string/date."""
    if len(args) == 1 and isinstance(args[0], (str, date)):
        return _to_date(args[0])
    return date(*args)


def _today() -> date:
    """Outside a workflow step (a designer's check): today in the default zone. A step replaces
    this with its own clock (`app.engine.script_engine`)."""
    return clock.today(None)


def _days_between(a: Any, b: Any) -> int:
    """Whole days from ``a`` to ``b`` (``b - a``); dates or ISO date strings."""
    return (_to_date(b) - _to_date(a)).days


def _contains(collection: Any, item: Any) -> bool:
    """``item in collection``; ``None`` counts as an empty collection."""
    if collection is None:
        return False
    return item in collection


def _sum(iterable: Any, start: Any = 0) -> Any:
    """``sum`` restricted to numbers (``sum(lists, [])`` would be quadratic)."""
    if isinstance(start, bool) or not isinstance(start, _NUMBER_TYPES):
        raise TypeError("sum hanya dapat menjumlahkan angka")
    total = start
    for item in iterable:
        if not isinstance(item, _NUMBER_TYPES):
            raise TypeError(
                f"sum hanya dapat menjumlahkan angka, bukan {type(item).__name__}"
            )
        total = total + item
    return total


#: Functions callable from expressions (read-only).  Extra or replacement
#: functions (e.g. a fixed ``today`` in tests) can be passed to
#: :func:`evaluate` / :func:`validate` through their ``functions`` argument.
ALLOWED_FUNCTIONS: Mapping[str, Callable[..., Any]] = MappingProxyType(
    {
        "len": len,
        "min": min,
        "max": max,
        "abs": abs,
        "round": round,
        "int": int,
        "float": float,
        "str": str,
        "bool": bool,
        "sum": _sum,
        "any": any,
        "all": all,
        "sorted": sorted,
        "date": _date,
        "today": _today,
        "days_between": _days_between,
        "contains": _contains,
    }
)

_STR_METHODS: dict[str, Callable[..., Any]] = {
    "lower": str.lower,
    "upper": str.upper,
    "strip": str.strip,
    "startswith": str.startswith,
    "endswith": str.endswith,
}
_MAPPING_METHODS = frozenset({"get"})
#: Method names that may be called (``text.lower()``, ``mapping.get(k, d)``).
ALLOWED_METHODS = frozenset(_STR_METHODS) | _MAPPING_METHODS


# --------------------------------------------------------------------------
# Static validation
# --------------------------------------------------------------------------

_BIN_OPS: dict[type, tuple[str, Callable[[Any, Any], Any]]] = {
    ast.Add: ("+", operator.add),
    ast.Sub: ("-", operator.sub),
    ast.Mult: ("*", operator.mul),
    ast.Div: ("/", operator.truediv),
    ast.FloorDiv: ("//", operator.floordiv),
    ast.Mod: ("%", operator.mod),
}
_REFUSED_BIN_OPS = {
    ast.Pow: _l("operator pangkat '**'"),
    ast.MatMult: "operator '@'",
    ast.BitOr: "operator '|'",
    ast.BitAnd: "operator '&'",
    ast.BitXor: "operator '^'",
    ast.LShift: "operator '<<'",
    ast.RShift: "operator '>>'",
}
_UNARY_OPS: dict[type, tuple[str, Callable[[Any], Any]]] = {
    ast.Not: ("not", operator.not_),
    ast.USub: ("-", operator.neg),
    ast.UAdd: ("+", operator.pos),
}
_CMP_OPS: dict[type, tuple[str, Callable[[Any, Any], Any]]] = {
    ast.Eq: ("==", operator.eq),
    ast.NotEq: ("!=", operator.ne),
    ast.Lt: ("<", operator.lt),
    ast.LtE: ("<=", operator.le),
    ast.Gt: (">", operator.gt),
    ast.GtE: (">=", operator.ge),
    ast.Is: ("is", operator.is_),
    ast.IsNot: ("is not", operator.is_not),
    ast.In: ("in", lambda a, b: a in b),
    ast.NotIn: ("not in", lambda a, b: a not in b),
}
_ALLOWED_CONSTANT_TYPES = (str, int, float, bool, type(None))

_REFUSED_NODES = {
    ast.Lambda: "lambda",
    ast.ListComp: "list comprehension",
    ast.SetComp: "set comprehension",
    ast.DictComp: "dict comprehension",
    ast.GeneratorExp: "generator expression (comprehension)",
    ast.NamedExpr: _l("operator walrus ':='"),
    ast.JoinedStr: "f-string",
    ast.FormattedValue: "f-string",
    ast.Starred: _l("operator bintang '*' (unpacking)"),
    ast.Await: "await",
    ast.Yield: "yield",
    ast.YieldFrom: "yield from",
}


def _not_allowed(what, text: str) -> UnsafeExpression:
    return UnsafeExpression(_l("Ekspresi tidak diizinkan: %(what)s", what=what), text)


class _Checker:
    """Recursive allow-list check of a parsed expression."""

    def __init__(self, text: str, function_names: frozenset[str]) -> None:
        self.text = text
        self.function_names = function_names

    def check(self, node: ast.AST, depth: int = 0) -> None:
        if depth > MAX_DEPTH:
            raise UnsafeExpression(
                _l("Ekspresi terlalu dalam bersarang (lebih dari %(depth)s "
                   "tingkat); sederhanakan ekspresinya", depth=MAX_DEPTH),
                self.text,
            )
        refused = _REFUSED_NODES.get(type(node))
        if refused is not None:
            raise _not_allowed(refused, self.text)
        handler = getattr(self, "_check_" + type(node).__name__, None)
        if handler is None:
            raise _not_allowed(_l("konstruksi %(node)s", node=type(node).__name__), self.text)
        handler(node, depth + 1)

    def _check_Expression(self, node: ast.Expression, depth: int) -> None:
        self.check(node.body, depth)

    def _check_BoolOp(self, node: ast.BoolOp, depth: int) -> None:
        if not isinstance(node.op, (ast.And, ast.Or)):  # pragma: no cover
            raise _not_allowed(_l("operator logika tidak dikenal"), self.text)
        for value in node.values:
            self.check(value, depth)

    def _check_BinOp(self, node: ast.BinOp, depth: int) -> None:
        op_type = type(node.op)
        if op_type not in _BIN_OPS:
            what = _REFUSED_BIN_OPS.get(op_type, f"operator {op_type.__name__}")
            raise _not_allowed(what, self.text)
        self.check(node.left, depth)
        self.check(node.right, depth)

    def _check_UnaryOp(self, node: ast.UnaryOp, depth: int) -> None:
        if type(node.op) not in _UNARY_OPS:
            what = "operator '~'" if isinstance(node.op, ast.Invert) else (
                f"operator {type(node.op).__name__}"
            )
            raise _not_allowed(what, self.text)
        self.check(node.operand, depth)

    def _check_Compare(self, node: ast.Compare, depth: int) -> None:
        for op in node.ops:
            if type(op) not in _CMP_OPS:  # pragma: no cover - all are allowed
                raise _not_allowed(_l("perbandingan %(operator)s", operator=type(op).__name__), self.text)
        self.check(node.left, depth)
        for comparator in node.comparators:
            self.check(comparator, depth)

    def _check_IfExp(self, node: ast.IfExp, depth: int) -> None:
        self.check(node.test, depth)
        self.check(node.body, depth)
        self.check(node.orelse, depth)

    def _check_Constant(self, node: ast.Constant, depth: int) -> None:
        value = node.value
        if value is Ellipsis:
            raise _not_allowed(_l("konstanta '...' (Ellipsis)"), self.text)
        if not isinstance(value, _ALLOWED_CONSTANT_TYPES):
            raise _not_allowed(
                _l("konstanta bertipe %(type)s", type=type(value).__name__), self.text
            )

    def _check_Name(self, node: ast.Name, depth: int) -> None:
        if not isinstance(node.ctx, ast.Load):
            raise _not_allowed(_l("penugasan ke nama '%(name)s'", name=node.id), self.text)
        if node.id.startswith("_"):
            raise _not_allowed(
                _l("nama '%(name)s' (nama yang diawali '_' dilarang)", name=node.id), self.text
            )

    def _check_elements(self, elts: Iterable[ast.AST], depth: int) -> None:
        for elt in elts:
            self.check(elt, depth)

    def _check_List(self, node: ast.List, depth: int) -> None:
        self._check_elements(node.elts, depth)

    def _check_Tuple(self, node: ast.Tuple, depth: int) -> None:
        self._check_elements(node.elts, depth)

    def _check_Set(self, node: ast.Set, depth: int) -> None:
        self._check_elements(node.elts, depth)

    def _check_Dict(self, node: ast.Dict, depth: int) -> None:
        for key, value in zip(node.keys, node.values):
            if key is None:
                raise _not_allowed("operator '**' (unpacking dict)", self.text)
            self.check(key, depth)
            self.check(value, depth)

    def _check_Subscript(self, node: ast.Subscript, depth: int) -> None:
        if not isinstance(node.ctx, ast.Load):
            raise _not_allowed(_l("penugasan ke elemen"), self.text)
        self.check(node.value, depth)
        self.check(node.slice, depth)

    def _check_Slice(self, node: ast.Slice, depth: int) -> None:
        for part in (node.lower, node.upper, node.step):
            if part is not None:
                self.check(part, depth)

    def _check_Attribute(self, node: ast.Attribute, depth: int) -> None:
        # Reached only for attribute access that is *not* a method call.
        # The receiver is checked first so the left-most problem is reported.
        self.check(node.value, depth)
        if node.attr.startswith("_"):
            raise _not_allowed(_l("akses atribut '%(name)s'", name=node.attr), self.text)
        raise _not_allowed(
            _l("akses atribut '%(name)s' (hanya pemanggilan metode "
               "%(methods)s yang diizinkan)",
               name=node.attr, methods=", ".join(sorted(ALLOWED_METHODS))),
            self.text,
        )

    def _check_Call(self, node: ast.Call, depth: int) -> None:
        func = node.func
        if isinstance(func, ast.Name):
            callee = func.id
            if callee.startswith("_") or callee not in self.function_names:
                raise UnsafeExpression(
                    _l("Fungsi '%(name)s' tidak ada dalam daftar yang diizinkan", name=callee),
                    self.text,
                )
        elif isinstance(func, ast.Attribute):
            self.check(func.value, depth)
            callee = func.attr
            if callee.startswith("_"):
                raise _not_allowed(_l("akses atribut '%(name)s'", name=callee), self.text)
            if callee not in ALLOWED_METHODS:
                raise UnsafeExpression(
                    _l("Metode '%(name)s' tidak ada dalam daftar yang diizinkan", name=callee),
                    self.text,
                )
        else:
            self.check(func, depth)
            raise _not_allowed(
                _l("pemanggilan hanya boleh untuk fungsi atau metode yang "
                   "diizinkan, dipanggil langsung dengan namanya"),
                self.text,
            )
        for keyword in node.keywords:
            if keyword.arg is None:
                raise _not_allowed(
                    _l("operator '**' (unpacking argumen) pada '%(name)s'", name=callee), self.text
                )
            raise _not_allowed(
                _l("argumen kata kunci '%(keyword)s=' pada '%(name)s' "
                   "(gunakan argumen posisi saja)", keyword=keyword.arg, name=callee),
                self.text,
            )
        for arg in node.args:
            self.check(arg, depth)


def _function_names(functions: Mapping[str, Any] | None) -> frozenset[str]:
    names = frozenset(ALLOWED_FUNCTIONS)
    if functions:
        names = names | frozenset(functions)
    return names


def _syntax_error(exc: SyntaxError):
    """Python's own reason, with the line and column when it gives them."""
    if exc.lineno is not None and exc.offset is not None:
        return _l("Ekspresi tidak dapat diurai: %(error)s (baris %(line)s, kolom %(column)s)",
                  error=exc.msg, line=exc.lineno, column=exc.offset)
    if exc.lineno is not None:
        return _l("Ekspresi tidak dapat diurai: %(error)s (baris %(line)s)", error=exc.msg, line=exc.lineno)
    if exc.offset is not None:
        return _l("Ekspresi tidak dapat diurai: %(error)s (kolom %(column)s)", error=exc.msg, column=exc.offset)
    return _l("Ekspresi tidak dapat diurai: %(error)s", error=exc.msg)


def _parse_and_check(text: str, function_names: frozenset[str]) -> ast.Expression:
    source = text.strip()
    if not source:
        raise UnsafeExpression(_l("Ekspresi tidak dapat diurai: ekspresi kosong"), text)
    if len(source) > MAX_EXPRESSION_LENGTH:
        raise UnsafeExpression(
            _l("Ekspresi terlalu panjang (%(length)s karakter; maksimum "
               "%(maximum)s)", length=len(source), maximum=MAX_EXPRESSION_LENGTH),
            text,
        )
    try:
        tree = ast.parse(source, mode="eval")
    except SyntaxError as exc:
        raise UnsafeExpression(_syntax_error(exc), text) from None
    except (ValueError, RecursionError, MemoryError) as exc:
        raise UnsafeExpression(
            _l("Ekspresi tidak dapat diurai: %(error)s", error=str(exc)), text
        ) from None
    _Checker(text, function_names).check(tree)
    return tree


@functools.lru_cache(maxsize=_CACHE_SIZE)
def _validated(text: str, function_names: frozenset[str]) -> ast.Expression:
    """Cached parse + check.  The returned tree is shared: never mutate it."""
    return _parse_and_check(text, function_names)


def _shared_tree(text: Any, function_names: frozenset[str]) -> ast.Expression:
    if not isinstance(text, str):  # also keeps unhashables out of the cache
        raise UnsafeExpression(
            _l("Ekspresi harus berupa teks, bukan %(type)s", type=type(text).__name__), repr(text)
        )
    return _validated(text, function_names)


def validate(
    text: str, functions: Mapping[str, Any] | None = None
) -> ast.Expression:
    """Parse ``text`` and check it against the allow-list.

    Returns the parsed :class:`ast.Expression` (a private copy, so callers
    may inspect it freely).  Raises :class:`UnsafeExpression` for anything
    not allowed, including syntax errors.  ``functions`` names extra callable
    names that will be supplied to :func:`evaluate`.
    """
    return copy.deepcopy(_shared_tree(text, _function_names(functions)))


# --------------------------------------------------------------------------
# Evaluation
# --------------------------------------------------------------------------


def _type_name(value: Any) -> str:
    return type(value).__name__


def _size(value: Any, budget: int) -> int:
    """Expanded size of ``value`` (chars for str, items for containers,
    nested containers counted per reference).  Stops early once ``budget``
    is exceeded, so the cost is O(budget)."""
    total = 0
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, (str, bytes)):
            total += len(item)
        elif isinstance(item, (list, tuple, set, frozenset)):
            total += len(item)
            if total <= budget:
                stack.extend(item)
        elif isinstance(item, Mapping):
            total += len(item)
            if total <= budget:
                stack.extend(item.keys())
                stack.extend(item.values())
        if total > budget:
            return total
    return total


_SEQUENCE_TYPES = (str, list, tuple)


class _Interpreter:
    def __init__(
        self,
        text: str,
        data: Mapping[str, Any],
        functions: Mapping[str, Callable[..., Any]],
    ) -> None:
        self.text = text
        self.data = data
        self.functions = functions

    def error(self, message: str) -> ExpressionError:
        return ExpressionError(message, self.text)

    def run(self, node: ast.AST) -> Any:
        method = getattr(self, "_eval_" + type(node).__name__, None)
        if method is None:  # pragma: no cover - the checker forbids it
            raise self.error(f"Konstruksi {type(node).__name__} tidak didukung")
        return method(node)

    # -- leaves ---------------------------------------------------------
    def _eval_Expression(self, node: ast.Expression) -> Any:
        return self.run(node.body)

    def _eval_Constant(self, node: ast.Constant) -> Any:
        return node.value

    def _eval_Name(self, node: ast.Name) -> Any:
        try:
            return self.data[node.id]
        except KeyError:
            raise self.error(
                f"Variabel '{node.id}' tidak ada dalam data tugas"
            ) from None

    # -- displays ----------------------------------------------------------
    def _eval_List(self, node: ast.List) -> list:
        return [self.run(elt) for elt in node.elts]

    def _eval_Tuple(self, node: ast.Tuple) -> tuple:
        return tuple(self.run(elt) for elt in node.elts)

    def _eval_Set(self, node: ast.Set) -> set:
        values = [self.run(elt) for elt in node.elts]
        try:
            return set(values)
        except TypeError:
            raise self.error(
                "Elemen himpunan harus bernilai yang dapat di-hash "
                "(bukan list/dict)"
            ) from None

    def _eval_Dict(self, node: ast.Dict) -> dict:
        result = {}
        for key_node, value_node in zip(node.keys, node.values):
            key = self.run(key_node)
            value = self.run(value_node)
            try:
                result[key] = value
            except TypeError:
                raise self.error(
                    f"Kunci dict tidak boleh bertipe {_type_name(key)}"
                ) from None
        return result

    # -- operators -----------------------------------------------------------
    def _eval_BoolOp(self, node: ast.BoolOp) -> Any:
        is_and = isinstance(node.op, ast.And)
        value: Any = None
        for value_node in node.values:
            value = self.run(value_node)
            if is_and and not value:
                return value
            if not is_and and value:
                return value
        return value

    def _eval_UnaryOp(self, node: ast.UnaryOp) -> Any:
        symbol, func = _UNARY_OPS[type(node.op)]
        operand = self.run(node.operand)
        try:
            return func(operand)
        except TypeError:
            raise self.error(
                f"Operator '{symbol}' tidak dapat diterapkan pada tipe "
                f"{_type_name(operand)}"
            ) from None

    def _eval_BinOp(self, node: ast.BinOp) -> Any:
        symbol, func = _BIN_OPS[type(node.op)]
        left = self.run(node.left)
        right = self.run(node.right)
        if symbol == "%" and isinstance(left, str):
            raise self.error(
                "Format teks dengan operator '%' tidak diizinkan"
            )
        if symbol == "*":
            self._check_repeat(left, right)
        elif symbol == "+":
            self._check_concat(left, right)
        left, right = _coerce_decimal(left, right)
        try:
            return func(left, right)
        except ZeroDivisionError:
            raise self.error("Pembagian dengan nol") from None
        except (TypeError, ValueError, OverflowError, ArithmeticError) as exc:
            raise self.error(
                f"Operator '{symbol}' tidak dapat diterapkan pada tipe "
                f"{_type_name(left)} dan {_type_name(right)} ({exc})"
            ) from None

    def _too_large(self) -> ExpressionError:
        return self.error(
            f"Hasil ekspresi terlalu besar (lebih dari {MAX_RESULT_SIZE:,} "
            "karakter/elemen)".replace(",", ".")
        )

    def _check_repeat(self, left: Any, right: Any) -> None:
        if isinstance(left, _SEQUENCE_TYPES) and isinstance(right, int):
            seq, count = left, right
        elif isinstance(right, _SEQUENCE_TYPES) and isinstance(left, int):
            seq, count = right, left
        else:
            return
        if count <= 0:
            return
        size = _size(seq, MAX_RESULT_SIZE)
        if size * count > MAX_RESULT_SIZE:
            raise self._too_large()

    def _check_concat(self, left: Any, right: Any) -> None:
        if isinstance(left, _SEQUENCE_TYPES) and isinstance(right, _SEQUENCE_TYPES):
            size = _size(left, MAX_RESULT_SIZE)
            if size <= MAX_RESULT_SIZE:
                size += _size(right, MAX_RESULT_SIZE - size + 1)
            if size > MAX_RESULT_SIZE:
                raise self._too_large()

    def _eval_Compare(self, node: ast.Compare) -> bool:
        left = self.run(node.left)
        for op, comparator in zip(node.ops, node.comparators):
            right = self.run(comparator)
            symbol, func = _CMP_OPS[type(op)]
            a, b = left, right
            if symbol not in ("is", "is not", "in", "not in"):
                a, b = _coerce_dates(a, b)
                a, b = _coerce_decimal(a, b)
            try:
                result = func(a, b)
            except TypeError:
                raise self.error(
                    f"Tidak dapat membandingkan {_type_name(left)} dan "
                    f"{_type_name(right)} dengan '{symbol}'"
                ) from None
            if not result:
                return False
            left = right
        return True

    def _eval_IfExp(self, node: ast.IfExp) -> Any:
        if self.run(node.test):
            return self.run(node.body)
        return self.run(node.orelse)

    # -- subscripts ------------------------------------------------------------
    def _eval_Slice(self, node: ast.Slice) -> slice:
        parts = []
        for part in (node.lower, node.upper, node.step):
            value = None if part is None else self.run(part)
            if value is not None and (
                isinstance(value, bool) or not isinstance(value, int)
            ):
                raise self.error(
                    f"Batas irisan (slice) harus bilangan bulat, bukan "
                    f"{_type_name(value)}"
                )
            parts.append(value)
        if parts[2] == 0:
            raise self.error("Langkah irisan (slice) tidak boleh nol")
        return slice(*parts)

    def _eval_Subscript(self, node: ast.Subscript) -> Any:
        container = self.run(node.value)
        index = self.run(node.slice)
        try:
            return container[index]
        except KeyError:
            raise self.error(f"Kunci {index!r} tidak ada") from None
        except IndexError:
            raise self.error(f"Indeks {index!r} di luar jangkauan") from None
        except (TypeError, ValueError) as exc:
            raise self.error(
                f"Nilai bertipe {_type_name(container)} tidak dapat diakses "
                f"dengan indeks {index!r} ({exc})"
            ) from None

    # -- calls -------------------------------------------------------------------
    def _eval_Call(self, node: ast.Call) -> Any:
        func_node = node.func
        if isinstance(func_node, ast.Attribute):
            receiver = self.run(func_node.value)
            args = [self.run(arg) for arg in node.args]
            return self._call_method(receiver, func_node.attr, args)
        assert isinstance(func_node, ast.Name)  # guaranteed by the checker
        name = func_node.id
        func = self.functions.get(name)
        if func is None or name.startswith("_"):
            raise self.error(
                f"Fungsi '{name}' tidak ada dalam daftar yang diizinkan"
            )
        args = [self.run(arg) for arg in node.args]
        try:
            return func(*args)
        except ExpressionError:
            raise
        except ZeroDivisionError:
            raise self.error(f"Pembagian dengan nol di fungsi '{name}'") from None
        except (TypeError, ValueError, OverflowError, ArithmeticError,
                KeyError, IndexError) as exc:
            raise self.error(f"Gagal memanggil fungsi '{name}': {exc}") from None

    def _call_method(self, receiver: Any, name: str, args: list) -> Any:
        if name in _STR_METHODS:
            if not isinstance(receiver, str):
                raise self.error(
                    f"Metode '{name}' hanya untuk teks, bukan "
                    f"{_type_name(receiver)}"
                )
            method = _STR_METHODS[name]
            try:
                return method(receiver, *args)
            except (TypeError, ValueError) as exc:
                raise self.error(
                    f"Gagal memanggil metode '{name}': {exc}"
                ) from None
        if name in _MAPPING_METHODS:
            if not isinstance(receiver, Mapping):
                raise self.error(
                    f"Metode '{name}' hanya untuk dict, bukan "
                    f"{_type_name(receiver)}"
                )
            if not 1 <= len(args) <= 2:
                raise self.error(
                    "Metode 'get' membutuhkan 1 atau 2 argumen (kunci, default)"
                )
            try:
                return receiver.get(*args)
            except TypeError as exc:
                raise self.error(f"Gagal memanggil metode 'get': {exc}") from None
        raise self.error(  # pragma: no cover - the checker forbids it
            f"Metode '{name}' tidak ada dalam daftar yang diizinkan"
        )


def _coerce_decimal(a: Any, b: Any) -> tuple[Any, Any]:
    """Decimal and float do not mix in Python; fall back to float."""
    if isinstance(a, Decimal) and isinstance(b, float):
        return float(a), b
    if isinstance(b, Decimal) and isinstance(a, float):
        return a, float(b)
    return a, b


def _parse_like(value: date, text: str) -> date | None:
    try:
        if isinstance(value, datetime):
            return datetime.fromisoformat(text.strip())
        return _to_date(text)
    except ValueError:
        return None


def _coerce_dates(a: Any, b: Any) -> tuple[Any, Any]:
    """Let ``due_date < today()`` work when task data holds ISO strings
    (task data is JSON-serialised, so dates usually arrive as strings)."""
    if isinstance(a, date) and isinstance(b, str):
        parsed = _parse_like(a, b)
        if parsed is not None:
            return a, parsed
    elif isinstance(b, date) and isinstance(a, str):
        parsed = _parse_like(b, a)
        if parsed is not None:
            return parsed, b
    return a, b


def evaluate(
    text_or_tree: str | ast.Expression,
    data: Mapping[str, Any] | None,
    functions: Mapping[str, Callable[..., Any]] | None = None,
) -> Any:
    """Evaluate a condition/expression against task ``data``.

    ``text_or_tree`` is expression text (validated and cached) or an
    :class:`ast.Expression` (re-validated on every call).  ``functions``
    adds to / overrides :data:`ALLOWED_FUNCTIONS` (e.g. a fixed ``today``).

    Raises :class:`UnsafeExpression` if the expression is not allowed and
    :class:`ExpressionError` if evaluation fails.
    """
    function_names = _function_names(functions)
    if isinstance(text_or_tree, ast.Expression):
        tree = text_or_tree
        try:
            text = ast.unparse(tree)
        except Exception:  # pragma: no cover - malformed hand-built tree
            text = "<ast>"
        _Checker(text, function_names).check(tree)
    elif isinstance(text_or_tree, str):
        text = text_or_tree
        tree = _validated(text, function_names)
    else:
        raise UnsafeExpression(
            f"Ekspresi harus berupa teks atau ast.Expression, bukan "
            f"{type(text_or_tree).__name__}",
            repr(text_or_tree),
        )
    if data is None:
        data = {}
    elif not isinstance(data, Mapping):
        raise ExpressionError(
            f"Data tugas harus berupa dict, bukan {type(data).__name__}", text
        )
    merged = dict(ALLOWED_FUNCTIONS)
    if functions:
        merged.update(functions)
    interpreter = _Interpreter(text, data, merged)
    try:
        return interpreter.run(tree)
    except (ExpressionError, UnsafeExpression):
        raise
    except RecursionError:
        raise ExpressionError("Ekspresi terlalu dalam bersarang", text) from None
    except MemoryError:
        raise ExpressionError("Hasil ekspresi terlalu besar", text) from None


# --------------------------------------------------------------------------
# Introspection
# --------------------------------------------------------------------------


def names_used(
    text: str | ast.Expression, functions: Mapping[str, Any] | None = None
) -> set[str]:
    """Return the task-data variable names ``text`` reads.

    Function names in callee position (``len`` in ``len(items)``) and
    method names are not included.  Raises :class:`UnsafeExpression` if the
    expression is not allowed.
    """
    function_names = _function_names(functions)
    if isinstance(text, ast.Expression):
        _Checker(ast.unparse(text), function_names).check(text)
        tree = text
    else:
        tree = _shared_tree(text, function_names)
    callees = {
        id(node.func)
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
    }
    return {
        node.id
        for node in ast.walk(tree)
        if isinstance(node, ast.Name) and id(node) not in callees
    }
