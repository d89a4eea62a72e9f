"""Rule-file versions: the content hash follows the rules, results carry it, and the diff of two
programs lists exactly the edits."""

import exemplar


def test_the_hash_is_of_the_rules_and_results_carry_it(program):
    h = program.content_hash
    assert len(h) == 64 and h == h.lower()
    assert exemplar.Program.from_json(program.to_json()).content_hash == h
    assert exemplar.Program.from_toml("# a comment\n" + program.to_toml()).content_hash == h
    year = exemplar.load_year(exemplar.sample_year(n=200), program)
    s = exemplar.select(program, year)
    assert s.program_hash == h
    assert s.reward().program_hash == h
    e = program.evaluate(exemplar.sample_year(n=1).iloc[0].to_dict())
    assert e.program_hash == h and e.to_dict()["program_hash"] == h


def test_the_diff_lists_exactly_the_edits(program):
    text = program.to_toml()
    edited = text.replace("selection_target = 200", "selection_target = 150").replace("floor_fen = 500000", "floor_fen = 400000")
    assert edited.count("150") > text.count("150")
    changes = program.diff(exemplar.Program.from_toml(edited))
    assert changes == [
        {"kind": "changed", "place": "reward", "place_zh": "奖补（reward）", "field": "floor_fen", "before": "500000", "after": "400000"},
        {
            "kind": "changed",
            "place": "settings",
            "place_zh": "基本设置（settings）",
            "field": "selection_target",
            "before": "200",
            "after": "150",
        },
    ]
    assert program.diff(program) == []
