"""Tests for app.engine.expressions (safe BPMN condition evaluation)."""

from __future__ import annotations

import ast
from datetime import date, datetime
from decimal import Decimal

import pytest

from app.engine import expressions as ex
from app.engine.expressions import (
    ALLOWED_FUNCTIONS,
    ExpressionError,
    UnsafeExpression,
    evaluate,
    names_used,
    validate,
)

# ---------------------------------------------------------------------------
# Escapes and forbidden constructs: refused at validate(), construct named.
# ---------------------------------------------------------------------------

ESCAPES = [
    # (expression, text that must appear in the message)
    ("().__class__.__base__", "akses atribut '__class__'"),
    ("().__class__.__base__.__subclasses__()", "akses atribut '__class__'"),
    ("''.__class__", "akses atribut '__class__'"),
    ("x[0].__class__", "akses atribut '__class__'"),
    ("x.__dict__", "akses atribut '__dict__'"),
    ("x.__len__()", "akses atribut '__len__'"),
    ("x._private", "akses atribut '_private'"),
    ("x.real", "akses atribut 'real'"),
    ("status.lower", "akses atribut 'lower'"),
    ("__import__('os')", "Fungsi '__import__' tidak ada dalam daftar yang diizinkan"),
    ("open('/etc/passwd')", "Fungsi 'open' tidak ada dalam daftar yang diizinkan"),
    ("eval('1')", "Fungsi 'eval'"),
    ("exec('x')", "Fungsi 'exec'"),
    ("compile('1', 'f', 'eval')", "Fungsi 'compile'"),
    ("getattr(x, 'y')", "Fungsi 'getattr'"),
    ("setattr(x, 'y', 1)", "Fungsi 'setattr'"),
    ("globals()", "Fungsi 'globals'"),
    ("vars(x)", "Fungsi 'vars'"),
    ("type(x)", "Fungsi 'type'"),
    ("range(10)", "Fungsi 'range'"),
    ("lower(x)", "Fungsi 'lower'"),
    ("_helper(1)", "Fungsi '_helper'"),
    ("\"\".join(['a'])", "Metode 'join' tidak ada dalam daftar yang diizinkan"),
    ("'{}'.format(x)", "Metode 'format'"),
    ("x.pop()", "Metode 'pop'"),
    ("d.items()", "Metode 'items'"),
    ("[c for c in ()]", "list comprehension"),
    ("{c for c in x}", "set comprehension"),
    ("{c: 1 for c in x}", "dict comprehension"),
    ("any(c for c in x)", "generator expression"),
    ("lambda: 1", "lambda"),
    ("(lambda: 1)()", "lambda"),
    ("f\"{x}\"", "f-string"),
    ("(x := 1)", "walrus ':='"),
    ("2 ** 999999", "operator pangkat '**'"),
    ("'a' * 10**9", "operator pangkat '**'"),
    ("[*x]", "operator bintang"),
    ("len(*x)", "operator bintang"),
    ("{**x}", "'**'"),
    ("max(**x)", "'**'"),
    ("sorted(x, key=len)", "argumen kata kunci 'key='"),
    ("round(x, ndigits=2)", "argumen kata kunci 'ndigits='"),
    ("await x", "await"),
    ("(yield)", "yield"),
    ("_secret", "nama '_secret'"),
    ("__builtins__", "nama '__builtins__'"),
    ("b'abc'", "bytes"),
    ("...", "Ellipsis"),
    ("1j", "complex"),
    ("x | y", "operator '|'"),
    ("x & y", "operator '&'"),
    ("x ^ y", "operator '^'"),
    ("x << 1", "operator '<<'"),
    ("x >> 1", "operator '>>'"),
    ("x @ y", "operator '@'"),
    ("~x", "operator '~'"),
    ("x[0]()", "pemanggilan hanya boleh"),
]


@pytest.mark.parametrize("text, construct", ESCAPES)
def test_forbidden_constructs_refused_at_validate(text, construct):
    with pytest.raises(UnsafeExpression) as info:
        validate(text)
    message = str(info.value)
    assert construct in message
    assert info.value.expression == text
    assert isinstance(info.value, ValueError)


@pytest.mark.parametrize("text, construct", ESCAPES)
def test_forbidden_constructs_refused_by_evaluate_too(text, construct):
    with pytest.raises(UnsafeExpression) as info:
        evaluate(text, {"x": [1], "y": 2, "d": {}, "status": "ok"})
    assert construct in str(info.value)


@pytest.mark.parametrize(
    "text",
    ["1 +", "approved ==", "if x", ")", "x = 1", "a b", "import os", "'unterminated"],
)
def test_syntax_errors_are_unsafe_expression_with_position(text):
    with pytest.raises(UnsafeExpression) as info:
        validate(text)
    message = str(info.value)
    assert message.startswith("Ekspresi tidak dapat diurai:")
    assert "baris" in message and "kolom" in message
    assert info.value.expression == text


@pytest.mark.parametrize("text", ["", "   ", "\n\t"])
def test_empty_expression_refused(text):
    with pytest.raises(UnsafeExpression, match="kosong"):
        validate(text)


@pytest.mark.parametrize("value", [None, 42, b"x == 1", ["x"]])
def test_non_text_refused(value):
    with pytest.raises(UnsafeExpression, match="teks"):
        validate(value)


@pytest.mark.parametrize(
    "text, fragment",
    [
        ("x == " + "1" * 2000, "terlalu panjang"),
        ("a" * (ex.MAX_EXPRESSION_LENGTH + 1), "maksimum 2000"),
        ("-" * 60 + "1", "terlalu dalam bersarang"),
        ("[" * 60 + "]" * 60, "terlalu dalam bersarang"),
        ("1" + " + 1" * 60, "terlalu dalam bersarang"),
        ("(" * 300 + "1" + ")" * 300, "tidak dapat diurai"),
    ],
)
def test_length_and_depth_limits(text, fragment):
    with pytest.raises(UnsafeExpression) as info:
        validate(text)
    assert fragment in str(info.value)


def test_moderately_nested_expression_is_fine():
    text = "-" * 20 + "1"
    assert evaluate(text, {}) == 1
    assert evaluate("1" + " + 1" * 30, {}) == 31


# ---------------------------------------------------------------------------
# Typical gateway conditions.
# ---------------------------------------------------------------------------

GATEWAY_CASES = [
    ("approved == True", {"approved": True}, True),
    ("approved == True", {"approved": False}, False),
    ("decision == 'approve'", {"decision": "approve"}, True),
    ("decision == 'approve'", {"decision": "reject"}, False),
    ("grade in ('kurang', 'sangat_kurang')", {"grade": "kurang"}, True),
    ("grade in ('kurang', 'sangat_kurang')", {"grade": "baik"}, False),
    ("grade not in ['kurang', 'sangat_kurang']", {"grade": "baik"}, True),
    ("not approved", {"approved": False}, True),
    ("not approved", {"approved": True}, False),
    ("score >= 80 and late_days < 3", {"score": 85, "late_days": 1}, True),
    ("score >= 80 and late_days < 3", {"score": 85, "late_days": 3}, False),
    ("score >= 80 or late_days < 3", {"score": 10, "late_days": 0}, True),
    ("len(items) > 0", {"items": [1]}, True),
    ("len(items) > 0", {"items": []}, False),
    ("status.lower() == 'ok'", {"status": "OK"}, True),
    ("status.upper() == 'OK'", {"status": "ok"}, True),
    ("status.strip() == 'ok'", {"status": "  ok\n"}, True),
    ("nip.startswith('19')", {"nip": "198001012005011001"}, True),
    ("nip.endswith(('01', '02'))", {"nip": "198001012005011001"}, True),
    ("data.get('x', 1) == 1", {"data": {}}, True),
    ("data.get('x', 1) == 1", {"data": {"x": 2}}, False),
    ("data.get('x') is None", {"data": {}}, True),
    ("days_between('2026-01-01', '2026-01-31') == 30", {}, True),
    ("days_between(start, end)", {"start": date(2026, 1, 31), "end": date(2026, 1, 1)}, -30),
    ("days_between(start, end)", {"start": "2026-01-01T08:00:00", "end": datetime(2026, 1, 3, 1)}, 2),
    ("contains(roles, 'atasan')", {"roles": ["atasan", "pegawai"]}, True),
    ("contains(roles, 'atasan')", {"roles": None}, False),
    ("1 < score <= 100", {"score": 100}, True),
    ("1 < score <= 100", {"score": 101}, False),
    ("'lulus' if score >= 76 else 'tidak'", {"score": 80}, "lulus"),
    ("'lulus' if score >= 76 else 'tidak'", {"score": 60}, "tidak"),
    ("x is None", {"x": None}, True),
    ("x is not None and x > 3", {"x": None}, False),
    ("x[::-1]", {"x": "abc"}, "cba"),
    ("x[::-1]", {"x": [1, 2, 3]}, [3, 2, 1]),
    ("x[1:]", {"x": [1, 2, 3]}, [2, 3]),
    ("x[0]", {"x": [7, 8]}, 7),
    ("x[-1]", {"x": [7, 8]}, 8),
    ("d['k']", {"d": {"k": "v"}}, "v"),
    ("d['a']['b']", {"d": {"a": {"b": 3}}}, 3),
    ("-x + +y", {"x": 2, "y": 5}, 3),
    ("(a + b) * 2 - c / 4", {"a": 1, "b": 2, "c": 8}, 4.0),
    ("a // b", {"a": 7, "b": 2}, 3),
    ("a % b", {"a": 7, "b": 2}, 1),
    ("'abc' + name", {"name": "def"}, "abcdef"),
    ("[1, 2] + [3]", {}, [1, 2, 3]),
    ("{'a': 1, 'b': x}['b']", {"x": 9}, 9),
    ("{1, 2, 2}", {}, {1, 2}),
    ("()", {}, ()),
    ("min(a, b) + max([1, 5, 3])", {"a": 4, "b": 2}, 7),
    ("abs(-3) + round(2.567, 2)", {}, 5.57),
    ("int('12') + float('0.5')", {}, 12.5),
    ("str(12) + 'x'", {}, "12x"),
    ("bool(0) or bool('a')", {}, True),
    ("sum(nilai) / len(nilai)", {"nilai": [80, 90, 100]}, 90.0),
    ("sum(nilai, 10)", {"nilai": [1, 2]}, 13),
    ("any(flags) and not all(flags)", {"flags": [True, False]}, True),
    ("sorted(xs)[0]", {"xs": [3, 1, 2]}, 1),
    ("date(2026, 1, 31) > date(2026, 1, 1)", {}, True),
    ("date('2026-02-01') == date(2026, 2, 1)", {}, True),
    ("due < date(2026, 3, 1)", {"due": "2026-02-01"}, True),
    ("due >= date(2026, 3, 1)", {"due": "2026-02-01"}, False),
    ("score * factor > 80", {"score": Decimal("90"), "factor": 0.95}, True),
    ("score == 90.0", {"score": Decimal("90")}, True),
    ("True", {}, True),
    ("None", {}, None),
]


@pytest.mark.parametrize("text, data, expected", GATEWAY_CASES)
def test_gateway_conditions(text, data, expected):
    result = evaluate(text, data)
    assert result == expected
    assert type(result) is type(expected)


@pytest.mark.parametrize("text", ["  approved == True  ", "\n  approved\n"])
def test_surrounding_whitespace_is_ignored(text):
    assert evaluate(text, {"approved": True}) is True


# ---------------------------------------------------------------------------
# Run-time failures.
# ---------------------------------------------------------------------------

RUNTIME_ERRORS = [
    ("missing == 1", {}, "Variabel 'missing' tidak ada dalam data tugas"),
    ("approved and grade == 'A'", {"approved": True}, "Variabel 'grade'"),
    ("len(items)", {}, "Variabel 'items'"),
    ("len", {}, "Variabel 'len'"),
    ("a / b", {"a": 1, "b": 0}, "Pembagian dengan nol"),
    ("a // b", {"a": 1, "b": 0}, "Pembagian dengan nol"),
    ("a % b", {"a": 1, "b": 0}, "Pembagian dengan nol"),
    ("a + b", {"a": 1, "b": "x"}, "Operator '+' tidak dapat diterapkan pada tipe int dan str"),
    ("-a", {"a": "x"}, "Operator '-'"),
    ("a < b", {"a": 1, "b": "x"}, "Tidak dapat membandingkan int dan str"),
    ("a in b", {"a": 1, "b": 5}, "Tidak dapat membandingkan"),
    ("'a' * 1000000000", {}, "terlalu besar"),
    ("'a' * n", {"n": 10**9}, "terlalu besar"),
    ("n * [0]", {"n": 10**6}, "terlalu besar"),
    ("[[0] * 100000] * 100000", {}, "terlalu besar"),
    ("[s] * 3", {"s": "a" * 50000}, "terlalu besar"),
    ("s + s + s", {"s": "a" * 40000}, "terlalu besar"),
    ("'%999999999d' % 1", {}, "'%' tidak diizinkan"),
    ("x[5]", {"x": [1]}, "Indeks 5 di luar jangkauan"),
    ("d['k']", {"d": {}}, "Kunci 'k' tidak ada"),
    ("x['a']", {"x": [1]}, "tidak dapat diakses"),
    ("x[::0]", {"x": [1]}, "tidak boleh nol"),
    ("x['a':]", {"x": [1]}, "harus bilangan bulat"),
    ("n.lower()", {"n": 5}, "Metode 'lower' hanya untuk teks"),
    ("s.get('a')", {"s": "abc"}, "Metode 'get' hanya untuk dict"),
    ("d.get()", {"d": {}}, "1 atau 2 argumen"),
    ("s.startswith(1)", {"s": "abc"}, "Gagal memanggil metode 'startswith'"),
    ("int('abc')", {}, "Gagal memanggil fungsi 'int'"),
    ("len(5)", {}, "Gagal memanggil fungsi 'len'"),
    ("sum(xs, [])", {"xs": [[1]]}, "sum hanya dapat menjumlahkan angka"),
    ("sum(xs)", {"xs": [[1], [2]]}, "sum hanya dapat menjumlahkan angka"),
    ("date(2026, 13, 1)", {}, "Gagal memanggil fungsi 'date'"),
    ("days_between('kemarin', '2026-01-01')", {}, "bukan tanggal"),
    ("days_between(1, 2)", {}, "bukan tanggal"),
    ("{[1]: 2}", {}, "Kunci dict"),
    ("{[1]}", {}, "himpunan"),
    ("d < date(2026, 1, 1)", {"d": "bukan-tanggal"}, "Tidak dapat membandingkan"),
]


@pytest.mark.parametrize("text, data, fragment", RUNTIME_ERRORS)
def test_runtime_errors(text, data, fragment):
    validate(text)  # statically fine ...
    with pytest.raises(ExpressionError) as info:  # ... fails when evaluated
        evaluate(text, data)
    assert fragment in str(info.value)
    assert info.value.expression == text
    assert not isinstance(info.value, UnsafeExpression)


def test_multiplication_within_limit_is_allowed():
    assert evaluate("'ab' * 3", {}) == "ababab"
    assert len(evaluate("[[0] * 300] * 300", {})) == 300
    assert evaluate("'a' * -5", {}) == ""
    assert len(evaluate("'a' * n", {"n": ex.MAX_RESULT_SIZE})) == ex.MAX_RESULT_SIZE


@pytest.mark.parametrize("data", [[1, 2], "x", 5])
def test_data_must_be_mapping(data):
    with pytest.raises(ExpressionError, match="harus berupa dict"):
        evaluate("1", data)


def test_none_data_means_empty():
    assert evaluate("1 + 1", None) == 2
    with pytest.raises(ExpressionError, match="Variabel 'x'"):
        evaluate("x", None)


# ---------------------------------------------------------------------------
# Evaluation semantics.
# ---------------------------------------------------------------------------

LAZY_CASES = [
    ("False and missing", False),
    ("0 and missing", 0),
    ("True or missing", True),
    ("'x' or missing", "x"),
    ("True or 1 / 0", True),
    ("None or 0 or ''", ""),
    ("1 and 2 and 3", 3),
    ("1 if True else 1 / 0", 1),
    ("missing if False else 2", 2),
    ("1 > 2 < missing", False),
    ("3 > 2 > 1", True),
    ("1 < 3 > 2", True),
    ("1 < 2 > 3", False),
]


@pytest.mark.parametrize("text, expected", LAZY_CASES)
def test_short_circuit_and_compare_chains(text, expected):
    result = evaluate(text, {})
    assert result == expected
    assert type(result) is type(expected)


def test_compare_chain_evaluates_middle_operand_once():
    calls = []

    def tick():
        calls.append(1)
        return 5

    assert evaluate("1 < tick() < 10", {}, functions={"tick": tick}) is True
    assert calls == [1]


def test_function_names_are_not_shadowed_by_data():
    data = {"len": lambda _x: 999, "items": [1, 2]}
    assert evaluate("len(items)", data) == 2


def test_data_callable_cannot_be_called():
    with pytest.raises(UnsafeExpression, match="Fungsi 'cb'"):
        evaluate("cb()", {"cb": lambda: 1})


def test_today_is_overridable():
    fixed = {"today": lambda: date(2026, 1, 15)}
    assert evaluate("today()", {}, functions=fixed) == date(2026, 1, 15)
    assert evaluate("days_between(start, today())", {"start": "2026-01-01"}, fixed) == 14
    assert evaluate("deadline < today()", {"deadline": "2026-01-10"}, fixed) is True
    assert evaluate("today()", {}) == date.today()


def test_extra_functions_are_validated_with_functions_argument():
    with pytest.raises(UnsafeExpression, match="Fungsi 'double'"):
        validate("double(2)")
    tree = validate("double(2)", functions={"double": lambda v: v * 2})
    assert isinstance(tree, ast.Expression)
    assert evaluate("double(2)", {}, functions={"double": lambda v: v * 2}) == 4


def test_allowed_functions_mapping():
    expected = {
        "len", "min", "max", "abs", "round", "int", "float", "str", "bool",
        "sum", "any", "all", "sorted", "date", "today", "days_between", "contains",
    }
    assert set(ALLOWED_FUNCTIONS) == expected
    assert "lower" not in ALLOWED_FUNCTIONS and "upper" not in ALLOWED_FUNCTIONS
    assert all(callable(f) for f in ALLOWED_FUNCTIONS.values())
    with pytest.raises(TypeError):
        ALLOWED_FUNCTIONS["eval"] = eval  # read-only


def test_validate_returns_private_copy_of_cached_tree():
    text = "score >= 80"
    tree = validate(text)
    assert isinstance(tree, ast.Expression)
    tree.body = ast.Call(func=ast.Name("open", ast.Load()), args=[], keywords=[])
    assert evaluate(text, {"score": 90}) is True  # cache not poisoned


def test_evaluate_accepts_tree_and_revalidates_it():
    tree = validate("a + 1")
    assert evaluate(tree, {"a": 1}) == 2
    bad = ast.Expression(
        body=ast.Attribute(value=ast.Name("a", ast.Load()), attr="__class__", ctx=ast.Load())
    )
    with pytest.raises(UnsafeExpression, match="'__class__'"):
        evaluate(bad, {"a": 1})


@pytest.mark.parametrize("value", [42, None, ast.parse("1")])
def test_evaluate_rejects_other_inputs(value):
    with pytest.raises(UnsafeExpression):
        evaluate(value, {})


def test_parsed_trees_are_cached():
    text = "cache_probe_variable == 1"
    ex._validated.cache_clear()
    for i in range(1000):
        assert evaluate(text, {"cache_probe_variable": i % 2}) is bool(i % 2)
    info = ex._validated.cache_info()
    assert info.misses == 1
    assert info.hits == 999


def test_no_eval_exec_or_compile_in_module_source():
    import inspect

    tree = ast.parse(inspect.getsource(ex))
    called = {
        node.func.id
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
    }
    assert not called & {"eval", "exec", "compile", "__import__"}


# ---------------------------------------------------------------------------
# names_used
# ---------------------------------------------------------------------------

NAMES_CASES = [
    ("approved == True", {"approved"}),
    ("score >= 80 and late_days < 3", {"score", "late_days"}),
    ("len(items) > 0", {"items"}),
    ("status.lower() == 'ok'", {"status"}),
    ("data.get('x', 1) == 1", {"data"}),
    ("days_between(start, today()) > limit", {"start", "limit"}),
    ("x if flag else d['k'][i]", {"x", "flag", "d", "i"}),
    ("[a, (b, {c: e})]", {"a", "b", "c", "e"}),
    ("x[lo:hi:step]", {"x", "lo", "hi", "step"}),
    ("len", {"len"}),  # used as a value -> would be read from data
    ("1 + 2", set()),
    ("True and None", set()),
]


@pytest.mark.parametrize("text, expected", NAMES_CASES)
def test_names_used(text, expected):
    assert names_used(text) == expected


def test_names_used_accepts_tree_and_returns_fresh_set():
    tree = validate("a + b")
    assert names_used(tree) == {"a", "b"}
    first = names_used("a + b")
    first.add("mutated")
    assert names_used("a + b") == {"a", "b"}


@pytest.mark.parametrize("text", ["x.__class__", "open(x)", "1 +"])
def test_names_used_refuses_unsafe(text):
    with pytest.raises(UnsafeExpression):
        names_used(text)
