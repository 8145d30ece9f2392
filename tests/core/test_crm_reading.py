"""Reading CRM exports: cells (dates, amounts, flags), the kind of a file, encodings and formats, and bad input
named by file, row and column in both languages."""

from __future__ import annotations

import io
from datetime import datetime
from pathlib import Path

import pytest

from assessment.content.crm_columns import load_crm_columns
from assessment.engine.crm.exports import read_export, recognise_headers
from assessment.engine.crm.mapping import NO_MAPPING, CrmMapping, parse_mapping
from assessment.engine.crm.values import CellProblem, YearLast, parse_amount, parse_date, parse_flag
from assessment.errors import ContentError, CrmExportError
from assessment.tables import TableError, read_table
from tests.core.crm_exports import (
    HUBSPOT_CONTACT_HEADERS,
    HUBSPOT_CONTACTS,
    HUBSPOT_DEAL_HEADERS,
    HUBSPOT_DEALS,
    SALESFORCE_LEAD_HEADERS,
    SALESFORCE_LEADS,
    csv_bytes,
    xlsx_bytes,
)

COLUMNS = load_crm_columns()
DEALS = ("Deal Name", "Deal Stage", "Amount", "Create Date", "Close Date")


def _read(data: bytes, name: str = "file.csv", mapping: CrmMapping = NO_MAPPING, expected: str | None = None):  # type: ignore[no-untyped-def]
    return read_export(io.BytesIO(data), name, COLUMNS, mapping, expected)


def _problems(data: bytes, lang: str = "en", **kwargs: object) -> list[str]:
    with pytest.raises(CrmExportError) as error:
        _read(data, **kwargs)  # type: ignore[arg-type]
    return error.value.messages(lang)  # type: ignore[arg-type]


# Cells ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "moment"),
    [
        ("2026-07-01", datetime(2026, 7, 1)),
        ("2026/07/01", datetime(2026, 7, 1)),
        ("2026/7/1", datetime(2026, 7, 1)),
        ("2026.7.1", datetime(2026, 7, 1)),
        ("2026/7/1 9:30", datetime(2026, 7, 1, 9, 30)),
        ("2026-07-01 09:30:15", datetime(2026, 7, 1, 9, 30, 15)),
        ("2026-07-01T09:30:00.000Z", datetime(2026, 7, 1, 9, 30)),
        ("2026-07-01T09:30:00+09:00", datetime(2026, 7, 1, 9, 30)),
        ("2026/07/01 9:30 PM", datetime(2026, 7, 1, 21, 30)),
        ("2026/07/01 12:05 AM", datetime(2026, 7, 1, 0, 5)),
        ("２０２６／０７／０１", datetime(2026, 7, 1)),
        ("13/07/2026", datetime(2026, 7, 13)),
        ("07/13/2026 2:30 PM", datetime(2026, 7, 13, 14, 30)),
        ("05/05/2026", datetime(2026, 5, 5)),
        (datetime(2026, 7, 1, 8, 0), datetime(2026, 7, 1, 8, 0)),
    ],
)
def test_dates_as_exports_write_them(written: object, moment: datetime) -> None:
    parsed = parse_date(written)  # type: ignore[arg-type]
    if isinstance(parsed, YearLast):
        assert parsed.order is not None
        parsed = parsed.resolve(parsed.order)
    assert parsed == moment


def test_a_year_last_date_keeps_its_order_open_until_the_file_tells() -> None:
    parsed = parse_date("03/04/2026")
    assert isinstance(parsed, YearLast) and parsed.order is None
    assert parsed.resolve("month_first") == datetime(2026, 3, 4)
    assert parsed.resolve("day_first") == datetime(2026, 4, 3)


@pytest.mark.parametrize(
    ("written", "code"),
    [
        ("2026/13/01", "crm_bad_date"), ("31/02/2026", "crm_bad_date"), ("2026年7月1日", "crm_bad_date"),
        ("yesterday", "crm_bad_date"), ("1899-01-01", "crm_bad_date"), ("=TODAY()", "crm_formula"),
        ("@NOW()", "crm_formula"), ("+A1", "crm_formula"), (46204, "crm_bad_date"),
        ("2026/07/01 13:00 PM", "crm_bad_date"),
    ],
)  # fmt: skip
def test_what_is_not_a_date(written: object, code: str) -> None:
    with pytest.raises(CellProblem) as problem:
        parse_date(written)  # type: ignore[arg-type]
    assert problem.value.code == code


@pytest.mark.parametrize(
    ("written", "amount"),
    [
        ("1200000", 1_200_000), ("1,200,000", 1_200_000), ("¥1,200,000", 1_200_000), ("￥1,200,000", 1_200_000),
        ("1,200,000円", 1_200_000), ("JPY 1,200,000", 1_200_000), ("1,200,000 JPY", 1_200_000),
        ("\\1,200,000", 1_200_000), ("１，２００，０００", 1_200_000), ("120万", 1_200_000),
        ("1200000.50", 1_200_000.5),
        (1_200_000, 1_200_000), (99.5, 99.5), ("", None), ("-", None), (None, None),
    ],
)  # fmt: skip
def test_amounts_as_exports_write_them(written: object, amount: float | None) -> None:
    assert parse_amount(written) == amount  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("written", "code"),
    [("=B2*2", "crm_formula"), ("+B2", "crm_formula"), ("-B2+1", "crm_formula"), ("@SUM(B1)", "crm_formula"),
     ("-5000", "crm_bad_amount"), ("USD 1,000", "crm_bad_amount"), ("TBD", "crm_bad_amount"), (True, "crm_bad_amount"),
     (datetime(2026, 1, 1), "crm_bad_amount")],
)  # fmt: skip
def test_what_is_not_an_amount(written: object, code: str) -> None:
    with pytest.raises(CellProblem) as problem:
        parse_amount(written)  # type: ignore[arg-type]
    assert problem.value.code == code


def test_yes_no_columns() -> None:
    true, false = frozenset({"1", "true", "はい"}), frozenset({"0", "false"})
    assert [parse_flag(v, true, false) for v in ("1", "TRUE", "はい", "0", "", True, 1, 0)] == [
        True, True, True, False, None, True, True, False,
    ]  # fmt: skip
    with pytest.raises(CellProblem):
        parse_flag("maybe", true, false)


# The kind of a file -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("headers", "kind"),
    [
        (HUBSPOT_CONTACT_HEADERS, "hubspot_contacts"),
        (HUBSPOT_DEAL_HEADERS, "hubspot_deals"),
        (SALESFORCE_LEAD_HEADERS, "salesforce_leads"),
        (("Lead Owner", "First Name", "Last Name", "Email", "Lead Status", "Create Date", "Converted Date"),
         "salesforce_leads"),
        (("Opportunity Name", "Account Name", "Stage", "Amount", "Close Date", "Created Date", "Won", "Closed"),
         "salesforce_opportunities"),
        (("取引名", "取引ステージ", "金額", "作成日", "クローズ日"), "hubspot_deals"),
        (("レコードID", "Eメール", "作成日", "MQL(マーケティング上の有望な見込み客)になった日付"), "hubspot_contacts"),
        ((" become a lead date ", "ＥＭＡＩＬ", "CREATE DATE", "Became a Lead Date"), "hubspot_contacts"),
    ],
)  # fmt: skip
def test_the_kind_is_told_from_the_headers_in_either_language(headers: tuple[str, ...], kind: str) -> None:
    recognised = recognise_headers(io.BytesIO(csv_bytes(headers, [])), "f.csv", COLUMNS)
    assert recognised.kind is not None and recognised.kind.id == kind and recognised.told


@pytest.mark.parametrize(
    "encode",
    [
        lambda h, r: csv_bytes(h, r),
        lambda h, r: csv_bytes(h, r, bom=True),
        lambda h, r: csv_bytes(h, r, "cp932"),
        lambda h, r: csv_bytes(h, r, "utf-16"),
        lambda h, r: csv_bytes(h, r).replace(b'","', b'"\t"'),
        lambda h, r: xlsx_bytes(h, r),
        lambda h, r: xlsx_bytes(h, r, title_rows=("リードレポート", "絞り込み条件: すべてのリード")),
    ],
    ids=["utf-8", "utf-8-bom", "cp932", "utf-16", "tab", "xlsx", "xlsx-with-title"],
)
def test_every_encoding_and_format_reads_the_same(encode: object) -> None:
    data = encode(SALESFORCE_LEAD_HEADERS, SALESFORCE_LEADS)  # type: ignore[operator]
    export = _read(data, "leads")
    assert export.kind.id == "salesforce_leads" and export.rows == len(SALESFORCE_LEADS)
    assert [c.lead_date for c in export.contacts][:3] == [
        datetime(2026, 7, 3),
        datetime(2026, 7, 15),
        datetime(2026, 8, 1),
    ]
    assert export.contacts[0].email == "a@example.jp" and export.contacts[0].sql_date == datetime(2026, 7, 20)


def test_a_salesforce_footer_is_not_a_row() -> None:
    footer = ("Copyright (c) 2000-2026 salesforce.com, inc. All rights reserved.", "Generated By:  Taro  7/1/2026")
    export = _read(csv_bytes(DEALS, [("A", "Closed Won", "100", "2026-07-01", "2026-07-02")], footer=footer))
    assert export.rows == 1


def test_us_dates_follow_the_files_order_once_a_day_above_12_tells_it() -> None:
    rows = [("A", "Closed Won", "100", "03/04/2026", "07/13/2026"), ("B", "Closed Won", "100", "05/06/2026", "")]
    export = _read(csv_bytes(DEALS, rows))
    assert export.date_order == "month_first"
    assert [(d.created, d.close_date) for d in export.deals] == [
        (datetime(2026, 3, 4), datetime(2026, 7, 13)), (datetime(2026, 5, 6), None)
    ]  # fmt: skip


def test_the_mapping_decides_dates_nothing_in_the_file_tells() -> None:
    rows = [("A", "Closed Won", "100", "03/04/2026", "05/06/2026")]
    mapping = parse_mapping("date_order: day_first", COLUMNS)
    export = _read(csv_bytes(DEALS, rows), mapping=mapping)
    assert (export.deals[0].created, export.deals[0].close_date) == (datetime(2026, 4, 3), datetime(2026, 6, 5))


# Bad input, named by file, row and column ---------------------------------------------------------------------


def test_dates_whose_order_nothing_tells_are_an_error_naming_the_cell() -> None:
    rows = [("A", "Closed Won", "100", "2026-07-01", "03/04/2026")]
    assert _problems(csv_bytes(DEALS, rows), name="deals.csv") == [
        "deals.csv: row 2, column E 'Close Date': '03/04/2026' could be 2026-03-04 (month first) or 2026-04-03 "
        "(day first), and no date in the file tells which; write date_order: month_first or day_first in a mapping"
    ]


def test_a_file_mixing_day_first_and_month_first_names_both_cells() -> None:
    rows = [("A", "Closed Won", "100", "13/04/2026", "2026-07-01"), ("B", "Closed Won", "100", "04/13/2026", "")]
    assert _problems(csv_bytes(DEALS, rows), name="deals.csv") == [
        "deals.csv: row 3, column D 'Create Date': '04/13/2026' and row 2, column 'Create Date' ('13/04/2026') put "
        "the day and the month in opposite orders; export the file again with its dates in one format"
    ]


def test_every_bad_cell_is_named_in_the_files_order_in_japanese() -> None:
    rows = [
        ("A", "Closed Won", "=B2*2", "2026/07/01", "2026/07/32"),
        ("B", "Closed Won", "1,000", "昨日", "2026/07/02"),
        ("C", "Closed Won", "1000", "2026/07/01", "2026/07/02"),
    ]
    dates = "日付は 2026-07-01、2026/07/01、2026/7/1 9:30、07/01/2026 の形で読み取ります"
    assert _problems(csv_bytes(DEALS, rows, "cp932"), "ja", name="取引.csv") == [
        "取引.csv: 2行目、C列「Amount」: 「=B2*2」は数式です。数式は計算しません。"
        "値をエクスポートし直すか、値として貼り付けてから、もう一度お試しください",
        f"取引.csv: 2行目、E列「Close Date」: 「2026/07/32」は日付として読めません。{dates}",
        f"取引.csv: 3行目、D列「Create Date」: 「昨日」は日付として読めません。{dates}",
    ]


def test_a_formula_cell_in_a_workbook_is_text_never_worked_out() -> None:
    data = xlsx_bytes(DEALS, [("A", "Closed Won", "=SUM(1,2)", datetime(2026, 7, 1), datetime(2026, 7, 2))])
    assert _problems(data, name="deals.xlsx") == [
        "deals.xlsx: row 2, column C 'Amount': '=SUM(1,2)' is a formula, and formulas are never worked out here; "
        "export the values again (or paste them as values) and try again"
    ]


def test_reading_stops_after_twenty_problems() -> None:
    rows = [("A", "Closed Won", "lots", "2026-07-01", "2026-07-02")] * 50
    problems = _problems(csv_bytes(DEALS, rows))
    assert len(problems) == 21 and problems[-1].endswith(
        "reading stopped after 20 problems; correct these and try again"
    )


def test_a_deals_file_given_as_contacts_says_what_it_looks_like() -> None:
    data = csv_bytes(HUBSPOT_DEAL_HEADERS, HUBSPOT_DEALS)
    assert _problems(data, name="contacts.csv", expected="contacts") == [
        "contacts.csv: was given as an export of contacts or leads but looks like HubSpot deals "
        "(its columns 'Deal Name', 'Deal Stage')"
    ]
    mapping = parse_mapping("files: {contacts.csv: salesforce_leads}", COLUMNS)
    [problem] = _problems(data, "ja", name="contacts.csv", mapping=mapping)
    assert problem == (
        "contacts.csv: Salesforce のリードレポートとして指定されましたが、「HubSpot の取引」のエクスポートのようです"
        "（列 'Deal Name', 'Deal Stage'）"
    )


def test_unknown_headers_ask_for_a_mapping_then_the_mapping_reads_them() -> None:
    headers = ("氏名", "メールアドレス", "登録日", "MQL日", "商談化日")
    rows = [("山田", "y@example.jp", "2026/07/01", "2026/07/05", "2026/07/20")]
    [problem] = _problems(csv_bytes(headers, rows), name="list.csv")
    assert problem.startswith("list.csv: these headers are not those of a HubSpot or Salesforce export known here")
    mapping = parse_mapping(
        "files: {list.csv: hubspot_contacts}\n"
        "kinds: {hubspot_contacts: {columns: {lead_date: 登録日, mql_date: MQL日, sql_date: 商談化日}}}",
        COLUMNS,
    )
    contact = _read(csv_bytes(headers, rows), "list.csv", mapping).contacts[0]
    assert (contact.lead_date, contact.mql_date, contact.sql_date) == (
        datetime(2026, 7, 1), datetime(2026, 7, 5), datetime(2026, 7, 20)
    )  # fmt: skip


def test_a_mapped_header_the_file_lacks_is_named() -> None:
    mapping = parse_mapping("kinds: {hubspot_deals: {columns: {won: 受注フラグ}}}", COLUMNS)
    assert _problems(csv_bytes(DEALS, []), mapping=mapping, name="d.csv") == [
        "d.csv: the mapping names the column '受注フラグ' for won, which the file does not have"
    ]


def test_an_export_without_the_columns_its_kind_needs_says_which() -> None:
    [problem] = _problems(csv_bytes(("Deal Name", "Amount", "Owner"), []), name="d.csv")
    assert problem.startswith(
        "d.csv: as HubSpot deals the file needs one of these columns: created (Create Date / 作成日)"
    )


def test_custom_won_stages_from_the_mapping() -> None:
    rows = [("A", "受注（確定）", "100", "2026-07-01", "2026-07-02"), ("B", "Closed Won", "100", "2026-07-01", "")]
    assert [d.won for d in _read(csv_bytes(DEALS, rows)).deals] == [False, True]
    mapping = parse_mapping("kinds: {hubspot_deals: {won_stages: [受注（確定）]}}", COLUMNS)
    assert [d.won for d in _read(csv_bytes(DEALS, rows), mapping=mapping).deals] == [True, True]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"%PDF-1.7\n\x00\x01\x02binary", "this is not a CSV or Excel (.xlsx) file"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "this is not a CSV or Excel (.xlsx) file"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "this is an Excel 97-2003 workbook (.xls)"),
        (b"PK\x03\x04 not really a zip", "this is not a readable Excel workbook (BadZipFile"),
        (b"", "the file is empty"),
        (b"Deal Name,Amount\nA,1\xff\xfe\xfa\n", "row 1: the text is neither UTF-8 nor Shift_JIS"),
    ],
)
def test_a_file_that_is_no_table(data: bytes, message: str) -> None:
    [problem] = _problems(data, name="x.csv")
    assert problem.startswith(f"x.csv: {message}")


def test_too_large_a_file_is_refused_while_streaming(tmp_path: Path) -> None:
    data = csv_bytes(DEALS, [("A", "Closed Won", "100", "2026-07-01", "2026-07-02")] * 1000)
    with pytest.raises(TableError) as error:
        list(read_table(io.BytesIO(data), limit=10_000))
    assert error.value.code == "too_large"
    assert [row[0] for row in read_table(io.BytesIO(data), limit=len(data))][:2] == ["Deal Name", "A"]


def test_the_bundled_header_content_is_valid_and_a_broken_one_names_kind_and_field(tmp_path: Path) -> None:
    assert {k.id for k in COLUMNS.kinds} == {
        "hubspot_contacts", "hubspot_deals", "salesforce_leads", "salesforce_opportunities"
    }  # fmt: skip
    text = (Path(__file__).parents[2] / "questionnaires" / "crm_columns.yaml").read_text(encoding="utf-8")
    broken = text.replace("      mql_date:\n", "      mql_dates:\n", 1).replace("records: deals", "records: deal", 1)
    (tmp_path / "crm_columns.yaml").write_text(broken, encoding="utf-8")
    with pytest.raises(ContentError) as error:
        load_crm_columns(tmp_path)
    messages = [str(p) for p in error.value.problems]
    assert any(
        m.startswith("crm_columns.yaml: kinds[hubspot_contacts].columns.mql_dates: is not a field") for m in messages
    )
    assert any(m.startswith("crm_columns.yaml: kinds[hubspot_deals].records:") for m in messages)


def test_a_mapping_with_mistakes_names_each_by_its_path() -> None:
    with pytest.raises(CrmExportError) as error:
        parse_mapping(
            "date_order: middle\nfiles: {a.csv: hubspot}\nkinds: {hubspot_contacts: {columns: {mql_dat: x}}}",
            COLUMNS,
            "mapping.yaml",
        )
    assert error.value.messages("en") == [
        "mapping.yaml: date_order: 'middle' is not one of month_first, day_first",
        "mapping.yaml: files.a.csv: 'hubspot' is not one of hubspot_contacts, hubspot_deals, salesforce_leads, "
        "salesforce_opportunities",
        "mapping.yaml: kinds.hubspot_contacts.columns.mql_dat: 'mql_dat' is not a known field "
        "(did you mean 'mql_date'?)",
    ]


def test_only_dates_amounts_and_flags_are_kept_from_a_row() -> None:
    export = _read(csv_bytes(HUBSPOT_CONTACT_HEADERS, HUBSPOT_CONTACTS))
    kept = {str(value) for contact in export.contacts for value in contact}
    assert not kept & {"Taro", "Sato", "Hanako", "salesqualifiedlead"}
