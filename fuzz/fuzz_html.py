"""atheris harness: HTML pages (lenient parsing, deep nesting, scripts and tables dropped or kept)."""

from harness import main

SEEDS = [
    "<html><head><title>办事指南</title></head><body><h1>社保卡补办</h1><p>携带身份证</p>"
    "<table><tr><td>材料</td><td>份数</td></tr></table><script>x()</script></body></html>".encode(),
    b"<div>" * 200 + "正文".encode() + b"</div>" * 200,
]

if __name__ == "__main__":
    main(lambda data: ".html", SEEDS)
