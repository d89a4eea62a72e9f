"""How a year scales from Python: for each size, a generated `sample_year(n)` frame loaded with
`load_year`, the weak and lax designated, the exemplars named and paid (each step scores the
year in the core's columns), one report explained on demand, and the process's peak memory.

    python examples/python/year_scale.py [organizations ...]   (default 200,000 and 1,000,000)
"""

import resource
import sys
import time

import exemplar


def main() -> None:
    sizes = [int(a) for a in sys.argv[1:]] or [200_000, 1_000_000]
    program = exemplar.Program.default()
    print("| organizations | reports | generate (s) | load_year (s) | designate (s) | select (s) | reward (s) "
          "| load → pay (s) | explain one (ms) | peak memory (GB) |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    # Smallest first: the peak so far is the peak of the largest year run.
    for n in sizes:
        t = time.perf_counter()
        frame = exemplar.sample_year(n)
        generate = time.perf_counter() - t

        t0 = time.perf_counter()
        year = exemplar.load_year(frame, program)
        load = time.perf_counter() - t0
        t = time.perf_counter()
        exemplar.designate(program, year)
        designate = time.perf_counter() - t
        t = time.perf_counter()
        selection = exemplar.select(program, year)  # designates again, then names
        select = time.perf_counter() - t
        t = time.perf_counter()
        pay = selection.reward()
        reward = time.perf_counter() - t
        total = load + select + reward
        assert pay.paid_fen + pay.rest_fen == pay.pool_fen

        row = frame.iloc[len(frame) // 2]
        t = time.perf_counter()
        reasons = year.evaluation(program._inner, row["org_id"], row["scheme"]).criteria
        explain = (time.perf_counter() - t) * 1e3
        assert reasons
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 / 1e9
        print(f"| {n:,} | {len(frame):,} | {generate:.2f} | {load:.2f} | {designate:.2f} | {select:.2f} | "
              f"{reward:.3f} | {total:.2f} | {explain:.2f} | {peak:.2f} |")


if __name__ == "__main__":
    main()
