#!/usr/bin/env bash
# The seed's story, measured (docs/seq2seq.md): on Multi30k de→en, train the RNN encoder–decoder with
# (a) no attention, (b) Bahdanau and (c) Luong attention — same vocabulary (word level, min count 2, built
# from the training side), same budget (epochs, batches, lr schedule), same seed — then translate the
# official test2016 split greedily and score BLEU overall and by source-sentence length
# (bench/seq2seq_story.py: sacreBLEU 2.4.3, one SVG line chart), plus the Bahdanau alignment heatmap.
#
#   bench/seq2seq_story.sh [OUT_DIR]          # default /tmp/seq2seq_story; ATTN=path/to/attn
#   STORY_STEPS=1 bench/seq2seq_story.sh …    # steps only: train | translate | evaluate (all by default)
# Environment: EPOCHS (1), THREADS (1), PARALLEL (2 trainings at a time), TRANSFORMER (an optional model
# directory written by `attn train transformer`, scored as (d)).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-/tmp/seq2seq_story}
attn=${ATTN:-$here/build/release/attn}
data=${DATA:-$here/../shared/data/multi30k}
epochs=${EPOCHS:-1}
threads=${THREADS:-1}
parallel=${PARALLEL:-2}
steps=${STORY_STEPS:-train translate evaluate}
mkdir -p "$out"
export OMP_WAIT_POLICY=passive

train() {  # $1 = none | bahdanau | luong
  nice -n 5 "$attn" train seq2seq --attention "$1" --rnn gru --bidirectional --emb 256 --hidden 256 \
    --layers 1 --dropout 0.2 --train-src "$data/train.de" --train-tgt "$data/train.en" \
    --valid-src "$data/val.de" --valid-tgt "$data/val.en" --out "$out/$1" --epochs "$epochs" \
    --max-tokens 6000 --schedule constant --lr 1e-3 --clip 1.0 \
    --seed 1 --threads "$threads" --checkpoint-every 50 > "$out/$1.log" 2>&1
}

if [[ " $steps " == *" train "* ]]; then
  running=0
  for a in none bahdanau luong; do
    train "$a" &
    running=$((running + 1))
    if ((running >= parallel)); then wait -n; running=$((running - 1)); fi
  done
  wait
fi

if [[ " $steps " == *" translate "* ]]; then
  models=(none bahdanau luong)
  [[ -n "${TRANSFORMER:-}" ]] && { rm -rf "$out/transformer"; ln -s "$TRANSFORMER" "$out/transformer"; models+=(transformer); }
  for m in "${models[@]}"; do
    ATTN_NUM_THREADS=$threads nice -n 5 "$attn" translate --model "$out/$m" --beam 1 --batch 64 \
      < "$data/test_2016_flickr.de" > "$out/$m.hyp.txt"
  done
  # The alignment picture: a real test sentence (line 10 of test2016) through the Bahdanau model.
  sentence=$(sed -n 10p "$data/test_2016_flickr.de")
  "$attn" viz attention --model "$out/bahdanau" "$sentence" -o "$out/bahdanau_alignment.svg"
fi

if [[ " $steps " == *" evaluate "* ]]; then
  "$here/.venv/bin/python" "$here/bench/seq2seq_story.py" --data "$data" --out "$out" \
    --title "Multi30k test2016 de→en, after $epochs epoch(s): BLEU by source length"
fi
