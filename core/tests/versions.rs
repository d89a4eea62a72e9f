//! Rule-file versions: the content hash follows the rules, not the file's layout; the diff of
//! two programs lists exactly the edits made between them.

use exemplar::Program;
use exemplar::rules::program::DEFAULT_PROGRAM_TOML;
use exemplar::rules::versions::{Change, ChangeKind};

/// The built-in program with `edits` (text replaced once each) applied.
fn edited(edits: &[(&str, &str)]) -> Program {
    let mut text = DEFAULT_PROGRAM_TOML.to_string();
    for (from, to) in edits {
        assert_eq!(text.matches(from).count(), 1, "`{from}` stands once in the file");
        text = text.replacen(from, to, 1);
    }
    Program::from_toml(&text).unwrap()
}

/// A change at `place`, given in Chinese and in English.
fn change(kind: ChangeKind, place: (&str, &str), field: &str, before: Option<&str>, after: Option<&str>) -> Change {
    Change {
        kind,
        place_zh: place.0.into(),
        place: place.1.into(),
        field: field.into(),
        before: before.map(str::to_string),
        after: after.map(str::to_string),
    }
}

#[test]
fn the_hash_is_of_the_rules_not_of_the_file() {
    let p = Program::default();
    let hash = p.content_hash();
    assert_eq!(hash.len(), 64);
    assert!(hash.bytes().all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase()));
    // Comments, blank lines and the format change nothing; one number changes the hash.
    let commented = edited(&[("[reward]\n", "# edited\n\n[reward]\n")]);
    assert_eq!(commented.content_hash(), hash);
    assert_eq!(Program::from_json(&p.to_json()).unwrap().content_hash(), hash);
    assert_eq!(Program::from_toml(&p.to_toml()).unwrap().content_hash(), hash);
    assert_ne!(edited(&[("floor_fen = 500000", "floor_fen = 500001")]).content_hash(), hash);
}

#[test]
fn results_carry_the_hash_of_the_program_that_made_them() {
    let p = Program::default();
    let year = exemplar::sample::sample_year(&p, Some(300), 7, 2023).unwrap();
    let evals = p.evaluate_year(&year).unwrap();
    assert!(evals.iter().all(|e| e.program_hash == p.content_hash()));
    let s = p.select(&year, &evals, &Default::default()).unwrap();
    assert_eq!(s.program_hash, p.content_hash());
    assert_eq!(p.reward(&s).unwrap().program_hash, p.content_hash());
}

#[test]
fn the_diff_lists_exactly_the_edits() {
    let before = Program::default();
    let after = edited(&[
        ("selection_target = 200 ", "selection_target = 210 "),
        ("{ stars = 4, min_score = 80 }", "{ stars = 4, min_score = 82.5 }"),
        (
            "[[vetoes]]\nid = \"mass_incident\"\nname_zh = \"发生重大刑事案件或群体性事件\"\nname_en = \"major criminal case or mass incident\"\nevent = \"mass_incident\"\n",
            "",
        ),
        ("floor_fen = 500000", "floor_fen = 600000"),
        (
            "indicator = \"organizational_life\", floor = 60, target = 100",
            "indicator = \"organizational_life\", floor = 60, target = 95",
        ),
        ("[reward]\n", "# a comment changes nothing\n[reward]\n"),
    ]);
    let veto = r#"{"event":"mass_incident","id":"mass_incident","name_en":"major criminal case or mass incident","name_zh":"发生重大刑事案件或群体性事件"}"#;
    // The parts of the file by name (bands, common_sections, reward, settings, vetoes), the
    // items of a list in the file's order.
    assert_eq!(
        before.diff(&after),
        [
            change(
                ChangeKind::Changed,
                ("评级标准（bands），星级4★", "bands, star band 4★"),
                "min_score",
                Some("80"),
                Some("82.5")
            ),
            change(
                ChangeKind::Changed,
                ("板块build_up，评分项organizational_life", "section build_up, criterion organizational_life"),
                "rule.target",
                Some("100"),
                Some("95")
            ),
            change(ChangeKind::Changed, ("奖补（reward）", "reward"), "floor_fen", Some("500000"), Some("600000")),
            change(
                ChangeKind::Changed,
                ("基本设置（settings）", "settings"),
                "selection_target",
                Some("200"),
                Some("210")
            ),
            change(ChangeKind::Removed, ("否决项mass_incident", "veto mass_incident"), "", Some(veto), None),
        ]
    );
    // The other way round: the same places, added for removed and before for after.
    let back = after.diff(&before);
    assert_eq!(back.len(), 5);
    assert_eq!(back[4], change(ChangeKind::Added, ("否决项mass_incident", "veto mass_incident"), "", None, Some(veto)));
    assert!(before.diff(&before).is_empty());
}
