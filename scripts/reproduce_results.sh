#!/usr/bin/env bash
# Reproduces the bundled model and every table of docs/results.md: fetches the training photographs, trains the
# restore generator's fidelity end (three stages) and its detail end, grows that model by a fourth level and trains
# both ends again (each stage skipped when trained, resumed where a killed run left off), chooses the default detail
# setting on a sweep, joins the ends into one model file, and scores it on the held-out split at long
# side <= 512 (the headline), on the family of smoothers and the restore targets' five, at detail 0, the default and
# 1, and on photos that were never smoothed; then the targets, do-no-harm and per-source tables
# (scripts/summarize_results.py); and on four kinds of smoother no model here trained on (desmooth_eval --smoother
# untrained).
#
#   scripts/reproduce_results.sh [--cache DIR] [--score-only MODEL] [--lite] [--full-resolution] [--known]
#                                [--ablations] [--restore-ablations] [--grow] [--sweep] [--smoother-classifier]
#
# --cache DIR: photos and run folders (default ~/.cache/desmooth, outside the work tree so a fresh checkout keeps
#              them). Training takes about 4.5 hours on 2 idle CPU cores (the depth-3 model 155 minutes, its
#              growth 110); rerun the same command after a stop.
# --score-only MODEL: train nothing; score MODEL, a model file or "bundled" (the one built into the library).
# --lite: train and score the earlier bundled model's recipe (the lite U-Net; about 25 minutes) instead.
# --full-resolution: also score at the photos' full resolution (L0 0.02 and unsmoothed photos; about 25 minutes).
# --known: also print the known- and estimated-smoother tables: reverse filtering, the model blind, given the
#          smoother and estimating it, beside the lite model (data/models/desmooth_lite.yml.gz), at long side <= 512
#          (the model alone on the untrained smoothers, and on inputs saved as JPEG at quality 80, too)
#          (and at full resolution with --full-resolution), how often the estimate names the right kind (also on
#          inputs saved as JPEG at quality 80), what "auto" gains with 1, 2, 3 and 5 consistency steps on the
#          training photos its default was chosen on (data/splits/auto_selection.txt), which step the consistency
#          steps end at (DESMOOTH_STEP_RESIDUAL_NORM l1 and l2, on the same photos), and reverse filtering with
#          each scheme at 2 to 12 iterations (about 20 minutes), and the self-ensemble's sizes (about 15 minutes).
# --smoother-classifier: also train the smoother classifier again (about 15 minutes) and say whether it is the
#          bundled data/models/desmooth_smoother_classifier.yml.gz byte for byte; then one that also learns other
#          kinds of smoothing as "none" (--other-share 0.15; about 20 minutes), and what each names.
# --ablations: also train the lite recipe's ablations for 3000 iterations each (about 15 minutes each) and score them
#              side by side with its fidelity end: what each change of the data recipe did.
# --restore-ablations: also train the restore fidelity recipe for 1000 iterations as it is and without SFT, without
#            full attention, with BatchNorm put back, and as the old lite architecture (two at a time, one thread
#            each: about 45 minutes on 2 cores), and score them side by side at long side <= 512.
# --grow: also continue the depth-3 model's fidelity end for 4000 iterations as it is, grown by a coarser level
#         (depth 4, the new level switched off at the start: desmooth_train --init-from-model), grown by the same
#         level with its channels capped at its neighbour's (48), the capped one trained on wide smoother strengths
#         (desmooth_train --strengths wide), and grown by a full-resolution block (starting as the identity), side
#         by side, one thread each (two at a time: about 2 hours on 2 cores), and score them beside the depth-3
#         model at long side <= 512 (the experiments that chose the bundled model's growth).
# --sweep: also print the sweep over the detail setting t that chose the model's default (the model card's rule,
#         scripts/choose_default_detail.py; training runs it anyway) beside the depth-3 model it grew from
#         (data/models/desmooth_restore_depth3.yml.gz), and both models' gains with their worst photo on the sweep's
#         smoothers and the family's milder members (about 15 minutes).
# The tables go to stdout and to CACHE/results/*.md; ms/image varies with the machine and its load, every other
# number is deterministic.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cache=$HOME/.cache/desmooth swept= model= lite= full= known= ablations= restore_ablations= grow= sweep= classifier=
file_label=new # how the tables name a model given as a file or trained here
while [ $# -gt 0 ]; do
    case $1 in
        --cache) cache=$2; shift 2 ;;
        --score-only) model=$2; shift 2 ;;
        --full-resolution) full=1; shift ;;
        --ablations) ablations=1; shift ;;
        --lite) lite=1; shift ;;
        --known) known=1; shift ;;
        --restore-ablations) restore_ablations=1; shift ;;
        --grow) grow=1; shift ;;
        --sweep) sweep=1; shift ;;
        --smoother-classifier) classifier=1; shift ;;
        -h|--help) sed -n '2,47p' "$0"; exit 0 ;;
        *) echo "reproduce_results: unknown argument '$1' (see --help)" >&2; exit 2 ;;
    esac
done

"$root/scripts/setup.sh"
"$root/scripts/build.sh"
bin=${DESMOOTH_BUILD_DIR:-$root/build}/bin
photos=$cache/photos runs=$cache/runs results=$cache/results
split=$root/data/splits/held_out.txt
mkdir -p "$runs" "$results"
bash "$root/data/fetch_photos.sh" "$photos"
bash "$root/data/check_photos.sh" "$photos" "$split"

# The recipes (docs/training.md explains each choice).
common=(--data "$photos" --split-file "$split")
base=("${common[@]}" --seed 1 --config lite --residual --checkpoint-every 250 --validate-every 1000)
# The bundled recipe (docs/training.md): the restore generator's fidelity end, L1 only, in three cosine cycles, each
# from the last one's weights: 20000 iterations, 12000 more, and 1500 with synthetic smooth images among the crops
# (they keep the recovery from tinting smooth gradients); then its detail end, fine-tuned from it with the
# relativistic GAN, feature matching and the detail-energy loss; both joined at t = 0.5 into the depth-3 model
# (data/models/desmooth_restore_depth3.yml.gz). That model grown by a fourth level with its channels capped at 48, a
# fourth cosine cycle of 16000 iterations, and the same detail end from it, joined at the default detail the sweep
# chooses into data/models/desmooth_restore.yml.gz (the model card). Each stage has a seed of its own.
restore_base=("${common[@]}" --smoothers l0,fgs,bilateral,guided --identity-share 0.1 --min-long-side 128 --crop 128
              --batch 8 --ema 0.999 --checkpoint-every 100)
restore_fidelity_loss=(--adversarial-weight 0 --lr-schedule cosine --adam-beta1 0.9)
restore_recipe=(--config restore "${restore_base[@]}" "${restore_fidelity_loss[@]}" --seed 1 --lr 2e-4 --iters 20000
                --validate-every 1000 --sample-every 5000)
restore_more=(--config restore "${restore_base[@]}" "${restore_fidelity_loss[@]}" --seed 2 --lr 1e-4 --iters 12000
              --validate-every 1000 --sample-every 6000)
restore_smooth=(--config restore "${restore_base[@]}" "${restore_fidelity_loss[@]}" --seed 3 --lr 5e-5 --iters 1500
                --validate-every 500 --sample-every 1500 --smooth-image-share 0.05)
restore_detail=(--config restore "${restore_base[@]}" --seed 4 --smooth-image-share 0.05 --gan-loss relativistic
                --loss-weight 50 --feature-matching 10 --detail-energy 1000 --lr 1e-4 --lr-decay-from 300 --iters 600
                --validate-every 300 --sample-every 300)
depth3_default_detail=0.5
# Growing the depth-3 model (the bundled recipe's fourth cycle; --grow's variants): a cosine cycle from its fidelity
# end (desmooth_train --init-from-model), with its last cycle's smooth images; the capped coarser level it grows by.
grow_recipe=(--config restore "${restore_base[@]}" "${restore_fidelity_loss[@]}" --seed 5 --lr 1e-4
             --validate-every 1000 --smooth-image-share 0.05)
capped_level=(--depth 4 --fa-levels 2 --max-channels 48)
restore_grown=("${grow_recipe[@]}" --iters 16000 --sample-every 8000 --threads 2 "${capped_level[@]}")
depth3_file=$root/data/models/desmooth_restore_depth3.yml.gz
# The earlier bundled model's recipe (--lite; data/models/desmooth_lite.yml.gz).
data_recipe=(--min-long-side 256 --smoothers l0,fgs,bilateral,guided --identity-share 0.1)
fidelity=(--loss-weight 10000 --iters 3000)
detail=(--loss-weight 300 --feature-matching 10 --lr 1e-4 --iters 3000 --lr-decay-from 1500)
lite_default_detail=0.5
# The five smoothers of the restore tables (docs/results.md); edge_preserving is never trained on.
evaluation=(--smoother l0:lambda=0.02,kappa=2 --smoother fgs:lambda=300,sigma=7
            --smoother bilateral:d=15,sigma_color=150,sigma_space=15 --smoother guided:radius=4,eps=400
            --smoother edge_preserving:sigma_s=60,sigma_r=0.4)

train() { # NAME FLAGS...: trains runs/NAME (lite's recipe base) unless done; resumes a stopped run
    local name=$1; shift
    train_recipe "$name" "${base[@]}" "$@"
}
train_recipe() { # NAME FLAGS...: trains runs/NAME unless its model is newer than its checkpoint
    local name=$1; shift
    local out=$runs/$name resume=()
    if [ -f "$out/model.yml.gz" ] && [ "$out/model.yml.gz" -nt "$out/checkpoint.pt" ]; then
        echo "reproduce_results: $name already trained"
        return
    fi
    [ -f "$out/checkpoint.pt" ] && resume=(--resume)
    echo "reproduce_results: training $name (log: $out.log)"
    nice "$bin/desmooth_train" --out "$out" "$@" "${resume[@]}" >>"$out.log" 2>&1 ||
        { echo "reproduce_results: training $name failed; see $out.log" >&2; exit 1; }
}

default_detail_of() { # MODEL: its default detail setting t (empty for a model with one end)
    "$bin/desmooth" --info "$1" | sed -n 's/^  detail: .*default \([0-9.]*\).*/\1/p'
}
sweep_detail() { # NAME MODEL-FILE (empty: the bundled one) DEPTH3-FILE: the sweep over t beside the depth-3 model
    "$bin/desmooth_eval" --photos "$photos" --list "$split" --methods identity,model --max-side 512 \
        --detail 0,0.25,0.5,0.75,1 "${evaluation[@]}" --smoother untrained --smoother none \
        --csv "$results/sweep_512.csv" --model "depth 3=$3" --model "$1=$2" >"$results/sweep_512_eval.md"
    python3 "$root/scripts/choose_default_detail.py" "$results/sweep_512.csv" | tee "$results/sweep_512.md"
}

depth3_model=$depth3_file
if [ -z "$model" ] && [ -n "$lite" ]; then
    train fidelity "${data_recipe[@]}" "${fidelity[@]}"
    train detail "${data_recipe[@]}" "${detail[@]}" --init-from "$runs/fidelity/checkpoint.pt"
    model=$runs/desmooth_lite.yml.gz
    "$bin/desmooth_join_ends" --fidelity "$runs/fidelity/model.yml.gz" --detail "$runs/detail/model.yml.gz" \
        --default-detail "$lite_default_detail" --float16 --out "$model"
elif [ -z "$model" ]; then
    train_recipe restore_fidelity "${restore_recipe[@]}"
    train_recipe restore_fidelity_more "${restore_more[@]}" --init-from "$runs/restore_fidelity/checkpoint.pt"
    train_recipe restore_fidelity_smooth "${restore_smooth[@]}" --init-from "$runs/restore_fidelity_more/checkpoint.pt"
    train_recipe restore_detail_smooth "${restore_detail[@]}" --init-from "$runs/restore_fidelity_smooth/checkpoint.pt"
    depth3_model=$runs/desmooth_restore_depth3.yml.gz
    "$bin/desmooth_join_ends" --fidelity "$runs/restore_fidelity_smooth/model.yml.gz" \
        --detail "$runs/restore_detail_smooth/model.yml.gz" --default-detail "$depth3_default_detail" \
        --out "$depth3_model"
    train_recipe restore_fidelity_grown "${restore_grown[@]}" --init-from-model "$depth3_model"
    train_recipe restore_detail_grown "${restore_detail[@]}" "${capped_level[@]}" \
        --init-from "$runs/restore_fidelity_grown/checkpoint.pt"
    model=$runs/desmooth_restore.yml.gz
    join_grown() { # T: both grown ends joined at default detail T
        "$bin/desmooth_join_ends" --fidelity "$runs/restore_fidelity_grown/model.yml.gz" \
            --detail "$runs/restore_detail_grown/model.yml.gz" --default-detail "$1" --out "$model"
    }
    join_grown 0.5
    sweep_detail "$file_label" "$model" "$depth3_model"
    join_grown "$(python3 "$root/scripts/choose_default_detail.py" "$results/sweep_512.csv" \
        --print-default "$file_label")"
    swept=1
fi
if [ "$model" = bundled ]; then
    name=bundled model_file= model_args=() # the evaluator's default model is the bundled one
else
    name=$file_label model_file=$model model_args=(--model "$file_label=$model")
fi
default_detail=$(default_detail_of "$model")
default_detail=${default_detail:-0}

score() { # TABLE-NAME EVAL-FLAGS...: the smoothers it names, and none (photos never smoothed)
    local table=$1; shift
    "$bin/desmooth_eval" --photos "$photos" --list "$split" --methods identity,model "${model_args[@]}" \
        "$@" --smoother none --detail "0,$default_detail,1" --csv "$results/$table.csv" |
        tee "$results/$table.md"
    python3 "$root/scripts/summarize_results.py" "$results/$table.csv" "$name" "$default_detail" |
        tee "$results/${table}_summary.md"
}
score headline_512 --max-side 512 --smoother family --smoother fgs:lambda=300,sigma=7 \
    --smoother bilateral:d=15,sigma_color=150,sigma_space=15
"$bin/desmooth_eval" --photos "$photos" --list "$split" --methods identity,model "${model_args[@]}" --max-side 512 \
    --smoother untrained --detail "0,$default_detail,1" --csv "$results/untrained_512.csv" |
    tee "$results/untrained_512.md"
python3 "$root/scripts/summarize_results.py" "$results/untrained_512.csv" "$name" "$default_detail" --gains-only |
    tee "$results/untrained_512_summary.md"
[ -z "$full" ] || score full_resolution --max-side 0 --smoother l0:lambda=0.02,kappa=2

if [ -n "$ablations" ]; then
    train fidelity "${data_recipe[@]}" "${fidelity[@]}"
    # The fidelity end's loss and budget; "full" is the fidelity end itself, each other run leaves out part of the
    # data recipe.
    train ablation_no_scales_no_identity --smoothers l0,fgs,bilateral,guided "${fidelity[@]}"
    train ablation_l0_only "${fidelity[@]}"
    "$bin/desmooth_eval" --photos "$photos" --list "$split" --methods identity,model --max-side 512 \
        --smoother family --smoother none --csv "$results/ablations_512.csv" \
        --model "full=$runs/fidelity/model.yml.gz" \
        --model "no scales, no unsmoothed=$runs/ablation_no_scales_no_identity/model.yml.gz" \
        --model "L0 0.02 only, no scales, no unsmoothed=$runs/ablation_l0_only/model.yml.gz" |
        tee "$results/ablations_512.md"
fi
if [ -n "$known" ]; then
    scored=(--model "$name=$model_file")
    models=(--model "lite=$root/data/models/desmooth_lite.yml.gz" "${scored[@]}")
    sides=(512)
    [ -z "$full" ] || sides+=(0)
    # How many consistency steps "auto" takes (DeSmoother::getAutoIterations), chosen on training photos only:
    # the five smoothers and none, lossless and saved as JPEG; chosen before the steps' move limit (below).
    for quality in 0 80; do
        "$bin/desmooth_eval" --photos "$photos" --list "$root/data/splits/auto_selection.txt" --max-side 512 \
            "${scored[@]}" --methods model,model+auto --auto-iterations 1,2,3,5 --auto-move-limits 0 \
            --jpeg-quality $quality "${evaluation[@]}" --smoother none --csv "$results/auto_steps_q$quality.csv" |
            tee "$results/auto_steps_q$quality.md"
    done
    # How far "auto"'s steps may move the network's recovery (DeSmoother::getAutoMoveLimit), chosen on the same
    # training photos: the five smoothers, none and the four kinds the classifier has no candidate for.
    "$bin/desmooth_eval" --photos "$photos" --list "$root/data/splits/auto_selection.txt" --max-side 512 \
        "${scored[@]}" --methods identity,model,model+auto --auto-move-limits 0,0.5,0.75,1,1.25,1.5 \
        "${evaluation[@]}" --smoother untrained --smoother none --csv "$results/auto_move_limits.csv" |
        tee "$results/auto_move_limits.md"
    # The known smoother's steps from two starts (the network's recovery and the input, the ends averaged) against
    # the recovery alone, on the same training photos: the five smoothers and the four untrained kinds.
    "$bin/desmooth_eval" --photos "$photos" --list "$root/data/splits/auto_selection.txt" --max-side 512 \
        "${scored[@]}" --methods identity,model+known --known-from-recovery-alone "${evaluation[@]}" \
        --smoother untrained --csv "$results/known_starts.csv" | tee "$results/known_starts.md"
    # Which step each run of steps ends at: least absolute residual (l1, the default) or least squared residual
    # (l2, the rule before; DESMOOTH_STEP_RESIDUAL_NORM), on the same training photos, known and "auto".
    for norm in l2 l1; do
        DESMOOTH_STEP_RESIDUAL_NORM=$norm "$bin/desmooth_eval" --photos "$photos" \
            --list "$root/data/splits/auto_selection.txt" --max-side 512 "${scored[@]}" \
            --methods identity,model,model+known,model+auto "${evaluation[@]}" --smoother untrained --smoother none \
            --csv "$results/step_residual_$norm.csv" | tee "$results/step_residual_$norm.md"
    done
    # How far a JPEG input's steps may leave y (DESMOOTH_COMPRESSION_FLOOR_SCALE; 0: the rounding alone), chosen
    # on the same training photos saved as JPEG at quality 80.
    for scale in 0 2 3 4 6; do
        DESMOOTH_COMPRESSION_FLOOR_SCALE=$scale "$bin/desmooth_eval" --photos "$photos" \
            --list "$root/data/splits/auto_selection.txt" --max-side 512 "${scored[@]}" --jpeg-quality 80 --threads 1 \
            --methods identity,model,model+known "${evaluation[@]}" --csv "$results/compression_floor_$scale.csv" |
            tee "$results/compression_floor_$scale.md"
    done
    for side in "${sides[@]}"; do
        "$bin/desmooth_eval" --photos "$photos" --list "$split" --max-side $side "${models[@]}" "${evaluation[@]}" \
            --methods identity,reverse,model,model+known,model+auto --csv "$results/known_$side.csv" |
            tee "$results/known_$side.md"
        "$bin/desmooth_eval" --photos "$photos" --list "$split" --max-side $side "${models[@]}" \
            --methods model,model+auto --smoother none --csv "$results/known_none_$side.csv" |
            tee "$results/known_none_$side.md"
    done
    # Smoothers the classifier cannot name: what "auto" does with them, and what knowing them is worth.
    "$bin/desmooth_eval" --photos "$photos" --list "$split" --max-side 512 "${scored[@]}" \
        --methods identity,reverse,model,model+known,model+auto --smoother untrained --smoother box:ksize=3 \
        --smoother box:ksize=5 --csv "$results/known_untrained_512.csv" | tee "$results/known_untrained_512.md"
    # Box blurs: the T-method diverges on them, TDA's gradient steps do not (known recovery switches, docs/design.md).
    "$bin/desmooth_eval" --photos "$photos" --list "$split" --max-side 512 --methods identity,reverse \
        --reverse-methods t,tda --reverse-iterations 5,12 --smoother box:ksize=3 --smoother box:ksize=5 \
        --csv "$results/reverse_box_512.csv" | tee "$results/reverse_box_512.md"
    # L0 as cv::ximgproc::l0Smooth makes it (its border, border=1), given as it is to known-smoother recovery.
    "$bin/desmooth_eval" --photos "$photos" --list "$split" --max-side 512 "${scored[@]}" \
        --methods identity,reverse,model,model+known,model+auto --smoother l0:lambda=0.02,kappa=2,border=1 \
        --csv "$results/known_ximgproc_l0_512.csv" | tee "$results/known_ximgproc_l0_512.md"
    # The same without FFTW wisdom: ximgproc's border amplifies the FFT's rounding (docs/results.md).
    DESMOOTH_FFTW_WISDOM=/nonexistent "$bin/desmooth_eval" --photos "$photos" --list "$split" --max-side 512 \
        "${scored[@]}" --methods identity,reverse,model,model+known,model+auto \
        --smoother l0:lambda=0.02,kappa=2,border=1 --csv "$results/known_ximgproc_l0_512_no_wisdom.csv" |
        tee "$results/known_ximgproc_l0_512_no_wisdom.md"
    # Inputs saved as JPEG after smoothing, as most shared images are: what compression does to each method.
    "$bin/desmooth_eval" --photos "$photos" --list "$split" --max-side 512 "${scored[@]}" --jpeg-quality 80 \
        --methods identity,reverse,model,model+known,model+auto --smoother none "${evaluation[@]}" \
        --csv "$results/known_jpeg80_512.csv" | tee "$results/known_jpeg80_512.md"
fi
if [ -n "$known" ]; then
    # The self-ensemble (flips and transposes averaged) at each size, at the fidelity end and the default.
    "$bin/desmooth_eval" --photos "$photos" --list "$split" --max-side 512 "${scored[@]}" "${evaluation[@]}" \
        --smoother none --methods identity,model --self-ensemble 1,2,4,8 --detail "0,$default_detail" \
        --csv "$results/self_ensemble_512.csv" | tee "$results/self_ensemble_512.md"
    # Reverse filtering's schemes at several iteration counts: its best on each smoother is the targets' anchor.
    "$bin/desmooth_eval" --photos "$photos" --list "$split" --max-side 512 "${evaluation[@]}" \
        --methods identity,reverse --reverse-methods t,nesterov,tda --reverse-iterations 2,3,4,5,6,8,12 \
        --csv "$results/reverse_schemes_512.csv" | tee "$results/reverse_schemes_512.md"
    # Reverse filtering stopped within the input's rounding (reverseFilter's stopAtRounding), beside each row.
    "$bin/desmooth_eval" --photos "$photos" --list "$split" --max-side 512 "${evaluation[@]}" \
        --methods identity,reverse --reverse-methods t --reverse-iterations 5,12 --reverse-stop --threads 1 \
        --csv "$results/reverse_stop_512.csv" | tee "$results/reverse_stop_512.md"
    "$bin/desmooth_eval" --photos "$photos" --list "$split" --max-side 512 \
        --smoother guided:radius=4,eps=400 --smoother bilateral:d=15,sigma_color=150,sigma_space=15 \
        --smoother edge_preserving:sigma_s=60,sigma_r=0.4 --methods identity,reverse \
        --reverse-methods tda,nesterov --reverse-iterations 5,12 --reverse-stop --threads 1 \
        --csv "$results/reverse_stop_schemes_512.csv" | tee "$results/reverse_stop_schemes_512.md"
    "$bin/desmooth_bench_estimate_smoother" --photos "$photos" --list "$split" | tee "$results/estimate_kinds.md"
    # L0 as cv::ximgproc::l0Smooth makes it: how often the estimate takes that border (estimateL0Border), on the
    # held-out photos beside the other inputs, and on the step-choosing training photos at three strengths.
    "$bin/desmooth_bench_estimate_smoother" --photos "$photos" --list "$split" --smoother none "${evaluation[@]}" \
        --smoother l0:lambda=0.02,kappa=2,border=1 | tee "$results/estimate_ximgproc_l0.md"
    "$bin/desmooth_bench_estimate_smoother" --photos "$photos" --list "$root/data/splits/auto_selection.txt" \
        --smoother none --smoother l0:lambda=0.01,kappa=2 --smoother l0:lambda=0.02,kappa=2 \
        --smoother l0:lambda=0.04,kappa=2 --smoother l0:lambda=0.01,kappa=2,border=1 \
        --smoother l0:lambda=0.02,kappa=2,border=1 --smoother l0:lambda=0.04,kappa=2,border=1 |
        tee "$results/estimate_l0_border_selection.md"
    "$bin/desmooth_bench_estimate_smoother" --photos "$photos" --list "$split" --jpeg-quality 80 |
        tee "$results/estimate_kinds_jpeg80.md"
fi
if [ -n "$classifier" ]; then
    "$bin/desmooth_train_smoother_classifier" --data "$photos" --split-file "$split" --draws 8 \
        --out "$runs/desmooth_smoother_classifier.yml.gz"
    if cmp -s "$runs/desmooth_smoother_classifier.yml.gz" "$root/data/models/desmooth_smoother_classifier.yml.gz"; then
        echo "reproduce_results: the smoother classifier is the bundled one, byte for byte"
    else
        echo "reproduce_results: the smoother classifier differs from the bundled one" \
            "($runs/desmooth_smoother_classifier.yml.gz)"
    fi
    # An experiment (not bundled): a classifier that also learns other kinds of smoothing as "none", and what the
    # two name on the held-out photos smoothed by the targets' five, by none and by the four untrained kinds.
    "$bin/desmooth_train_smoother_classifier" --data "$photos" --split-file "$split" --draws 8 --other-share 0.15 \
        --out "$runs/smoother_classifier_other.yml.gz"
    for file in "$root/data/models/desmooth_smoother_classifier.yml.gz" "$runs/smoother_classifier_other.yml.gz"; do
        "$bin/desmooth_bench_estimate_smoother" --photos "$photos" --list "$split" --classifier "$file" \
            "${evaluation[@]}" --smoother none --smoother gaussian:sigma=1.5 --smoother median:ksize=5 \
            --smoother rolling_guidance:sigma_color=25,sigma_space=3,iterations=4 \
            --smoother domain_transform:sigma_s=30,sigma_r=40 | tee "$results/classifier_$(basename "$file" .yml.gz).md"
    done
fi
if [ -n "$restore_ablations" ]; then
    # The fidelity recipe, short (cosine to 0 at 1000), same data and seed; one thread each, two runs at a time.
    short_flags=("${restore_base[@]}" "${restore_fidelity_loss[@]}" --seed 1 --lr 2e-4 --iters 1000 --validate-every 500
                 --sample-every 1000 --threads 1)
    short_restore=(--config restore "${short_flags[@]}")
    pair() { # NAME1 FLAGS1 NAME2 FLAGS2 (each one word): trains both at once, fails if either does
        train_recipe "restore_ablation_$1" "${short_restore[@]}" $2 & local first=$!
        train_recipe "restore_ablation_$3" "${short_restore[@]}" $4 & local second=$!
        wait $first && wait $second
    }
    pair full "" no_sft --no-sft
    pair no_fa --no-fa batch_norm --batch-norm
    train_recipe restore_ablation_lite --config lite --residual "${short_flags[@]}"
    ablation_models=()
    for variant in full no_sft no_fa batch_norm lite; do
        ablation_models+=(--model "$variant=$runs/restore_ablation_$variant/model.yml.gz")
    done
    "$bin/desmooth_eval" --photos "$photos" --list "$split" --methods identity,model --max-side 512 \
        "${evaluation[@]}" --smoother none --csv "$results/restore_ablations_512.csv" "${ablation_models[@]}" |
        tee "$results/restore_ablations_512.md"
fi
if [ -n "$grow" ]; then
    # The depth-3 model's fidelity end continued (a fourth cosine cycle, with its last cycle's smooth images) as it
    # is and grown three ways (the capped one also on wide strengths); same data, seed and steps, one thread each, two
    # at a time.
    grow_flags=("${grow_recipe[@]}" --iters 4000 --sample-every 4000 --threads 1 --init-from-model "$depth3_file")
    train_recipe restore_grow_depth3 "${grow_flags[@]}" & first=$!
    train_recipe restore_grow_depth4 "${grow_flags[@]}" --depth 4 --fa-levels 2 & second=$!
    wait $first && wait $second
    train_recipe restore_grow_full_res "${grow_flags[@]}" --full-res-blocks 1 & first=$!
    train_recipe restore_grow_depth4_cap48 "${grow_flags[@]}" "${capped_level[@]}" & second=$!
    wait $first && wait $second
    train_recipe restore_grow_depth4_cap48_wide "${grow_flags[@]}" "${capped_level[@]}" \
        --strengths wide
    "$bin/desmooth_eval" --photos "$photos" --list "$split" --methods identity,model --max-side 512 --detail 0 \
        "${evaluation[@]}" --smoother none --threads 1 --csv "$results/grow_512.csv" \
        --model "depth 3=$depth3_file" \
        --model "depth 3, continued=$runs/restore_grow_depth3/model.yml.gz" \
        --model "grown to depth 4=$runs/restore_grow_depth4/model.yml.gz" \
        --model "grown to depth 4, capped at 48=$runs/restore_grow_depth4_cap48/model.yml.gz" \
        --model "the same, wide strengths=$runs/restore_grow_depth4_cap48_wide/model.yml.gz" \
        --model "grown by a full-resolution block=$runs/restore_grow_full_res/model.yml.gz" |
        tee "$results/grow_512.md"
    # Normal against wide strengths on the family's milder members and on kinds neither trained on.
    "$bin/desmooth_eval" --photos "$photos" --list "$split" --methods identity,model --max-side 512 --detail 0 \
        --smoother l0:lambda=0.01,kappa=2 --smoother l0:lambda=0.04,kappa=2 --smoother fgs:lambda=100,sigma=5 \
        --smoother bilateral:d=9,sigma_color=50,sigma_space=5 --smoother untrained --threads 1 \
        --csv "$results/grow_strengths_512.csv" --model "depth 3=$depth3_file" \
        --model "grown to depth 4, capped at 48=$runs/restore_grow_depth4_cap48/model.yml.gz" \
        --model "the same, wide strengths=$runs/restore_grow_depth4_cap48_wide/model.yml.gz" |
        tee "$results/grow_strengths_512.md"
fi
if [ -n "$sweep" ]; then
    [ -n "$swept" ] || sweep_detail "$name" "$model_file" "$depth3_model"
    python3 "$root/scripts/summarize_results.py" "$results/sweep_512.csv" "$name" "$default_detail" |
        tee "$results/sweep_512_summary.md"
    # Both models' gains with their worst photo, on the sweep's smoothers and on the family's milder members.
    depth3_detail=$(default_detail_of "$depth3_model")
    details=0,$depth3_detail,1
    case ",$details," in *",$default_detail,"*) ;; *) details=$details,$default_detail ;; esac
    "$bin/desmooth_eval" --photos "$photos" --list "$split" --methods identity,model --max-side 512 \
        --detail "$details" --smoother l0:lambda=0.01,kappa=2 --smoother l0:lambda=0.04,kappa=2 \
        --smoother fgs:lambda=100,sigma=5 --smoother bilateral:d=9,sigma_color=50,sigma_space=5 \
        --csv "$results/sweep_mild_512.csv" --model "depth 3=$depth3_model" --model "$name=$model_file" \
        >"$results/sweep_mild_512_eval.md"
    for csv in sweep_512 sweep_mild_512; do
        python3 "$root/scripts/summarize_results.py" "$results/$csv.csv" "depth 3" "$depth3_detail" --gains-only
        python3 "$root/scripts/summarize_results.py" "$results/$csv.csv" "$name" "$default_detail" --gains-only
    done | tee "$results/sweep_gains_512.md"
fi
echo "reproduce_results: tables in $results"
