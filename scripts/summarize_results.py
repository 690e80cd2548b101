#!/usr/bin/env python3
"""Summarises a desmooth_eval CSV into the tables of docs/results.md: the targets (every cell, met or not), do no
harm, and where the gain comes from (per source folder, per smoother).

Usage: summarize_results.py CSV MODEL DEFAULT_DETAIL [--gains-only]
  CSV: desmooth_eval --csv output scored with --methods identity,model --detail 0,...,1 and --smoother family plus
       --smoother none (the identity row of 'none' is the photo itself: the photos' own BRISQUE); with the
       restore generator's five smoothers among them it also prints that generator's target table.
  MODEL: the model's name in the CSV (e.g. "new"); rows are "MODEL t=0", "MODEL t=1", "MODEL t=DEFAULT".
  --gains-only: print only the PSNR gain over the input per smoother, with its worst photo (for smoothers that
       have no targets, such as desmooth_eval --smoother untrained).
"""
import csv
import sys
from collections import defaultdict


def mean(values):
    values = [v for v in values if v == v and abs(v) != float("inf")]
    return sum(values) / len(values) if values else float("nan")


# The restore generator's targets (docs/results.md): PSNR gain over the input at the default t and at t = 0 on five
# smoothers (edge_preserving never trained on), the detail end's BRISQUE on L0 0.02, and never-smoothed photos.
RESTORE_TARGETS = [("l0:lambda=0.02,kappa=2", 0.4), ("fgs:lambda=300,sigma=7", 1.0),
                   ("bilateral:d=15,sigma_color=150,sigma_space=15", 2.0), ("guided:radius=4,eps=400", 3.0),
                   ("edge_preserving:sigma_s=60,sigma_r=0.4", 1.5)]


def restore_targets(m, at, names, default, scale, photos_brisque, ok):
    present = [(s, target) for s, target in RESTORE_TARGETS if at[(s, "identity")]["psnr"]]
    if not present:
        return
    f0, f1, fd = names["0"], names["1"], names["default"]
    print(f"### The restore generator's targets, {scale}\n")
    print(f"| smoother | input PSNR | t={default}: PSNR gain (target) | t=0: PSNR gain (target) | t=1: PSNR gain (>= 0) "
          "| t=1: BRISQUE gap closed |")
    print("|---|---|---|---|---|---|")
    for s, target in present:
        ip, ib = m(s, "identity", "psnr"), m(s, "identity", "brisque")
        gain = lambda method: m(s, method, "psnr") - ip
        closed = (ib - m(s, f1, "brisque")) / (ib - photos_brisque)
        print(f"| {s} | {ip:.2f} | {gain(fd):+.2f} (>= +{target}) {ok(gain(fd) >= target)} "
              f"| {gain(f0):+.2f} (>= +{target}) {ok(gain(f0) >= target)} | {gain(f1):+.2f} {ok(gain(f1) >= 0)} "
              f"| {100 * closed:.0f}%" + (f" (>= 70%) {ok(closed >= 0.7)}" if s.startswith("l0:") else "") + " |")
    values = at[("none", fd)]["psnr"]
    if values:
        print(f"| never smoothed, t={default}: PSNR to the photo | | mean {mean(values):.2f} (>= 40) "
              f"{ok(mean(values) >= 40)}, worst {min(values):.2f} (>= 35) {ok(min(values) >= 35)} | | | |")
    print()


def gain_table(m, by_photo, names, default, scale, smoothers):
    print(f"### PSNR gain over the input, {scale}\n")
    print(f"| smoother | input PSNR | t=0 | t={default} | t=1 | t={default}: worst photo's gain |")
    print("|---|---|---|---|---|---|")
    for s in smoothers:
        ip = m(s, "identity", "psnr")
        worst = min(by_photo[(s, names["default"], p)] - by_photo[(s, "identity", p)]
                    for (ss, mm, p) in by_photo if ss == s and mm == "identity")
        print(f"| {s} | {ip:.2f} | " + " | ".join(f"{m(s, names[t], 'psnr') - ip:+.2f}" for t in ("0", "default", "1"))
              + f" | {worst:+.2f} |")
    print()


def main():
    path, model, default = sys.argv[1], sys.argv[2], sys.argv[3]
    gains_only = sys.argv[4:] == ["--gains-only"]
    rows = list(csv.DictReader(open(path)))
    scales = sorted({r["scale"] for r in rows})
    names = {"0": f"{model} t=0", "1": f"{model} t=1", "default": f"{model} t={default}"}
    for scale in scales:
        at = defaultdict(lambda: defaultdict(list))  # (smoother, method) -> score -> values
        by_photo = {}
        for r in rows:
            if r["scale"] != scale:
                continue
            for key in ("psnr", "ssim", "sc", "gmsd", "brisque", "detail"):
                at[(r["smoother"], r["method"])][key].append(float(r[key]))
            by_photo[(r["smoother"], r["method"], r["photo"])] = float(r["psnr"])
        m = lambda smoother, method, key: mean(at[(smoother, method)][key])
        photos_brisque = m("none", "identity", "brisque")
        smoothers = [s for s in dict.fromkeys(r["smoother"] for r in rows if r["scale"] == scale) if s != "none"]
        ok = lambda cond: "met" if cond else "**not met**"
        if gains_only:
            gain_table(m, by_photo, names, default, scale, smoothers)
            continue
        print(f"### Targets, held-out photos, {scale} (photos' own BRISQUE {photos_brisque:.1f})\n")
        print("| smoother | input PSNR / SSIM | t=0: PSNR gain (>= +0.5) | t=0: SSIM (>= input) "
              "| t=1: BRISQUE gap closed (>= 80%) | t=1: GMSD / input (<= 0.75) | t=1: SC / input (<= 0.6) "
              f"| t=1: PSNR gain (>= -0.5) | t={default}: PSNR gain | t={default}: gap closed |")
        print("|---|---|---|---|---|---|---|---|---|---|")
        for s in smoothers:
            ip, iss, ib = m(s, "identity", "psnr"), m(s, "identity", "ssim"), m(s, "identity", "brisque")
            gap = lambda method: (ib - m(s, method, "brisque")) / (ib - photos_brisque)
            f0, f1, fd = names["0"], names["1"], names["default"]
            print(f"| {s} | {ip:.2f} / {iss:.4f} "
                  f"| {m(s, f0, 'psnr') - ip:+.2f} {ok(m(s, f0, 'psnr') - ip >= 0.5)} "
                  f"| {m(s, f0, 'ssim'):.4f} {ok(m(s, f0, 'ssim') >= iss)} "
                  f"| {100 * gap(f1):.0f}% {ok(gap(f1) >= 0.8)} "
                  f"| {m(s, f1, 'gmsd') / m(s, 'identity', 'gmsd'):.2f} {ok(m(s, f1, 'gmsd') <= 0.75 * m(s, 'identity', 'gmsd'))} "
                  f"| {m(s, f1, 'sc') / m(s, 'identity', 'sc'):.2f} {ok(m(s, f1, 'sc') <= 0.6 * m(s, 'identity', 'sc'))} "
                  f"| {m(s, f1, 'psnr') - ip:+.2f} {ok(m(s, f1, 'psnr') - ip >= -0.5)} "
                  f"| {m(s, fd, 'psnr') - ip:+.2f} | {100 * gap(fd):.0f}% |")
        print()
        restore_targets(m, at, names, default, scale, photos_brisque, ok)
        print(f"### Do no harm, {scale}: photos that were never smoothed, recovered\n")
        print("| setting | mean PSNR to the photo (>= 35 dB) | worst photo | mean BRISQUE |")
        print("|---|---|---|---|")
        for t in ("0", "default", "1"):
            values = at[("none", names[t])]["psnr"]
            if values:
                print(f"| {names[t]} | {mean(values):.2f} {ok(mean(values) >= 35)} | {min(values):.2f} "
                      f"| {mean(at[('none', names[t])]['brisque']):.1f} |")
        print()
        print(f"### Where the gain comes from, {scale}: PSNR gain over the input by source folder, t={default}\n")
        sources = sorted({p.split("/")[0] for (_, _, p) in by_photo})
        print("| source | photos | " + " | ".join(smoothers) + " |")
        print("|---|---|" + "---|" * len(smoothers))
        for source in sources:
            cells = []
            count = 0
            for s in smoothers:
                gains = [by_photo[(s, names["default"], p)] - by_photo[(s, "identity", p)]
                         for (ss, mm, p) in by_photo if ss == s and mm == "identity" and p.startswith(source + "/")
                         and (s, names["default"], p) in by_photo]
                count = len(gains)
                cells.append(f"{mean(gains):+.2f}")
            print(f"| {source} | {count} | " + " | ".join(cells) + " |")
        print()


if __name__ == "__main__":
    main()
