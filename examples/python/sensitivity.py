"""Would our exemplars still be named if the weights were a little different? The default program
on the sample year: 1,000 weightings of each scheme's sections within ±20 % of the sheet's own
(each keeping the total), the year's real decisions made under each; which exemplars are robust,
which are on the edge, and how far each section's weight could move before the list changes.

    python examples/python/sensitivity.py [draws] [chart.png]
"""

import sys

import exemplar


def bar(done: int, total: int) -> None:
    filled = done * 40 // total
    print(f"\r[{'#' * filled}{'.' * (40 - filled)}] {done}/{total}", end="" if done < total else "\n", file=sys.stderr)


def main() -> None:
    draws = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    program = exemplar.Program.default()
    year = exemplar.load_year(exemplar.sample_year(), program)
    s = exemplar.sensitivity(program, year, draws, seed=2023, within=20, progress=lambda done: bar(done, draws))
    r = s.reports
    named = r[r["named"]]
    robust = named[named["p_named"] >= 0.95]
    edge = named[named["p_named"] < 0.5]
    print(f"{draws} draws, sections within ±20 %: of {len(named)} named today, {len(robust)} are named in ≥ 95 % of "
          f"the draws, {len(edge)} in fewer than half; a draw keeps {s.expected_overlap:.1%} of today's list on average.")
    print("\nOn the edge (named in some draws, not in others):")
    print("| organization | scheme | county | score | named today | P(named) | rank 5 %–95 % |")
    print("|---|---|---|---|---|---|---|")
    for _, x in s.most_uncertain.head(10).iterrows():
        print(f"| {x.org_id} | {x.scheme} | {x.county} | {x.score:.2f} | {'yes' if x.named else 'no'} | {x.p_named:.1%} | "
              f"{x.rank_p5}–{x.rank_p95} |")
    print("\nHow far each section's weight can move (the scheme's other sections rescaled) before the list changes:")
    print("| scheme | section | weight | holds from | to |")
    print("|---|---|---|---|---|")
    for scheme in ["rural_revitalization", "grassroots_governance"]:
        for section in s.units[scheme]:
            b = exemplar.stability(program, year, scheme, section)
            print(f"| {scheme} | {section} | {b['weight']:.2f} | {b['from']:.2f} | {b['to']:.2f} |")
    if len(sys.argv) > 2:
        s.plot().savefig(sys.argv[2], dpi=120)


if __name__ == "__main__":
    main()
