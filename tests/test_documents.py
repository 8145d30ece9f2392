"""load_document: hand-written files just work; hostile ones are refused with a short DocumentError code."""

from __future__ import annotations

from pathlib import Path

import pytest

from assessment.content.model import Content
from assessment.documents import MAX_BYTES, MAX_DEPTH, MAX_NODES, DocumentError, load_document
from assessment.engine.assessment_file import parse_assessment
from assessment.errors import AssessmentError


def _code(source: str | bytes) -> str:
    with pytest.raises(DocumentError) as info:
        load_document(source)
    assert type(info.value) is DocumentError
    return info.value.code


def _billion_laughs(levels: int = 9, width: int = 9) -> str:
    lines = ['l0: &l0 ["lol"' + ', "lol"' * (width - 1) + "]"]
    for level in range(1, levels):
        refs = ", ".join([f"*l{level - 1}"] * width)
        lines.append(f"l{level}: &l{level} [{refs}]")
    return "\n".join(lines) + "\n"


# --- ordinary documents --------------------------------------------------------------------------------


def test_yaml_booleans_are_yaml_1_2() -> None:
    data = load_document("a: yes\nb: no\nc: on\nd: off\ne: true\nf: False\ng: y\nh: n\n")
    assert data == {"a": "yes", "b": "no", "c": "on", "d": "off", "e": True, "f": False, "g": "y", "h": "n"}


def test_json_document() -> None:
    assert load_document('{"a": [1, 2.5, "x", null, true]}') == {"a": [1, 2.5, "x", None, True]}


def test_flow_yaml_that_is_not_json_is_read_as_yaml() -> None:
    assert load_document("{a: [1, 2], b: yes}") == {"a": [1, 2], "b": "yes"}


def test_bytes_and_text_give_the_same_data() -> None:
    text = "client:\n  name: 株式会社サンプル\n"
    assert load_document(text) == load_document(text.encode("utf-8")) == {"client": {"name": "株式会社サンプル"}}


def test_utf8_bom_is_accepted() -> None:
    assert load_document(b"\xef\xbb\xbfa: 1\n") == {"a": 1}


def test_comment_only_document_is_none_not_an_error() -> None:
    # Not empty text, but no content: the assessment parser turns it into not_mapping.
    assert load_document("# only a comment\n") is None


def test_sample_file_loads(sample_path: Path) -> None:
    data = load_document(sample_path.read_bytes())
    assert isinstance(data, dict)
    assert data["client"]["name"] == "株式会社サンプル"
    assert data["checklist"]["org.exec_sponsorship"] == "yes"
    assert data["checklist"]["org.customer_success_plan"] == "no"


# --- hostile or broken input ---------------------------------------------------------------------------


@pytest.mark.parametrize("source", ["", b"", "   ", " \n\t\r\n ", b"\n\n", b"\xef\xbb\xbf", b"\xef\xbb\xbf \n"])
def test_empty_and_whitespace_only(source: str | bytes) -> None:
    assert _code(source) == "empty"


@pytest.mark.parametrize("source", [b"\x00", b"a: 1\n\x00b: 2\n", "a: \x00", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"])
def test_binary_nul_bytes(source: str | bytes) -> None:
    assert _code(source) == "binary"


@pytest.mark.parametrize("source", [b"a: \xff\n", b"\xc3\x28", b"name: \xe6\x97", b"\x80abc"])
def test_invalid_utf8(source: bytes) -> None:
    assert _code(source) == "not_utf8"


def test_invalid_utf8_detail_names_the_byte() -> None:
    with pytest.raises(DocumentError) as info:
        load_document(b"abc: \xff")
    assert info.value.detail == "byte 5"


def test_over_one_megabyte_bytes() -> None:
    raw = b"a: " + b"x" * MAX_BYTES
    assert len(raw) > 1_000_000
    assert _code(raw) == "too_large"


def test_over_one_megabyte_text() -> None:
    assert _code("a: " + "x" * MAX_BYTES) == "too_large"


def test_just_under_the_limit_is_read() -> None:
    raw = b"a: " + b"x" * (MAX_BYTES - 10)
    assert load_document(raw) == {"a": "x" * (MAX_BYTES - 10)}


def test_yaml_flow_nesting_10000_levels() -> None:
    assert _code("[" * 10_000 + "]" * 10_000) == "too_deep"


def test_yaml_flow_nesting_10000_levels_unclosed() -> None:
    assert _code("a: " + "[" * 10_000) == "too_deep"


def test_yaml_block_nesting_10000_levels() -> None:
    assert _code("- " * 10_000 + "x\n") == "too_deep"


def test_json_nesting_100000_levels() -> None:
    assert _code("[" * 100_000 + "]" * 100_000) == "too_deep"


def test_json_object_nesting_100000_levels() -> None:
    assert _code('{"a":' * 100_000 + "1" + "}" * 100_000) == "too_deep"


def test_nesting_limit_boundary_json() -> None:
    assert load_document("[" * MAX_DEPTH + "]" * MAX_DEPTH) == _nested_lists(MAX_DEPTH)
    assert _code("[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1)) == "too_deep"


def test_nesting_limit_boundary_yaml() -> None:
    inner = MAX_DEPTH - 1  # the top-level mapping is one level
    assert load_document("a: " + "[" * inner + "]" * inner) == {"a": _nested_lists(inner)}
    assert _code("a: " + "[" * MAX_DEPTH + "]" * MAX_DEPTH) == "too_deep"


def _nested_lists(depth: int) -> list[object]:
    value: list[object] = []
    for _ in range(depth - 1):
        value = [value]
    return value


def test_billion_laughs_alias_bomb() -> None:
    assert _code(_billion_laughs()) == "too_many_nodes"


def test_alias_bomb_in_nested_mapping() -> None:
    bomb = _billion_laughs().replace("\n", "\n  ").rstrip() + "\n"
    assert _code("checklist:\n  " + bomb) == "too_many_nodes"


def test_small_aliases_are_fine() -> None:
    assert load_document("a: &x [1, 2]\nb: *x\n") == {"a": [1, 2], "b": [1, 2]}


def test_too_many_plain_yaml_values() -> None:
    assert _code("[" + ", ".join(["a"] * (MAX_NODES + 1)) + "]") == "too_many_nodes"
    assert _code("- 1\n" * (MAX_NODES + 10)) == "too_many_nodes"


@pytest.mark.parametrize(
    "template",
    [
        '!!python/object/apply:os.system ["touch {marker}"]',
        'a: !!python/object/apply:os.system ["touch {marker}"]\n',
        "a: !!python/object/apply:subprocess.call [[touch, {marker}]]\n",
        '{{"a": !!python/object/apply:os.system ["touch {marker}"]}}',
        "a: !!python/object/new:os.system [touch {marker}]\n",
        "a: !!python/name:os.system\n",
        "a: !!python/module:os\n",
        "a: !custom {{x: 1}}\n",
    ],
)
def test_yaml_tags_are_refused_not_executed(template: str, tmp_path: Path) -> None:
    marker = tmp_path / "executed"
    assert _code(template.format(marker=marker)) == "not_yaml"
    assert not marker.exists()


@pytest.mark.parametrize("source", ["a: [1, 2", "a: 'unclosed\n", "a: b: c\n", "\tfoo: 1\n", "{"])
def test_malformed_yaml(source: str) -> None:
    assert _code(source) == "not_yaml"


def test_not_yaml_detail_has_the_position() -> None:
    with pytest.raises(DocumentError) as info:
        load_document("a: 1\nb: [1, 2\n")
    assert info.value.code == "not_yaml"
    assert "line" in info.value.detail


def test_integer_too_long_for_python_is_a_document_error() -> None:
    # Python refuses to turn more than 4300 digits into an int; that must still be a DocumentError.
    assert _code("[1" + "0" * 5000 + "]") in ("not_yaml", "too_large")


def test_integer_too_long_for_python_in_yaml_is_a_document_error() -> None:
    assert _code("a: 1" + "0" * 5000 + "\n") in ("not_yaml", "too_large")


# --- through the assessment parser ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "code"),
    [
        ("", "empty"),
        (b"\x00\x01", "binary"),
        (b"\xfe\xff", "not_utf8"),
        (b"a: " + b"x" * MAX_BYTES, "too_large"),
        ("[" * 10_000, "too_deep"),
        ("[" * 100_000 + "]" * 100_000, "too_deep"),
        (_billion_laughs(), "too_many_nodes"),
        ("checklist: &c {org.mql_definition: *c}\n", "recursive_alias"),
        ("- &a\n  - x\n  - *a\n", "recursive_alias"),
        ('!!python/object/apply:os.system ["echo hi"]', "not_yaml"),
        ("just text", "not_mapping"),
        ("42", "not_mapping"),
        ("3.5", "not_mapping"),
        ("true", "not_mapping"),
        ("null", "not_mapping"),
        ("# nothing but a comment\n", "not_mapping"),
        ("- yes\n- no\n", "not_mapping"),
        ("[1, 2, 3]", "not_mapping"),
        ('"a string"', "not_mapping"),
    ],
)
def test_assessment_parser_reports_the_document_code(source: str | bytes, code: str, content: Content) -> None:
    with pytest.raises(AssessmentError) as info:
        parse_assessment(source, content)
    assert [(p.path, p.code) for p in info.value.problems] == [("", code)]
    assert info.value.messages("en")[0]
    assert info.value.messages("ja")[0]


def test_assessment_parser_messages_for_a_scalar(content: Content) -> None:
    with pytest.raises(AssessmentError) as info:
        parse_assessment("hello", content)
    assert info.value.messages("en") == ["must be a mapping of keys to values"]
    assert info.value.messages("ja") == ["「キー: 値」の形式で書いてください"]
