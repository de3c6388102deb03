"""PDF documents of Tại Chỗ (fpdf2), laid out after Nghị định 30/2020/NĐ-CP.

- :mod:`shared.documents.official` — the A4 official-document base (fonts, header,
  signature block, red seal);
- :mod:`shared.documents.birth_result` — the Giấy khai sinh result document.
"""
