"""Every benchmark, then bench/RESULTS.md (`make bench`, or `python bench/all.py`).

1. The databases (bench/databases.py): bench_demo made afresh; bench_large made (and the
   generator timed) only when missing or with --rebuild-large, as it takes minutes.
2. Per size: each page's server time and queries (bench/pages.py), then gunicorn under load
   (bench/load.py), once with the pages only and once with the PDF and JSON reports too.
3. The PDF reports (bench/run.py) and background runs (bench/report_runs.py) on PostgreSQL.
4. bench/RESULTS.md: the machine (CPU, cores, RAM, Python, PostgreSQL, date, load average
   before and after, what else was using the CPU), every figure of this run, and whether
   each target of the issue is met. What follows the HAND_WRITTEN line in the old file (the
   reading of the figures) is kept.

Every figure written comes from this run; a part that fails is named, with its output.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import common  # noqa: E402

RESULTS = common.ROOT / "bench" / "RESULTS.md"
HAND_WRITTEN = "<!-- Everything below this line is written by hand; `make bench` keeps it. -->"
FLOOR_RATIO, PAGE_MEDIAN_MS, BUDGET_P95_MS, GENERATOR_SECONDS = 3, 100, 500, 600
DOWNLOADS = ("PDF report", "JSON report", "budget CSV", "expenditure CSV")


def run(*command: str, env: dict | None = None) -> tuple[int, str]:
    """Run a part, show its output as it comes, and keep it."""
    print("$", " ".join(command), flush=True)
    process = subprocess.Popen(command, cwd=common.ROOT, env=env, text=True,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT)  # fmt: skip
    lines = []
    for line in process.stdout:
        print(line, end="", flush=True)
        lines.append(line)
    return process.wait(), "".join(lines)


def busy_processes() -> list[str]:
    """Other processes using the CPU now (over 5 % since they started, ps's measure)."""
    out = subprocess.run(["ps", "-eo", "pcpu=,args="], capture_output=True, text=True).stdout
    busy = []
    for line in out.splitlines():
        cpu, _, args = line.strip().partition(" ")
        if float(cpu) > 5 and "bench" not in args and "<defunct>" not in args:
            busy.append(f"{cpu} % {args.strip()[:90]}")
    return busy


def large_is_ready() -> bool:
    check = subprocess.run(
        [
            "psql",
            common.database_url("bench_large"),
            "-Atc",
            "select count(*) from projects_project where slug like 'synthetic-%'",
        ],  # fmt: skip
        capture_output=True,
        text=True,
    )
    return check.returncode == 0 and int(check.stdout.strip() or 0) > 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="demo,large")
    parser.add_argument("--parts", default="pages,load,pdf,runs")
    parser.add_argument("--rebuild-large", action="store_true")
    parser.add_argument("--seconds", type=int, default=60, help="of each load run")
    parser.add_argument("--no-results", action="store_true", help="leave RESULTS.md as it is")
    args = parser.parse_args()
    sizes, parts = args.sizes.split(","), args.parts.split(",")
    py = sys.executable
    started = {"date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
               "loadavg": common.loadavg(), "busy": busy_processes()}  # fmt: skip
    failures: list[str] = []
    outputs: dict[str, str] = {}

    def part(name: str, *command: str, env: dict | None = None) -> None:
        code, output = run(*command, env=env)
        outputs[name] = output
        if code:
            failures.append(f"{name} (exit {code})")

    env = common.portal_env(common.database_url("bench_demo"))
    part("collectstatic", py, "manage.py", "collectstatic", "--no-input", "-v0", env=env)
    for size in sizes:
        if size == "demo":
            part("database demo", py, "bench/databases.py", "demo")
        elif args.rebuild_large or not large_is_ready():
            part("database large", py, "bench/databases.py", "large")
        url = common.database_url(f"bench_{size}")
        if "pages" in parts:
            part(f"pages {size}", py, "bench/pages.py", "--database", url, "--label", size)
            if size == "large":  # the demo project again, in the large database: its queries
                part("pages large-di4c", py, "bench/pages.py", "--database", url, "--label",
                     "large-di4c", "--project", "di4c", "--rounds", "3")  # fmt: skip
        if "load" in parts:
            for mix in ("pages", "all"):
                part(f"load {size} {mix}", py, "bench/load.py", "--database", url, "--label",
                     size, "--mix", mix, "--seconds", str(args.seconds))  # fmt: skip
    if "pdf" in parts:
        part("database pdf", py, "bench/databases.py", "pdf")
        env = dict(common.portal_env(common.database_url("bench_pdf")), DEBUG="1")
        env.pop("DJANGO_SETTINGS_MODULE")
        part("pdf", py, "bench/run.py", env=env)
    if "runs" in parts:
        part("database runs", py, "bench/databases.py", "runs")
        env = dict(os.environ, DATABASE_URL=common.database_url("bench_runs"))
        env.pop("DJANGO_SETTINGS_MODULE", None)
        part("runs", py, "bench/report_runs.py", env=env)
    finished = {"loadavg": common.loadavg(), "busy": busy_processes(),
                "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())}  # fmt: skip
    if not args.no_results:
        RESULTS.write_text(report(sizes, parts, started, finished, outputs, failures))
        print(f"\nWrote {RESULTS.relative_to(common.ROOT)}")
    return 1 if failures else 0


def report(sizes, parts, started, finished, outputs, failures) -> str:
    m = common.machine()
    pg = common.postgres_version(common.database_url("bench_demo"))
    out = [
        "# Benchmarks",
        "",
        f"Written by `make bench` (bench/all.py), {started['date']} – {finished['date']}. "
        "Every figure below comes from that run.",
        "",
        "## Machine",
        "",
        f"- CPU: {m['cpu']}, {m['cores']} cores; RAM {m['ram']}",
        f"- Python {m['python']}, {pg}, {m['os']}",
        f"- Load average (1, 5, 15 min) at the start: {started['loadavg']}; at the end: "
        f"{finished['loadavg']}",
        "- Other processes using the CPU at the start: "
        + ("; ".join(f"`{p}`" for p in started["busy"]) or "none"),
        "- … and at the end: " + ("; ".join(f"`{p}`" for p in finished["busy"]) or "none"),
    ]
    if failures:
        out += ["", "**Parts that failed:** " + ", ".join(failures) + " (output below)."]
    out += sizes_section(sizes)
    if "pages" in parts:
        out += pages_section(sizes)
    if "load" in parts:
        out += load_section(sizes)
    if "pdf" in parts:
        out += ["", "## PDF reports (bench/run.py, PostgreSQL)", "", outputs.get("pdf", "").strip()]
    if "runs" in parts:
        out += ["", "## Background report runs (bench/report_runs.py, PostgreSQL)", "",
                outputs.get("runs", "").strip()]  # fmt: skip
    for name in failures:
        key = name.split(" (exit")[0]
        if key not in ("pdf", "runs"):
            out += ["", f"### Output of {key}", "", "```", outputs.get(key, "")[-3000:], "```"]
    old = RESULTS.read_text() if RESULTS.exists() else ""
    kept = old.split(HAND_WRITTEN, 1)[1] if HAND_WRITTEN in old else "\n\n## Reading\n\n"
    return "\n".join(out) + "\n\n" + HAND_WRITTEN + kept.rstrip() + "\n"


def sizes_section(sizes) -> list[str]:
    out = ["", "## Sizes", "", "| Size | Projects | Own organisation's projects (index) | "
           "Participations | Expenditure lines | Project measured | its partners, lines |",
           "|---|---:|---:|---:|---:|---|---|"]  # fmt: skip
    for size in sizes:
        d = common.read_json(f"pages-{size}")
        if d:
            p = d["project"]
            out.append(
                f"| {size} | {d['projects']:,} | {d['own_projects']:,} | "
                f"{d['participations']:,} | {d['expenditure_lines']:,} | `{p['slug']}` | "
                f"{p['partners']}, {p['expenditure_lines']} |"
            )
    gen = common.read_json("generate-large")
    if "large" in sizes and gen:
        met = gen["seconds"] < GENERATOR_SECONDS
        out += ["", f"Generator (`generate_portfolio --projects {gen['projects']} --partners "
                f"{gen['partners']} --expenditure {gen['expenditure']}`, after `seed_demo "
                f"--sample-expenditure`; {gen['date']}, load average after: "
                f"{gen['loadavg_after']}): **{gen['seconds']:.0f} s** — target < 10 min "
                f"{'✔' if met else '✘'}."]  # fmt: skip
    return out


def pages_section(sizes) -> list[str]:
    data = {size: common.read_json(f"pages-{size}") for size in sizes}
    data = {k: v for k, v in data.items() if v}
    if not data:
        return []
    first = next(iter(data.values()))
    out = ["", "## Server time and queries per page (bench/pages.py)", "",
           f"In one process through Django's test client, settings as in production (DEBUG "
           f"off), signed in as an auditor (the login page signed out); {first['rounds']} "
           f"rounds, pages in turns; times in ms, p95 = 95th percentile (nearest rank). "
           f"“× floor” = the page's median over the floor page's, at the same size. "
           f"Load average during each: "
           + ", ".join(f"{k} {v['loadavg_before']} → {v['loadavg_after']}"
                       for k, v in data.items()) + ".", ""]  # fmt: skip
    head, rule = "| Page |", "|---|"
    for size in data:
        head += f" {size} median | {size} p95 | {size} queries | {size} × floor |"
        rule += "---:|---:|---:|---:|"
    out += [
        "Searched for: "
        + ", ".join(f"{k} “{v['search']}”" for k, v in data.items())
        + " (a word of the measured project's name; the search scans every project).",
        "",
        head,
        rule,
    ]
    names = [p["name"] for p in first["pages"]]
    by = {size: {p["name"]: p for p in d["pages"]} for size, d in data.items()}
    for name in names:
        row = f"| {name} |"
        for size in data:
            page = by[size][name]
            floor = by[size]["floor"]["median_ms"]
            row += (f" {page['median_ms']:.1f} | {page['p95_ms']:.1f} | {page['queries']} | "
                    f"{page['median_ms'] / floor:.1f}× |")  # fmt: skip
        out.append(row)
    largest = list(data)[-1]
    out += ["", f"Targets, at the largest size measured ({largest}), for every page and "
            "download but the PDF (its targets are in “PDF reports” below):", ""]  # fmt: skip
    pages = [p for p in by[largest].values() if p["name"] != "PDF report"]
    floor = by[largest]["floor"]["median_ms"]
    slow = [p for p in pages if p["name"] != "floor" and p["median_ms"] > FLOOR_RATIO * floor]
    over = [p for p in pages if p["median_ms"] > PAGE_MEDIAN_MS]
    out.append(
        f"- every page within {FLOOR_RATIO}× the floor's median ({floor:.1f} ms): "
        + verdict(f"{p['name']} {p['median_ms'] / floor:.1f}×" for p in slow)
    )
    out.append(
        f"- no page's median above {PAGE_MEDIAN_MS} ms: "
        + verdict(f"{p['name']} {p['median_ms']:.0f} ms" for p in over)
    )
    if len(data) > 1:
        small = by[list(data)[0]]
        out.append(
            "- the same number of queries at every size: "
            + verdict(
                f"{p['name']} {small[p['name']]['queries']} → {p['queries']}"
                for p in by[largest].values()
                if small[p["name"]]["queries"] != p["queries"]
            )
            + f" (projects measured: {list(data)[0]} {data[list(data)[0]]['project']['slug']}, "
            f"{largest} {data[largest]['project']['slug']})"
        )
        same = common.read_json("pages-large-di4c")
        if same and "demo" in data:
            out.append(
                "- the same project (the demo's, DI4C) in the demo and the large database, the "
                "same number of queries: "
                + verdict(
                    f"{p['name']} {by['demo'][p['name']]['queries']} → {p['queries']}"
                    for p in same["pages"]
                    if by["demo"][p["name"]]["queries"] != p["queries"]
                )
            )
    missed = {p["name"]: p for p in slow + over}
    if missed:
        out += ["", f"Where the time of the pages that miss a target goes, at {largest} size: "
                "the queries' time in all and the slowest query (one request, timed with the "
                "query log on, after the warm-up), against the page's median:",
                ""]  # fmt: skip
        for name, page in missed.items():
            top = page["slowest_queries"][0] if page["slowest_queries"] else None
            line = (f"- {name}: median {page['median_ms']:.0f} ms; {page['queries']} queries, "
                    f"{page.get('query_ms', 0):.0f} ms")  # fmt: skip
            if top:
                line += f"; the slowest {top['ms']:.0f} ms: `{top['sql'][:140]}…`"
            out.append(line)
    return out


def verdict(misses) -> str:
    misses = list(misses)
    return "✔" if not misses else "✘ " + ", ".join(misses)


def load_section(sizes) -> list[str]:
    out = []
    for size in sizes:
        for mix in ("pages", "all"):
            d = common.read_json(f"load-{size}-{mix}")
            if not d:
                continue
            if not out:
                out += ["", "## Under load: gunicorn and locust (bench/load.py)", "",
                        f"gunicorn (deploy/gunicorn.conf.py, {d['workers']} workers, DEBUG off) "
                        f"and locust (headless, on the same machine: it takes CPU too) on "
                        f"loopback; {d['clients']} clients for {d['seconds']} s, each with its "
                        f"own session, asking for the pages in turn without pause "
                        f"(saturation). Latencies in ms as locust gives them (rounded to 2 "
                        f"significant digits above 100 ms); “in the worker”: the median "
                        f"time gunicorn's access log gives (the rest of a latency is the "
                        f"wait for a free worker)."]  # fmt: skip
            rows = {r["name"]: r for r in d["rows"]}
            total = rows.get("Aggregated", {})
            errors = sum(r["failures"] for n, r in rows.items() if n != "Aggregated")
            budget = rows.get("budget")
            budget_ok = budget and float(budget["p95"]) < BUDGET_P95_MS
            what = "pages only (no PDF/JSON reports)" if mix == "pages" else "pages and reports"
            out += ["", f"### {size}, {what}", "",
                    f"Load average {d['loadavg_before']} → {d['loadavg_after']}. "
                    f"**{total.get('rps', 0):.1f} requests/s**, {total.get('requests', 0)} "
                    f"requests, {errors} errors (locust), {d['server_errors_in_log']} HTTP 5xx "
                    f"in gunicorn's log. Targets: 0 errors {'✔' if errors == 0 else '✘'}; "
                    f"budget page p95 < {BUDGET_P95_MS} ms "
                    f"{'✔' if budget_ok else '✘'} ({budget['p95'] if budget else '?'} ms).",
                    "", load_table(d)]  # fmt: skip
    return out


def load_table(data: dict) -> str:
    lines = ["| Request | Count | Errors | Req/s | p50 | p95 | p99 | Max | In the worker, p50 |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]  # fmt: skip
    for row in data["rows"]:
        worker = row.get("server_p50")
        lines.append(
            f"| {row['name']} | {row['requests']} | {row['failures']} | {row['rps']:.1f} "
            f"| {row['p50']} | {row['p95']} | {row['p99']} | {row['max']:.0f} "
            f"| {'' if worker is None else f'{worker:.0f}'} |"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
