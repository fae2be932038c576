"""atheris harness: plain text and Markdown (encoding detection, normalisation, title guess, chunking)."""

from harness import main

SEEDS = [
    "# 社会保障卡补办指南（示例）\n\n## 申请材料\n\n1. 身份证原件\n".encode(),
    "江临市人民政府办公室\n江临政办发〔2025〕12号\n\n第一条 为了……\n".encode("gb18030"),
    "\ufeff第一章 总则\r\n第一条 本办法自发布之日起施行。".encode("utf-16"),
]

if __name__ == "__main__":
    main(lambda data: ".md" if data[:1] == b"#" else ".txt", SEEDS)
