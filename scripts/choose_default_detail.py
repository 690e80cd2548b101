#!/usr/bin/env python3
"""Chooses a two-ended model's default detail setting t from a sweep, by the model card's rule: the largest t whose
mean PSNR gain over the smoothers stays within 0.05 dB of the best t's, among the settings that keep photos that
were never smoothed at >= 40 dB on average and none below 35 (data/models/README.md, "Why default t").

Usage: choose_default_detail.py CSV [--print-default MODEL]
  CSV: desmooth_eval --csv output scored with --methods identity,model --detail 0,0.25,...,1, any smoothers, and
       --smoother none. Every model in it ("NAME t=T" rows) gets one table: per t, the PSNR gain over the input on
       each smoother (each model row's mean PSNR less the identity row's), their mean, BRISQUE on L0 0.02 where it
       was scored, and the never-smoothed photos' mean and worst PSNR; the chosen t in bold.
  --print-default MODEL: print only MODEL's chosen t (for desmooth_join_ends --default-detail); exit 1 if none is
       safe.
"""
import csv
import re
import sys
from collections import defaultdict

TOLERANCE_DB = 0.05
NEVER_SMOOTHED_MEAN_DB, NEVER_SMOOTHED_WORST_DB = 40.0, 35.0
L0_SPEC = "l0:lambda=0.02,kappa=2"


def mean(values):
    return sum(values) / len(values)


def main():
    if len(sys.argv) not in (2, 4) or (len(sys.argv) == 4 and sys.argv[2] != "--print-default"):
        sys.exit(__doc__)
    only = sys.argv[3] if len(sys.argv) == 4 else None
    psnr, brisque = defaultdict(list), defaultdict(list)
    smoothers, models = [], defaultdict(set)
    for row in csv.DictReader(open(sys.argv[1])):
        s, method = row["smoother"], row["method"]
        if s not in smoothers:
            smoothers.append(s)
        psnr[(s, method)].append(float(row["psnr"]))
        brisque[(s, method)].append(float(row["brisque"]))
        match = re.fullmatch(r"(.*) t=([0-9.]+)", method)
        if match:
            models[match.group(1)].add(match.group(2))
    if "none" not in smoothers or not models:
        sys.exit("choose_default_detail: the CSV needs model rows ('NAME t=T') and --smoother none")
    if only is not None and only not in models:
        sys.exit(f"choose_default_detail: no rows of model '{only}' in the CSV")
    smoothed = [s for s in smoothers if s != "none"]
    for model, settings in models.items():
        if only is not None and model != only:
            continue
        rows = []
        for t in sorted(settings, key=float):
            method = f"{model} t={t}"
            gains = [mean(psnr[(s, method)]) - mean(psnr[(s, "identity")]) for s in smoothed]
            never = psnr[("none", method)]
            l0_brisque = mean(brisque[(L0_SPEC, method)]) if (L0_SPEC, method) in brisque else float("nan")
            safe = mean(never) >= NEVER_SMOOTHED_MEAN_DB and min(never) >= NEVER_SMOOTHED_WORST_DB
            rows.append((t, gains, mean(gains), l0_brisque, mean(never), min(never), safe))
        safe_means = [r[2] for r in rows if r[6]]
        chosen = (max((float(r[0]) for r in rows if r[6] and r[2] >= max(safe_means) - TOLERANCE_DB))
                  if safe_means else None)
        if only is not None:
            if chosen is None:
                sys.exit(f"choose_default_detail: no setting of '{only}' keeps the never-smoothed photos")
            print(f"{chosen:g}")
            return
        print(f"### {model}: PSNR gain over the input by detail setting t\n")
        print("| t | " + " | ".join(smoothed) + f" | mean of {len(smoothed)} | BRISQUE (L0 0.02) "
              "| never smoothed: mean / worst PSNR |")
        print("|---|" + "---|" * (len(smoothed) + 3))
        for t, gains, m, b, never_mean, never_worst, safe in rows:
            bold = (lambda text: f"**{text}**") if chosen is not None and float(t) == chosen else (lambda text: text)
            cells = [t] + [f"{g:+.2f}" for g in gains] + [f"{m:+.3f}", f"{b:.1f}",
                                                           f"{never_mean:.2f} / {never_worst:.2f}"]
            print("| " + " | ".join(bold(c) for c in cells) + " |")
        if chosen is None:
            print(f"\nNo setting keeps the never-smoothed photos at >= {NEVER_SMOOTHED_MEAN_DB:g} dB on average "
                  f"and >= {NEVER_SMOOTHED_WORST_DB:g} on each.\n")
        else:
            best = max(rows, key=lambda r: r[2] if r[6] else float("-inf"))
            print(f"\nDefault t = {chosen:g}: the largest within {TOLERANCE_DB} dB of the best mean "
                  f"({best[2]:+.3f} dB at t = {best[0]}), never-smoothed photos kept.\n")


if __name__ == "__main__":
    main()
