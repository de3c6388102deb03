"""PDF documents of Tại Chỗ (fpdf2), laid out after Nghị định 30/2020/NĐ-CP.

- :mod:`shared.documents.official` — the A4 official-document base (fonts, header,
  signature block, red seal);
- :mod:`shared.documents.result` — what every procedure's result renderer shares
  (``ResultMeta``, ``RenderedResult``, ``SignatureBoxes``, the form kit, the demo
  watermark). Each result layout lives in its bundle under ``shared/procedures/``.
"""
