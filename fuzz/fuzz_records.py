"""atheris harness: JSONL and CSV records (one document per record, rendered through the default template)."""

from harness import main

SEEDS = [
    '{"TASK_CODE": "11440100", "TASK_NAME": "社会保障卡补办", "BLYJ": "身份证"}\n{"TASK_NAME": "居住证"}\n'.encode(),
    "TASK_CODE,TASK_NAME,BLYJ\n1,社保卡补办,身份证\n2,\"居住证, 新办\",租赁合同\n".encode("gb18030"),
]

if __name__ == "__main__":
    main(lambda data: ".jsonl" if data.lstrip()[:1] in (b"{", b"[") else ".csv", SEEDS)
