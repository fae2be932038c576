"""atheris harness: .docx packages (zip, XML, paragraphs and tables through python-docx)."""

import io

import docx
from harness import main


def _seed() -> bytes:
    document = docx.Document()
    document.add_heading("江临市社会保障卡管理办法（示例）", 1)
    document.add_paragraph("第一条 为规范社会保障卡管理，制定本办法。")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(1, 1).text = "材料", "身份证"
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


if __name__ == "__main__":
    main(lambda data: ".docx", [_seed()])
