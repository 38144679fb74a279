#!/usr/bin/env python3
"""Speed and memory of `mlca trace summary` next to python polars, on the same files.

    python3 benches/trace-bench.py [--rows 10000000] [--formats nvidia-smi,rapl,alumet,generic]
                                   [--rounds 5] [--dir /dev/shm/mlca-trace-bench] [--mlca PATH]

For each format it writes a log of `--rows` rows (nvidia-smi: 8 GPUs at 1 Hz, about 660 MB at
10 million rows; RAPL: 4 zones of wrapping uJ counters; Alumet: J deltas of 4 RAPL domains and
a GPU, `;`-separated; generic: 4 devices of power in W against Unix seconds) on tmpfs (the page
cache of a disk is evicted quickly here), creates a python venv with polars in it (once, in
`--venv`), and runs, in interleaved rounds (the order turns each round):

- mlca: `mlca trace summary FILE --format json` (energy of every device, gaps, ...);
- polars read: `polars.read_csv` of the file (a plain scan, every column);
- polars integration: a lazy scan, the timestamps and values parsed, and each device's energy
  integrated as mlca does it (trapezoids of power, differences of counters, sums of deltas).

Each run is a process of its own under `/usr/bin/time -v` (its peak memory is its own). It
prints, per format and tool, the median wall time, MB/s, rows/s and peak memory, the ratios of
polars' times to mlca's, and the energies of mlca and of the polars integration side by side.
A last line times mlca on a 1 MB nvidia-smi trace (process start to exit, median of 30 runs).

Nothing is asserted: the figures are for the README and the issue notes. Absolute figures depend
on what else the machine runs; the ratios, measured in one run on the same file, less so.
"""

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FORMATS = ["nvidia-smi", "rapl", "alumet", "generic"]
J_PER_KWH = 3.6e6

GENERIC_FLAGS = [
    "--input-format", "generic", "--time-column", "t", "--time-format", "unix-s",
    "--value-column", "watts", "--unit", "W", "--value-kind", "power",
    "--component", "node", "--device-column", "dev",
]

# ------------------------------------------------------------------------------- the logs

START = 1_718_182_740  # 2024-06-12 08:59:00 UTC


def civil(secs):
    """(y, m, d, hh, mm, ss) of Unix seconds, UTC."""
    t = time.gmtime(secs)
    return t.tm_year, t.tm_mon, t.tm_mday, t.tm_hour, t.tm_min, t.tm_sec


def gen_nvidia_smi(rows, rng):
    yield "timestamp, index, name, power.draw [W], utilization.gpu [%]\n"
    gpus = 8
    for i in range(rows // gpus):
        y, mo, d, h, mi, s = civil(START + i)
        stamp = f"{y:04}/{mo:02}/{d:02} {h:02}:{mi:02}:{s:02}"
        for g in range(gpus):
            p = 250.0 + rng.randrange(15000) / 100.0
            yield f"{stamp}.{g * 3 + 1:03}, {g}, NVIDIA A100-SXM4-80GB, {p:.2f} W, {90 + g} %\n"


def gen_rapl(rows, rng):
    yield "timestamp_s,zone,energy_uj,max_energy_range_uj\n"
    zones = ["package-0", "dram-0", "package-1", "dram-1"]
    wrap = 262143328850
    counters = [rng.randrange(wrap) for _ in zones]
    for i in range(rows // len(zones)):
        t = f"{START + i // 10}.{(i % 10) * 100000 + 1234:06}"
        for z, zone in enumerate(zones):
            counters[z] = (counters[z] + 3_000_000 + rng.randrange(9_000_000)) % wrap
            yield f"{t},{zone},{counters[z]},{wrap}\n"


def gen_alumet(rows, rng):
    yield "metric;timestamp;value;resource_kind;resource_id;consumer_kind;consumer_id;domain;__late_attributes\n"
    series = [
        ("rapl_consumed_energy_J", "cpu_package", "0", "package"),
        ("rapl_consumed_energy_J", "cpu_package", "0", "dram"),
        ("rapl_consumed_energy_J", "cpu_package", "1", "package"),
        ("rapl_consumed_energy_J", "cpu_package", "1", "dram"),
        ("nvml_energy_consumption_J", "gpu", "0000:01:00.0", ""),
    ]
    for i in range(rows // len(series)):
        y, mo, d, h, mi, s = civil(START + i // 10)
        stamp = f"{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}.{(i % 10) * 100000000 + 21708111:09}Z"
        for metric, kind, rid, domain in series:
            v = 3.0 + rng.randrange(900000) / 100000.0
            yield f"{metric};{stamp};{v};{kind};{rid};local_machine;;{domain};\n"


def gen_generic(rows, rng):
    yield "t,dev,watts\n"
    devices = ["node-0", "node-1", "node-2", "node-3"]
    for i in range(rows // len(devices)):
        t = f"{START + i // 4}.{(i % 4) * 250:03}"
        for dev in devices:
            yield f"{t},{dev},{150.0 + rng.randrange(20000) / 100.0:.2f}\n"


def write_lines(w, lines):
    """Write the lines in batches (a write a line is slow in python)."""
    buf = []
    for line in lines:
        buf.append(line)
        if len(buf) >= 80000:
            w.write("".join(buf))
            buf.clear()
    w.write("".join(buf))


GENERATORS = {
    "nvidia-smi": gen_nvidia_smi,
    "rapl": gen_rapl,
    "alumet": gen_alumet,
    "generic": gen_generic,
}


def generate(fmt, rows, path):
    if path.exists():
        return
    tmp = path.with_suffix(".tmp")
    t = time.perf_counter()
    with open(tmp, "w", buffering=1 << 22) as w:
        write_lines(w, GENERATORS[fmt](rows, random.Random(20250302)))
    tmp.rename(path)
    print(f"generated {path} ({path.stat().st_size / 1e6:.0f} MB) in {time.perf_counter() - t:.0f} s", flush=True)


# ---------------------------------------------------------------- polars (in the venv)


def polars_child(mode, fmt, path):
    """Run in the venv's python: print `rows energy_kwh` (energy NaN for a plain read)."""
    import polars as pl

    if mode == "read":
        sep = ";" if fmt == "alumet" else ","
        df = pl.read_csv(path, separator=sep)
        print(df.height, "nan")
        return
    if fmt == "nvidia-smi":
        lf = pl.scan_csv(path)
        names = lf.collect_schema().names()
        lf = lf.select(
            pl.col(names[0]).str.strip_chars().str.strptime(pl.Datetime("ns"), "%Y/%m/%d %H:%M:%S%.f").alias("t"),
            pl.col(names[1]).cast(pl.String).str.strip_chars().alias("dev"),
            pl.col(names[3]).str.strip_chars().str.strip_suffix(" W").cast(pl.Float64).alias("v"),
        )
        seg = (pl.col("v") + pl.col("v").shift(1)) / 2 * pl.col("t").diff().dt.total_nanoseconds() / 1e9
    elif fmt == "rapl":
        lf = pl.scan_csv(path).select(
            pl.col("timestamp_s").alias("t"),
            pl.col("zone").alias("dev"),
            (pl.col("energy_uj").cast(pl.Float64) * 1e-6).alias("v"),
            (pl.col("max_energy_range_uj").cast(pl.Float64) * 1e-6).alias("wrap"),
        )
        d = pl.col("v").diff()
        seg = pl.when(d < 0).then(d + pl.col("wrap")).otherwise(d)
    elif fmt == "alumet":
        lf = pl.scan_csv(path, separator=";").filter(pl.col("consumer_kind") == "local_machine").select(
            pl.col("timestamp").str.strptime(pl.Datetime("ns"), "%Y-%m-%dT%H:%M:%S%.fZ").alias("t"),
            pl.concat_str(["metric", "resource_kind", "resource_id", "domain"], separator=" ", ignore_nulls=True).alias("dev"),
            pl.col("value").cast(pl.Float64).alias("v"),
        )
        # a delta covers the interval since the previous sample of its series; mlca counts the
        # first delta of each series too (over the series' period), so every delta is summed
        seg = pl.col("v")
    else:  # generic: power in W against Unix seconds
        lf = pl.scan_csv(path).select(
            pl.col("t").cast(pl.Float64), pl.col("dev"), pl.col("watts").cast(pl.Float64).alias("v")
        )
        seg = (pl.col("v") + pl.col("v").shift(1)) / 2 * pl.col("t").diff()
    out = (
        lf.with_columns(seg.over("dev").alias("e_j"))
        .group_by("dev")
        .agg(pl.len().alias("n"), pl.col("e_j").sum())
        .collect()
    )
    print(int(out["n"].sum()), out["e_j"].sum() / J_PER_KWH)


# ----------------------------------------------------------------------------- the runs


def timed(cmd):
    """Run `cmd` under /usr/bin/time -v: (wall seconds, peak memory MB, stdout)."""
    t = time.perf_counter()
    p = subprocess.run(["/usr/bin/time", "-v", *cmd], capture_output=True, text=True)
    wall = time.perf_counter() - t
    if p.returncode != 0:
        sys.exit(f"failed ({p.returncode}): {' '.join(cmd)}\n{p.stderr[-2000:]}")
    peak_kb = next(
        (int(line.split(":")[1]) for line in p.stderr.splitlines() if "Maximum resident set size" in line),
        0,
    )
    return wall, peak_kb / 1024, p.stdout


def mlca_cmd(mlca, fmt, path, threads):
    cmd = [str(mlca), "trace", "summary", str(path), "--format", "json"]
    if fmt == "generic":
        cmd += GENERIC_FLAGS
    if threads:
        cmd += ["--threads", str(threads)]
    return cmd


def parse_mlca(out):
    s = json.loads(out)
    return s["rows"], s["energy_kwh"]["value"]


def parse_polars(out):
    rows, energy = out.split()
    return int(rows), float(energy)


def build_mlca():
    target = Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))
    subprocess.run(["cargo", "build", "--release", "--bin", "mlca"], cwd=ROOT, check=True)
    return target / "release" / "mlca"


def ensure_venv(venv):
    py = venv / "bin" / "python"
    if not py.exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    if subprocess.run([str(py), "-c", "import polars"], capture_output=True).returncode != 0:
        subprocess.run([str(py), "-m", "pip", "install", "-q", "polars"], check=True)
    v = subprocess.run([str(py), "-c", "import polars; print(polars.__version__)"], capture_output=True, text=True)
    print(f"python polars {v.stdout.strip()} in {venv}")
    return py


def small_trace(mlca, d, runs=30):
    """Median wall time of mlca on a 1 MB nvidia-smi trace, process start to exit."""
    path = d / "nvidia-smi-small.csv"
    if not path.exists():
        with open(path, "w") as w:
            write_lines(w, gen_nvidia_smi(15000, random.Random(1)))
    times = [timed(mlca_cmd(mlca, "nvidia-smi", path, None))[0] for _ in range(runs)]
    return path.stat().st_size, statistics.median(times)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rows", type=int, default=10_000_000, help="rows of each log (default 10,000,000)")
    ap.add_argument("--formats", default=",".join(FORMATS), help="comma-separated: " + ", ".join(FORMATS))
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--dir", type=Path, default=Path("/dev/shm/mlca-trace-bench"), help="where the logs go (tmpfs)")
    ap.add_argument("--venv", type=Path, default=Path.home() / ".cache" / "mlca-trace-bench-venv")
    ap.add_argument("--mlca", type=Path, help="the mlca binary (default: cargo build --release)")
    ap.add_argument("--threads", type=int, help="mlca reader threads (default: mlca's own)")
    ap.add_argument("--no-polars", action="store_true", help="time mlca only")
    ap.add_argument("--child", nargs=3, metavar=("MODE", "FORMAT", "PATH"), help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.child:
        polars_child(*a.child)
        return
    formats = [f for f in a.formats.split(",") if f]
    for f in formats:
        if f not in GENERATORS:
            sys.exit(f"unknown format {f!r}: use {', '.join(FORMATS)}")
    a.dir.mkdir(parents=True, exist_ok=True)
    mlca = a.mlca or build_mlca()
    py = None if a.no_polars else ensure_venv(a.venv)
    files = {f: a.dir / f"{f}-{a.rows}.csv" for f in formats}
    for f, p in files.items():
        generate(f, a.rows, p)
    tools = ["mlca"] + ([] if a.no_polars else ["polars read", "polars integration"])
    cmds = {}
    for f, p in files.items():
        cmds[(f, "mlca")] = (mlca_cmd(mlca, f, p, a.threads), parse_mlca)
        if py:
            me = str(Path(__file__).resolve())
            cmds[(f, "polars read")] = ([str(py), me, "--child", "read", f, str(p)], parse_polars)
            cmds[(f, "polars integration")] = ([str(py), me, "--child", "integrate", f, str(p)], parse_polars)
    runs = {k: [] for k in cmds}
    order = list(cmds)
    load = os.getloadavg()[0]
    for r in range(a.rounds):
        # interleave: each round in another order
        turn = order[r % len(order):] + order[: r % len(order)]
        for k in turn:
            cmd, parse = cmds[k]
            wall, peak, out = timed(cmd)
            runs[k].append((wall, peak, parse(out)))
        print(f"round {r + 1}/{a.rounds} done", flush=True)
    cores = os.cpu_count()
    print(f"\n{cores} cores, load average {load:.2f} at the start, {os.getloadavg()[0]:.2f} at the end; "
          f"medians of {a.rounds} interleaved rounds\n")
    speeds = {}
    for f, p in files.items():
        size = p.stat().st_size
        print(f"{f}: {p} ({size / 1e6:.0f} MB, {a.rows} rows)")
        med = {}
        for t in tools:
            rs = runs[(f, t)]
            wall = statistics.median(x[0] for x in rs)
            peak = statistics.median(x[1] for x in rs)
            rows, energy = rs[0][2]
            med[t] = wall
            print(f"  {t:<19} {wall:7.3f} s {size / 1e6 / wall:7.0f} MB/s {a.rows / wall / 1e6:6.1f} M rows/s "
                  f"peak {peak:6.0f} MB  (rows {rows}, energy {energy:.9g} kWh)")
        speeds[f] = size / 1e6 / med["mlca"]
        if "polars read" in med:
            print(f"  mlca vs polars read_csv: {med['polars read'] / med['mlca']:.2f}x (goal >= 2.5); "
                  f"vs polars integration: {med['polars integration'] / med['mlca']:.2f}x (goal >= 5)")
    fastest = max(speeds.values())
    print("\nmlca per byte, relative to its fastest reader (goal: each within 1.5x): " +
          ", ".join(f"{f} {fastest / s:.2f}x ({s:.0f} MB/s)" for f, s in speeds.items()))
    size, t = small_trace(mlca, a.dir)
    print(f"mlca on a {size / 1e6:.1f} MB nvidia-smi trace: {t * 1e3:.1f} ms median of 30 runs, process start to exit (goal < 5 ms)")


if __name__ == "__main__":
    main()
