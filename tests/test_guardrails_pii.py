"""PII masking: checksums decide what is an identifier; placeholders are stable and reversible; logs get redaction."""

from __future__ import annotations

from agents.guardrails import PiiKind, PiiVault, find_pii, mask_pii, pii_kinds, redact

# Check characters computed here from the standards, independently of the code under test.


def id_check(first17: str) -> str:
    """GB 11643: weights 2^(17-i) mod 11, sum mod 11 indexes 1 0 X 9 8 7 6 5 4 3 2."""
    total = sum(int(d) * (2 ** (17 - i) % 11) for i, d in enumerate(first17))
    return "10X98765432"[total % 11]


def luhn_digit(body: str) -> str:
    """The digit that makes ``body + digit`` pass Luhn."""
    total = 0
    for i, char in enumerate(reversed(body)):
        d = int(char) * (2 if i % 2 == 0 else 1)
        total += d - 9 if d > 9 else d
    return str((10 - total % 10) % 10)


def uscc_check(first17: str) -> str:
    """GB 32100: 31-character alphabet, weights 3^i mod 31, check = (31 - sum mod 31) mod 31."""
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    total = sum(alphabet.index(c) * (3**i % 31) for i, c in enumerate(first17))
    return alphabet[(31 - total % 31) % 31]


def luhn_ok(number: str) -> bool:
    return luhn_digit(number[:-1]) == number[-1]


def kinds(text: str) -> list[tuple[PiiKind, str]]:
    return [(m.kind, m.text) for m in find_pii(text)]


def test_check_digit_helper_agrees_with_the_published_example() -> None:
    assert id_check("11010519491231002") == "X"


def test_resident_id_with_correct_check_digit_is_masked_and_wrong_one_is_not() -> None:
    valid = "11010519491231002X"
    wrong = "110105194912310021"
    masked = mask_pii(f"身份证{valid}，另一个{wrong}")
    assert masked.text == f"身份证[身份证号_1]，另一个{wrong}"
    first17 = "44030519900307123"
    assert kinds(f"号码{first17}{id_check(first17)}") == [(PiiKind.RESIDENT_ID, first17 + id_check(first17))]


def test_lower_case_x_check_character_is_accepted() -> None:
    assert kinds("11010519491231002x") == [(PiiKind.RESIDENT_ID, "11010519491231002x")]


def test_id_with_right_check_digit_but_impossible_birth_date_is_not_an_id() -> None:
    first17 = "11010519491331002"  # month 13
    assert find_pii(first17 + id_check(first17)) == []


def test_valid_id_that_also_passes_luhn_is_reported_once_as_an_id() -> None:
    ids = (f"44030519900307{n:03d}" for n in range(1000))
    both = next(i + id_check(i) for i in ids if luhn_ok(i + id_check(i)) and id_check(i) != "X")
    assert [(m.kind, m.start, m.end) for m in find_pii(f"证件{both}")] == [(PiiKind.RESIDENT_ID, 2, 20)]


def test_uscc_with_correct_check_character_is_masked_and_wrong_one_is_not() -> None:
    assert kinds("统一社会信用代码91350100M000100Y43") == [(PiiKind.USCC, "91350100M000100Y43")]
    assert find_pii("统一社会信用代码91350100M000100Y44") == []
    assert mask_pii("企业91350100M000100Y43已登记").text == "企业[统一社会信用代码_1]已登记"


def test_uscc_check_helper_agrees_with_the_known_code() -> None:
    assert uscc_check("91350100M000100Y4") == "3"


def test_uscc_with_right_check_but_unknown_type_prefix_is_not_a_code() -> None:
    first17 = "99350100M000100Y4"  # 9 9 is no registering-authority/type pair
    assert find_pii(first17 + uscc_check(first17)) == []
    social = "51110000MJ0000000"  # 5 1: a social organisation registered with 民政
    assert kinds(social + uscc_check(social)) == [(PiiKind.USCC, social + uscc_check(social))]


def test_bank_card_passing_luhn_is_masked_in_plain_and_grouped_form() -> None:
    card = "622202123456789012" + luhn_digit("622202123456789012")
    grouped = " ".join(card[i : i + 4] for i in range(0, len(card), 4))
    assert kinds(f"卡号{card}") == [(PiiKind.BANK_CARD, card)]
    assert kinds(f"卡号：{grouped}。") == [(PiiKind.BANK_CARD, grouped)]
    wrong = card[:-1] + str((int(card[-1]) + 1) % 10)
    assert find_pii(f"卡号{wrong}") == []


def test_date_like_numbers_are_not_bank_cards_even_when_luhn_passes() -> None:
    ticket = "2024031500012" + luhn_digit("2024031500012")
    assert luhn_ok(ticket)
    assert find_pii(f"工单号{ticket}") == []


def test_phone_numbers_with_country_code_and_separators_share_one_placeholder() -> None:
    text = "电话13812345678，或+86 138 1234 5678，或0086-138-1234-5678，或(86)1381234-5678"
    masked = mask_pii(text)
    assert masked.text.count("[手机号_1]") == 4
    assert "[手机号_2]" not in masked.text
    assert {m.value for m in masked.matches} == {"13812345678"}


def test_numbers_that_only_look_like_phones_are_left_alone() -> None:
    for text in ("热线12345", "12345678901", "订单号213812345678999", "座机020-12345678"):
        assert find_pii(text) == [], text


def test_licence_plates_standard_and_new_energy_are_found() -> None:
    text = "车辆粤A12345、京AD12345、沪A12345D和粤B·5G7H3停在路边"
    assert [(m.kind, m.value) for m in find_pii(text)] == [
        (PiiKind.PLATE, "粤A12345"),
        (PiiKind.PLATE, "京AD12345"),
        (PiiKind.PLATE, "沪A12345D"),
        (PiiKind.PLATE, "粤B5G7H3"),
    ]
    assert find_pii("粤ABCDEF和京A1") == []


def test_email_whose_local_part_is_a_phone_number_is_one_email() -> None:
    assert kinds("邮箱13912345678@qq.com") == [(PiiKind.EMAIL, "13912345678@qq.com")]


def test_same_value_keeps_its_placeholder_and_new_values_count_up_across_turns() -> None:
    vault = PiiVault()
    first = vault.mask("张三13812345678，李四13900001111")
    second = vault.mask("再查一下13812345678和13700002222")
    assert first.text == "张三[手机号_1]，李四[手机号_2]"
    assert second.text == "再查一下[手机号_1]和[手机号_3]"
    assert len(vault) == 3


def test_unmask_restores_the_real_values_round_trip() -> None:
    text = "申请人身份证11010519491231002X，手机13812345678，企业91350100M000100Y43，车牌粤A12345。"
    masked = mask_pii(text)
    assert "11010519491231002X" not in masked.text and "13812345678" not in masked.text
    assert masked.vault.unmask(masked.text) == text
    assert masked.original() == text


def test_original_restores_each_occurrence_as_written() -> None:
    text = "电话+86 138-1234-5678，再说一遍13812345678"
    masked = mask_pii(text)
    assert masked.text == "电话[手机号_1]，再说一遍[手机号_1]"
    assert masked.original() == text


def test_unmask_accepts_full_width_brackets_and_leaves_unknown_placeholders() -> None:
    masked = mask_pii("手机13812345678")
    answer = "已为【手机号_1】预约，[手机号_7]与[身份证号_1]未知"
    assert masked.vault.unmask(answer) == "已为13812345678预约，[手机号_7]与[身份证号_1]未知"


def test_unmask_args_gives_tools_canonical_values() -> None:
    masked = mask_pii("我的电话是+86 138-1234-5678，身份证11010519491231002x")
    args = {"phone": "[手机号_1]", "people": [{"id": "[身份证号_1]"}], "count": 2}
    assert masked.vault.unmask_args(args) == {
        "phone": "13812345678",
        "people": [{"id": "11010519491231002X"}],
        "count": 2,
    }
    lookup = masked.vault.lookup("[手机号_1]")
    assert lookup is not None and lookup.kind is PiiKind.PHONE


def test_redact_keeps_only_a_few_characters_for_logs() -> None:
    text = "身份证11010519491231002X，手机13812345678，邮箱zhangsan@example.com"
    assert redact(text) == "身份证110105********002X，手机138****5678，邮箱z***@example.com"


def test_pii_kinds_counts_each_kind_without_values() -> None:
    text = "13812345678、13900001111、11010519491231002X"
    assert pii_kinds(text) == {PiiKind.PHONE: 2, PiiKind.RESIDENT_ID: 1}
    assert pii_kinds("没有个人信息") == {}
