"""The one PDF renderer shows Chinese and Latin from fonts it carries (nothing from the system)."""

from __future__ import annotations

import logging

from channelhub.pdf import PdfDocument, pdf_response


def test_chinese_and_latin_render_from_the_embedded_fonts_with_no_missing_glyph(caplog):
    doc = PdfDocument(title="合作协议 Agreement")
    doc.heading("渠道合作协议 Channel agreement")
    doc.paragraph("甲方：华信电子有限公司（Huaxin Electronics Co., Ltd.）乙方：鑫源贸易 — 2026年12月7日")
    doc.fields([("统一社会信用代码", "91310000MA1FL8XQ3K"), ("Discount", "12.5 %")])
    doc.table(["产品", "数量"], [["路由器 R-100", 12]])
    doc.signature_block([("乙方代表 Partner", "李四 总经理", "2026-12-07 10:00")], content_hash="0" * 64)

    with caplog.at_level(logging.WARNING, logger="fpdf"):
        data = doc.render()

    assert data.startswith(b"%PDF-")
    assert not [r for r in caplog.records if "missing" in r.getMessage()], caplog.text
    # Both faces are embedded (as subsets), so no viewer has to substitute a font.
    assert data.count(b"/FontFile2") == 2


def test_the_response_is_a_pdf_with_a_safe_file_name():
    response = pdf_response(PdfDocument(title="x"), filename='证书"; evil=1.pdf')
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'inline; filename="evil1.pdf"'
