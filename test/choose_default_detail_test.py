#!/usr/bin/env python3
"""scripts/choose_default_detail.py must pick the largest t within 0.05 dB of the best mean gain among the settings
that keep never-smoothed photos (>= 40 dB mean, none below 35), print each gain as the model's mean PSNR less the
identity's, and refuse a CSV it cannot judge."""
import csv
import os
import subprocess
import sys
import tempfile

script = sys.argv[1]
HEADER = ["scale", "smoother", "photo", "method", "sc", "ssim", "psnr", "lpips", "gmsd", "brisque", "detail", "ms"]


def write(path, gains, never):
    """gains[t] = (gain on smoother a, gain on smoother b); never[t] = (photo 1, photo 2) PSNR, for model 'm'."""
    with open(path, "w", newline="") as f:
        out = csv.writer(f)
        out.writerow(HEADER)
        row = lambda s, p, method, psnr: out.writerow(["long side <= 512", s, p, method, 0, 0, psnr, "nan", 0, 50,
                                                       0, 1])
        for s, base in (("a:x=1", 30.0), ("l0:lambda=0.02,kappa=2", 27.0)):
            for p, offset in (("p1", -1.0), ("p2", 1.0)):
                row(s, p, "identity", base + offset)
                for t, g in gains.items():
                    row(s, p, f"m t={t}", base + offset + g[0 if s == "a:x=1" else 1])
        for p in ("p1", "p2"):
            row("none", p, "identity", "inf")
        for t, n in never.items():
            for p, v in zip(("p1", "p2"), n):
                row("none", p, f"m t={t}", v)


def run(*args):
    return subprocess.run([sys.executable, script, *args], capture_output=True, text=True)


def expect(condition, what, result):
    if not condition:
        print(f"choose_default_detail_test: {what}\n{result.stdout}{result.stderr}")
        sys.exit(1)
    print(f"ok: {what}")


with tempfile.TemporaryDirectory() as work:
    path = os.path.join(work, "sweep.csv")
    safe = {"0": (46, 44), "0.5": (45, 43), "1": (44, 42)}
    # Means: t=0 +1.00, t=0.5 +0.96 (within 0.05 of the best), t=1 +0.80.
    write(path, {"0": (1.0, 1.0), "0.5": (1.12, 0.80), "1": (0.9, 0.7)}, safe)
    result = run(path, "--print-default", "m")
    expect(result.returncode == 0 and result.stdout.strip() == "0.5", "the largest t within 0.05 dB", result)
    result = run(path)
    expect("| **0.5** | **+1.12** | **+0.80** | **+0.960** |" in result.stdout, "the table's chosen row", result)
    # t=0.5 at +0.94 is 0.06 below the best: t = 0.
    write(path, {"0": (1.0, 1.0), "0.5": (1.08, 0.80), "1": (0.9, 0.7)}, safe)
    result = run(path, "--print-default", "m")
    expect(result.stdout.strip() == "0", "0.06 dB below the best is outside the rule", result)
    # The best mean is at t=1, whose worst never-smoothed photo is below 35: the best safe setting decides.
    write(path, {"0": (1.0, 1.0), "0.5": (1.12, 0.80), "1": (2.0, 2.0)}, {"0": (46, 44), "0.5": (45, 43),
                                                                          "1": (44, 34)})
    result = run(path, "--print-default", "m")
    expect(result.stdout.strip() == "0.5", "a setting that harms a never-smoothed photo is not chosen", result)
    # Mean below 40 dB at every setting: no default, exit 1.
    write(path, {"0": (1.0, 1.0)}, {"0": (39, 39.5)})
    result = run(path, "--print-default", "m")
    expect(result.returncode == 1 and "keeps the never-smoothed" in result.stderr, "no safe setting", result)
    result = run(path, "--print-default", "other")
    expect(result.returncode == 1 and "no rows of model 'other'" in result.stderr, "an unknown model", result)
    result = run(path, "--bogus")
    expect(result.returncode == 1 and "Usage" in result.stderr, "a bad argument", result)
