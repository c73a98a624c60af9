#!/usr/bin/env bash
# The seed's story, measured (docs/seq2seq.md): on Multi30k de→en, train the RNN encoder–decoder with
# (a) no attention, (b) Bahdanau and (c) Luong attention, and (d) the Transformer — same vocabulary (word
# level, min count 2, built from the training side), same budget, same seed, same batches of ≤ 6 000
# tokens — then translate the official test2016 split greedily and score BLEU overall and by
# source-sentence length (bench/seq2seq_story.py: sacreBLEU 2.4.3, one SVG line chart), plus the Bahdanau
# alignment heatmap.
#
#   BUDGET=20 bench/seq2seq_story.sh [OUT_DIR]   # default /tmp/seq2seq_story; ATTN=path/to/attn
#   STORY_STEPS=1 bench/seq2seq_story.sh …       # steps only: train | translate | evaluate (all by default)
# Environment: BUDGET (minutes of CPU time per model, one thread: `--max-minutes B --cpu-minutes`, so runs
# sharing a busy machine get the same work; unset = EPOCHS epochs each), EPOCHS (1), THREADS (1),
# PARALLEL (2 trainings at a time), MODELS ("none bahdanau luong transformer"), TRANSFORMER (an already
# trained `attn train transformer` directory to score as (d) instead of training one), BEAM (1 = greedy;
# k > 1: beam search of width k, length penalty α = 0.6, for every model alike), SEED (1: initialisation,
# dropout and batch order of every training).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-/tmp/seq2seq_story}
attn=${ATTN:-$here/build/release/attn}
data=${DATA:-$here/../shared/data/multi30k}
epochs=${EPOCHS:-1}
threads=${THREADS:-1}
parallel=${PARALLEL:-2}
steps=${STORY_STEPS:-train translate evaluate}
beam=${BEAM:-1}
seed=${SEED:-1}
models=${MODELS:-none bahdanau luong transformer}
[[ -n "${TRANSFORMER:-}" ]] && models=${models//transformer/}
budget=()
if [[ -n "${BUDGET:-}" ]]; then epochs=1000; budget=(--max-minutes "$BUDGET" --cpu-minutes); fi
mkdir -p "$out"
export OMP_WAIT_POLICY=passive

train() {  # $1 = none | bahdanau | luong | transformer
  if [[ $1 == transformer ]]; then
    # The Transformer's own recipe (docs/transformer.md): Noam warm-up, label smoothing 0.1, width 256.
    nice -n 5 "$attn" train transformer --d-model 256 --heads 4 --layers 3 --ff 1024 --dropout 0.1 \
      --train-src "$data/train.de" --train-tgt "$data/train.en" --valid-src "$data/val.de" \
      --valid-tgt "$data/val.en" --out "$out/$1" --epochs "$epochs" "${budget[@]}" --max-tokens 6000 \
      --warmup 500 --lr-factor 0.7 --label-smoothing 0.1 --clip 1.0 --seed "$seed" --threads "$threads" \
      --checkpoint-every 50 > "$out/$1.log" 2>&1
    return
  fi
  nice -n 5 "$attn" train seq2seq --attention "$1" --rnn gru --bidirectional --emb 256 --hidden 256 \
    --layers 1 --dropout 0.2 --train-src "$data/train.de" --train-tgt "$data/train.en" \
    --valid-src "$data/val.de" --valid-tgt "$data/val.en" --out "$out/$1" --epochs "$epochs" \
    "${budget[@]}" --max-tokens 6000 --schedule constant --lr 1e-3 --clip 1.0 \
    --seed "$seed" --threads "$threads" --checkpoint-every 50 > "$out/$1.log" 2>&1
}

if [[ " $steps " == *" train "* ]]; then
  running=0
  for a in $models; do
    train "$a" &
    running=$((running + 1))
    if ((running >= parallel)); then wait -n; running=$((running - 1)); fi
  done
  wait
fi

if [[ " $steps " == *" translate "* ]]; then
  scored=($models)
  [[ -n "${TRANSFORMER:-}" ]] && { rm -rf "$out/transformer"; ln -s "$TRANSFORMER" "$out/transformer"; scored+=(transformer); }
  for m in "${scored[@]}"; do
    ATTN_NUM_THREADS=$threads nice -n 5 "$attn" translate --model "$out/$m" --beam "$beam" --length-penalty 0.6 --batch 64 \
      < "$data/test_2016_flickr.de" > "$out/$m.hyp.txt"
  done
  # The alignment picture: a real test sentence (line 10 of test2016) through the Bahdanau model.
  sentence=$(sed -n 10p "$data/test_2016_flickr.de")
  "$attn" viz attention --model "$out/bahdanau" "$sentence" -o "$out/bahdanau_alignment.svg"
fi

if [[ " $steps " == *" evaluate "* ]]; then
  trained=$([[ -n "${BUDGET:-}" ]] && echo "$BUDGET CPU-minutes each" || echo "after $epochs epoch(s)")
  decoded=$([[ $beam == 1 ]] && echo greedy || echo "beam $beam")
  [[ $seed != 1 ]] && decoded+=", seed $seed"
  "$here/.venv/bin/python" "$here/bench/seq2seq_story.py" --data "$data" --out "$out" \
    --title "Multi30k test2016 de→en, $trained, $decoded: BLEU by source length"
fi
