"""Results worded in Chinese (the default) or English: the same numbers, the texts of one
language only, and a language the library does not write is an ExemplarError."""

import pytest

import exemplar
from conftest import case, fixture_program

RULE_KINDS = case("rule_kinds")


def report(org):
    return next(r for r in RULE_KINDS["reports"] if r["org_id"] == org)


def test_reasons_in_both_languages():
    zh = fixture_program("rule_kinds", RULE_KINDS)
    en = zh.with_language("en")
    assert (zh.language, en.language) == ("zh", "en")
    a, b = zh.evaluate(report("B")), en.evaluate(report("B"))
    # meetings 75 between 60 and 100: (75 − 60) / 40 × 10 = 3.75 of 10 (worked in the fixture).
    za, eb = a.to_dict(), b.to_dict()
    meetings = [c for c in za["sheets"][0]["sections"][0]["criteria"] if c["id"] == "meetings"][0]
    assert meetings["reason"] == "75，介于下限60与目标100之间，得3.75分（满分10分）"
    meetings = [c for c in eb["sheets"][0]["sections"][0]["criteria"] if c["id"] == "meetings"][0]
    assert meetings["reason"] == "75 between floor 60 and target 100: 3.75 of 10.00"
    assert (a.score, a.stars, a.standing) == (b.score, b.stars, b.standing)
    assert (a.band_reason, b.band_reason) == ("后进", "lagging")
    assert zh.content_hash == en.content_hash


def test_a_language_the_library_does_not_write():
    with pytest.raises(exemplar.PolicyError, match='"zh" or "en"'):
        exemplar.Program.default().with_language("fr")
    with pytest.raises(exemplar.ExemplarError):
        exemplar.allocate(100, {"a": 1}, language="de")  # type: ignore[arg-type]


def test_allocation_bases_in_both_languages():
    # 100 fen by 1:1:1: 33 each, the odd fen to the smallest id by largest remainder.
    zh = exemplar.allocate(100, {"a": 1, "b": 1, "c": 1})
    en = exemplar.allocate(100, {"a": 1, "b": 1, "c": 1}, language="en")
    assert zh.amounts_fen == en.amounts_fen == {"a": 34, "b": 33, "c": 33}
    basis = {w["id"]: w["basis"] for w in zh.awards}
    assert basis["a"] == "权重1/3：0.34元，按最大余数法加0.01元"
    assert basis["b"] == "权重1/3：0.33元"
    assert {w["id"]: w["basis"] for w in en.awards}["a"] == "weight 1 of 3: 0.34 yuan, +0.01 by largest remainder"


def test_errors_and_lifecycle_texts_in_chinese():
    program = exemplar.Program.default()
    # Only one value given: the relocation scheme's first indicator is missing.
    with pytest.raises(exemplar.InputError) as err:
        program.evaluate({"org_id": "HTT", "area": "relocation_follow_up", "period": "2023", "job_fairs": 3})
    assert err.value.message_zh == (
        "组织`HTT`，方案`relocation_follow_up`，指标`secretary_in_post`：缺少数值（本规则对缺失值的处理为报错）"
    )
    assert str(err.value).startswith("organization `HTT`, scheme `relocation_follow_up`, indicator `secretary_in_post`")
    # Floors of 60 yuan for 2 recipients need 120 yuan, more than the pool of 100.
    with pytest.raises(exemplar.PolicyError) as err:
        exemplar.allocate(10_000, {"a": 1, "b": 1}, floor_fen=6_000)
    assert err.value.message_zh == "2个对象每个保底60.00元，共需120.00元，超过资金池100.00元"
    # Errors the package finds itself, in Python and in its compiled part.
    with pytest.raises(exemplar.PolicyError) as err:
        exemplar.allocate(100, {"a": 1}, policy="lottery")
    assert err.value.message_zh == "未知的分配方式'lottery'：应为proportional、equal或tiered"
    with pytest.raises(exemplar.PolicyError) as err:
        program.with_language(5)
    assert (err.value.message_zh, str(err.value)) == ("请传入文本（str），而非5（int）", "pass text (str), not 5 (int)")
    # The built-in program's first stage, 自评 (self-assessment), runs 10 days: 1 to 10 May.
    p = exemplar.Procedure.start(program, "A1", "rural_revitalization", "2023-05-01")
    assert p.status == "自2023-05-01起处于自评环节，时限至2023-05-10"
    with pytest.raises(exemplar.LifecycleError) as err:
        exemplar.Title.confer(program, p, "五星级党组织")
    assert err.value.message_zh == f"`A1`在方案`rural_revitalization`下的称号：不能命名授牌：该程序{p.status}"
    en = exemplar.Procedure.start(program.with_language("en"), "A1", "rural_revitalization", "2023-05-01")
    assert en.status == "at self_assessment since 2023-05-01, due 2023-05-10"


def test_rule_file_problems_in_chinese():
    text = exemplar.Program.default_toml().replace('[program]\nid = "', '[program]\nid = "Bad', 1)
    with pytest.raises(exemplar.RuleFileError) as err:
        exemplar.Program.from_toml(text)
    [p] = err.value.problems
    assert (p.place_zh, p.place) == ("规则Badchuxiong_yidai_wuqu", "program Badchuxiong_yidai_wuqu")
    assert p.message_zh == "规则编号`Badchuxiong_yidai_wuqu`只能由小写字母、数字和_组成，并以字母开头"
    assert err.value.message_zh == f"规则文件有1处问题：\n  第{p.line}行第{p.column}列：{p.place_zh}：{p.message_zh}"
