//! Every text in Chinese (the default) and in English: reasons worked by hand in both, and no
//! text of a whole year's results mixing the two.

use exemplar::decisions::select::Exclusions;
use exemplar::scoring::gap::Goal;
use exemplar::{Evaluation, Language, Program, Report};
use std::path::Path;

fn rule_kinds() -> Program {
    Program::from_path(Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/rule_kinds/program.toml")).unwrap()
}

/// Report `org` of the rule-kinds fixture.
fn report(org: &str) -> Report {
    let text =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/rule_kinds/case.json"))
            .unwrap();
    let case: serde_json::Value = serde_json::from_str(&text).unwrap();
    let r = case["reports"].as_array().unwrap().iter().find(|r| r["org_id"] == org).unwrap();
    serde_json::from_value(r.clone()).unwrap()
}

fn reasons(e: &Evaluation) -> Vec<(&str, &str)> {
    e.sheets[0].sections.iter().flat_map(|s| &s.criteria).map(|c| (c.id.as_str(), c.reason.as_str())).collect()
}

/// Report B of the fixture (its points worked in `case.json`), every criterion's reason.
#[test]
fn every_kind_of_reason_in_both_languages() {
    let zh = rule_kinds().evaluate(&report("B")).unwrap();
    assert_eq!(
        reasons(&zh),
        [
            ("meetings", "75，介于下限60与目标100之间，得3.75分（满分10分）"),
            ("members_new", "1，达到“≥1”档，得4.00分"),
            ("secretary", "未开展，不得分"),
            ("missing_items", "计2项，每项扣1分"),
            ("model_posts", "1项，每项加1.50分"),
            // 4 required, 3 held: 1 missing.
            ("inspections", "缺1项，每项扣2分"),
            // 2 complaints × 1.5 = 3 of 3.
            ("complaints", "发生2次，每次扣1.50分，扣完为止，得0分"),
            ("employment_rate", "87，介于下限80与目标95之间，得4.67分（满分10分）"),
            ("petitions", "4，介于下限10与目标0之间，得4.80分（满分8分）"),
            ("growth", "7，介于下限0与目标20之间，得1.05分（满分3分）"),
        ]
    );
    // 26.77 is below every star band; the standing is lagging.
    assert_eq!(zh.band_reason, "后进");
    let en = rule_kinds().with_language(Language::En).evaluate(&report("B")).unwrap();
    assert_eq!(
        reasons(&en),
        [
            ("meetings", "75 between floor 60 and target 100: 3.75 of 10.00"),
            ("members_new", "1 reached step ≥ 1: 4.00"),
            ("secretary", "no"),
            ("missing_items", "2 counted × −1"),
            ("model_posts", "1 × 1.50"),
            ("inspections", "1 missing × −2"),
            ("complaints", "2 counted × −1.50: floored at 0"),
            ("employment_rate", "87 between floor 80 and target 95: 4.67 of 10.00"),
            ("petitions", "4 between floor 10 and target 0: 4.80 of 8.00"),
            ("growth", "7 between floor 0 and target 20: 1.05 of 3.00"),
        ]
    );
    assert_eq!(en.band_reason, "lagging");
    // The numbers are the same whatever the language.
    assert_eq!((zh.score, zh.stars, zh.standing), (en.score, en.stars, en.standing));
}

/// Vetoes and band conditions (reports D and C of the fixture): the names are the file's
/// Chinese names, or in English the ids where the file gives no English names.
#[test]
fn veto_and_band_reasons_in_both_languages() {
    let (zh, en) = (rule_kinds(), rule_kinds().with_language(Language::En));
    let d = zh.evaluate(&report("D")).unwrap();
    assert_eq!(d.vetoes[0].reason, "一票否决：发生群体性事件（记录1次）");
    assert_eq!(d.band_reason, "触发一票否决（发生群体性事件），不论得分均定为最低档次");
    let d = en.evaluate(&report("D")).unwrap();
    assert_eq!(d.vetoes[0].reason, "vetoed: mass_incident (1 recorded)");
    assert_eq!(d.band_reason, "vetoed (mass_incident): lowest band regardless of score");
    // C: 60 ≥ 54 but no innovation project: not 5★; 60 ≥ 48: 4★.
    let c = zh.evaluate(&report("C")).unwrap();
    assert_eq!(c.band_reason, "60.00分达到54.00分，但创新项目未达要求：不评5★；60.00分，达到48.00分：4★；先进");
    let c = en.evaluate(&report("C")).unwrap();
    assert_eq!(c.band_reason, "60.00 ≥ 54.00 but innovation not met: not 5★; 60.00 ≥ 48.00: 4★; advanced");
    // F: two safety accidents fire the scheme's veto on an indicator.
    let f = zh.evaluate(&report("F")).unwrap();
    assert_eq!(f.vetoes[0].reason, "一票否决：发生安全事故（安全事故数为2，不低于1）");
    let f = en.evaluate(&report("F")).unwrap();
    assert_eq!(f.vetoes[0].reason, "vetoed: safety (safety_accidents = 2, ≥ 1)");
}

/// A rule file states its language; a language is an argument the bindings parse; the hash is
/// of the rules, not of the language they are worded in.
#[test]
fn the_language_is_a_setting_not_a_rule() {
    let toml =
        exemplar::rules::program::DEFAULT_PROGRAM_TOML.replacen("[program]\n", "[program]\nlanguage = \"en\"\n", 1);
    let en = Program::from_toml(&toml).unwrap();
    assert_eq!((Program::default().language(), en.language()), (Language::Zh, Language::En));
    assert_eq!(en.content_hash(), Program::default().content_hash());
    assert_eq!(Program::from_toml(&en.to_toml()).unwrap().language(), Language::En);
    let bad = toml.replace("language = \"en\"", "language = \"fr\"");
    assert!(Program::from_toml(&bad).unwrap_err().to_string().contains("unknown variant `fr`"));
    assert_eq!("en".parse::<Language>().unwrap(), Language::En);
    assert!("EN".parse::<Language>().unwrap_err().to_string().contains("\"zh\" or \"en\""));
}

fn has_cjk(s: &str) -> bool {
    s.chars().any(|c| ('\u{3000}'..='\u{9fff}').contains(&c) || ('\u{ff00}'..='\u{ffef}').contains(&c))
}

/// Every text of a year's results under the built-in program: Chinese texts hold no English
/// word, English texts no Chinese beyond the data's own names (organizations, counties).
#[test]
fn no_text_mixes_the_two_languages() {
    for lang in [Language::Zh, Language::En] {
        let program = Program::default().with_language(lang);
        let year = exemplar::sample::sample_year(&program, Some(400), 7, 2023).unwrap();
        let evals = program.evaluate_year(&year).unwrap();
        let mut texts: Vec<String> = Vec::new();
        for e in &evals {
            texts.extend(e.sheets.iter().flat_map(|s| &s.sections).flat_map(|s| &s.criteria).map(|c| c.reason.clone()));
            texts.push(e.band_reason.clone());
            texts.extend(e.vetoes.iter().chain(&e.weak_lax).map(|h| h.reason.clone()));
            texts.extend(program.gap(e).unwrap().unmet_conditions);
            for goal in [Goal::Reach, Goal::Keep] {
                texts.push(program.improvement_plan(e, goal).unwrap().summary);
            }
        }
        let designations = program.designate(&year, &evals).unwrap();
        texts.extend(designations.iter().flat_map(|d| d.reasons.clone()));
        let selection =
            program.select(&year, &evals, &Exclusions::from_designations(&designations, program.language())).unwrap();
        texts.extend(selection.named.iter().map(|n| n.basis.clone()));
        texts.extend(selection.not_named.iter().map(|n| n.reason.clone()));
        texts.extend(selection.shortfalls.clone());
        texts.extend(program.reward(&selection).unwrap().awards.into_iter().map(|a| a.basis));
        assert!(texts.len() > 5_000, "{}", texts.len());
        for t in &texts {
            match lang {
                Language::Zh => assert!(!t.chars().any(|c| c.is_ascii_alphabetic()), "English in `{t}`"),
                Language::En => {
                    let mut bare = t.clone();
                    for name in exemplar::sample::COUNTIES
                        .iter()
                        .copied()
                        .chain(year.organizations.iter().map(|o| o.name.as_str()))
                    {
                        bare = bare.replace(name, "");
                    }
                    assert!(!has_cjk(&bare), "Chinese in `{t}`");
                }
            }
        }
    }
}

/// An error says what it is about and what is wrong in either language: `Display` is the
/// English, `message(Zh)` the Chinese, with the same organization, scheme and field.
#[test]
fn error_messages_in_both_languages() {
    let program = Program::default();
    let period = exemplar::Period::year(2023).unwrap();
    let mut row = program.row_input("HTT", "relocation_follow_up", period).unwrap();
    // Only one value given: the scheme's first indicator, `secretary_in_post`, is missing.
    let e = row.flat("job_fairs", 3.0).and_then(|_| row.score().map(|_| ())).unwrap_err();
    assert_eq!(
        e.message(Language::Zh),
        "组织`HTT`，方案`relocation_follow_up`，指标`secretary_in_post`：缺少数值（本规则对缺失值的处理为报错）"
    );
    assert_eq!(
        e.to_string(),
        "organization `HTT`, scheme `relocation_follow_up`, indicator `secretary_in_post`: missing value \
         (the program's missing policy is `error`)"
    );
    // Floors of 60 yuan for 2 recipients: 120 yuan, above a pool of 100.
    let claims = ["a", "b"].map(|id| exemplar::decisions::allocate::Claim { id: id.into(), scheme: None, weight: 1 });
    let fen = exemplar::decisions::money::Fen;
    let e = exemplar::decisions::allocate::apportion(fen(10_000), &claims, fen(6_000), None, Language::Zh).unwrap_err();
    assert_eq!(e.message(Language::Zh), "2个对象每个保底60.00元，共需120.00元，超过资金池100.00元");
    assert_eq!(
        e.to_string(),
        "floors of 60.00 yuan for 2 recipients need 120.00 yuan, more than the pool of 100.00 yuan"
    );
    let Err(e) = program.row_input("HTT", "nowhere", period) else { panic!("an unknown scheme") };
    assert!(
        e.message(Language::Zh).starts_with("组织`HTT`，方案`nowhere`，列`scheme`：未知方案；本规则的方案有"),
        "{e}"
    );
}

/// A rule file's problems and warnings in both languages: the place as the file's items in
/// words, the message, and the line and column.
#[test]
fn rule_file_problems_in_both_languages() {
    let text =
        exemplar::rules::program::DEFAULT_PROGRAM_TOML.replacen("[program]\nid = \"", "[program]\nid = \"Bad", 1);
    let Err(e @ exemplar::Error::RuleFile(_)) = Program::from_toml(&text) else { panic!("a bad id") };
    let exemplar::Error::RuleFile(problems) = &e else { unreachable!() };
    let p = &problems[0];
    assert_eq!(
        (p.place.zh.as_str(), p.place.en.as_str()),
        ("规则Badchuxiong_yidai_wuqu", "program Badchuxiong_yidai_wuqu")
    );
    assert_eq!(p.message.zh, "规则编号`Badchuxiong_yidai_wuqu`只能由小写字母、数字和_组成，并以字母开头");
    let (line, column) = (p.line.unwrap(), p.column.unwrap());
    assert_eq!(
        e.message(Language::Zh),
        format!("规则文件有1处问题：\n  第{line}行第{column}列：规则Badchuxiong_yidai_wuqu：{}", p.message.zh)
    );
    assert!(
        e.to_string().starts_with(&format!("rule file has 1 problem(s):\n  line {line}, column {column}: program"))
    );
}
