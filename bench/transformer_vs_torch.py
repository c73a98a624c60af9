"""Transformer training and greedy-decoding throughput: attn vs PyTorch, same model, same batches, same threads.

  build/<dir>/bench/bench_transformer is run by this script (build it with -DATTN_BUILD_BENCH=ON):
  OMP_WAIT_POLICY=passive .venv/bin/python bench/transformer_vs_torch.py --attn build/transformer/bench/bench_transformer --threads 1

One run of each (no repetition; the machine is shared, so the load average is printed beside the figures).
The script builds torch's model — src/tgt nn.Embedding · √d_model + sinusoids, nn.Transformer's encoder and
decoder (post-LN, ReLU, dropout 0, batch_first), a generator nn.Linear — with random weights (seed 0), draws
`--batches` random batches of `--batch` sentence pairs (source and target lengths uniform in 8..24 tokens,
padded with [PAD] = 0), saves weights and batches to one safetensors file, and gives it to bench_transformer,
which loads the same weights into models::Transformer (models::from_torch_state_dict) and runs the same steps.

  training: per batch, forward → label-smoothed (0.1) cross-entropy ignoring [PAD] → backward → Adam(0.9,
            0.98, 1e-9, lr 1e-4) step → zero_grad; one untimed warm-up step on batch 0 first. Rate = target
            tokens (non-[PAD] tgt_out) / wall seconds. The per-step losses of both are printed as a check
            that they compute the same thing.
  decoding: greedy, eval mode, no_grad, `--decode-batch` sources at once, at most `--max-length` tokens.
            attn: decode::translate(beam 1) with its key/value cache. torch: the usual nn.Transformer loop
            (the PyTorch translation tutorial's greedy_decode, batched): encode once, then at every step run
            model.decoder over the whole prefix ys with the causal mask, generator on the last position,
            argmax, append; finished rows get [PAD]; stop when every row has produced [EOS]. Rate =
            generated tokens / wall seconds; the token sequences of both are compared. A random model
            would pick [EOS] at once, so both decode with an end id outside the vocabulary (V): every
            sentence runs --max-length steps. Decoding runs first, on the initial weights.
Prints tokens/s and attn/torch ratios (> 1: attn faster).
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

import torch
from safetensors.torch import save_file
from torch import nn

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tools", "fixtures"))
import transformer as fixture  # noqa: E402  (tools/fixtures/transformer.py: the model the tests compare with)

PAD, BOS, EOS = 0, 2, 3


class Seq2Seq(fixture.Seq2Seq):
    """models::Transformer in torch (tools/fixtures/transformer.py), with encode/decode apart for greedy."""

    def __init__(self, V, C, H, N, F, max_len=256):
        super().__init__(V, V, C, H, N, F, pad=PAD, max_len=max_len)

    def encode(self, src):
        return self.encoder(self.embed(self.src_embed, src), src_key_padding_mask=src == PAD)

    def decode(self, tgt, memory, src):
        causal = nn.Transformer.generate_square_subsequent_mask(tgt.shape[1])
        return self.decoder(self.embed(self.tgt_embed, tgt), memory, tgt_mask=causal,
                            tgt_key_padding_mask=tgt == PAD, memory_key_padding_mask=src == PAD)


def random_batch(g, B, V):
    S = torch.randint(8, 25, (B,), generator=g)
    T = torch.randint(8, 25, (B,), generator=g)
    src = torch.zeros(B, int(S.max()), dtype=torch.long)
    tin = torch.zeros(B, int(T.max()) + 1, dtype=torch.long)
    tout = torch.zeros_like(tin)
    for b in range(B):
        src[b, : S[b]] = torch.randint(4, V, (int(S[b]),), generator=g)
        y = torch.randint(4, V, (int(T[b]),), generator=g)
        tin[b, 0], tin[b, 1 : T[b] + 1] = BOS, y
        tout[b, : T[b]], tout[b, T[b]] = y, EOS
    return src, tin, tout


def torch_train(model, batches):
    opt = torch.optim.Adam(model.parameters(), lr=1e-4, betas=(0.9, 0.98), eps=1e-9)
    crit = nn.CrossEntropyLoss(ignore_index=PAD, label_smoothing=0.1)
    model.train()

    def step(src, tin, tout):
        logits = model(src, tin)
        loss = crit(logits.reshape(-1, logits.shape[-1]), tout.reshape(-1))
        loss.backward()
        opt.step()
        opt.zero_grad()
        return loss.item()

    losses = [step(*batches[0])]
    t0, c0 = time.perf_counter(), time.process_time()
    for b in batches:
        losses.append(step(*b))
    return losses, time.perf_counter() - t0, time.process_time() - c0


@torch.no_grad()
def torch_greedy(model, src, max_length, eos):
    model.eval()
    t0, c0 = time.perf_counter(), time.process_time()
    memory = model.encode(src)
    ys = torch.full((src.shape[0], 1), BOS, dtype=torch.long)
    done = torch.zeros(src.shape[0], dtype=torch.bool)
    for _ in range(max_length):
        out = model.decode(ys, memory, src)
        nxt = model.generator(out[:, -1]).argmax(-1)
        nxt = torch.where(done, torch.full_like(nxt, PAD), nxt)
        ys = torch.cat([ys, nxt[:, None]], 1)
        done |= nxt == eos
        if bool(done.all()):
            break
    seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
    hyps, tokens = [], 0
    for row in ys[:, 1:].tolist():
        h = row[: row.index(eos)] if eos in row else row
        hyps.append(h)
        tokens += len(h) + (eos in row)
    return hyps, tokens, seconds, cpu


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--attn", default="build/transformer/bench/bench_transformer")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--d-model", type=int, default=256)
    ap.add_argument("--heads", type=int, default=4)
    ap.add_argument("--layers", type=int, default=3)
    ap.add_argument("--ff", type=int, default=1024)
    ap.add_argument("--vocab", type=int, default=8000)
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--batches", type=int, default=8)
    ap.add_argument("--decode-batch", type=int, default=64)
    ap.add_argument("--max-length", type=int, default=40)
    ap.add_argument("--save", help="also keep the weights and batches here (for perf record of the attn side)")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    model = Seq2Seq(args.vocab, args.d_model, args.heads, args.layers, args.ff)
    g = torch.Generator().manual_seed(1)
    batches = [random_batch(g, args.batch, args.vocab) for _ in range(args.batches)]
    dec_src = random_batch(g, args.decode_batch, args.vocab)[0]
    tensors = {"w." + k: v for k, v in model.state_dict().items()}
    for i, (s, ti, to) in enumerate(batches):
        tensors.update({f"train.src.{i}": s, f"train.tgt_in.{i}": ti, f"train.tgt_out.{i}": to})
    tensors["decode.src"] = dec_src
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "bench_transformer.safetensors")
        save_file({k: v.contiguous() for k, v in tensors.items()}, path)
        if args.save:
            save_file({k: v.contiguous() for k, v in tensors.items()}, args.save)
        cmd = [args.attn, path, "--d-model", str(args.d_model), "--heads", str(args.heads), "--layers",
               str(args.layers), "--ff", str(args.ff), "--vocab", str(args.vocab), "--max-length",
               str(args.max_length), "--threads", str(args.threads)]
        load0 = os.getloadavg()[0]
        attn = json.loads(subprocess.run(cmd, check=True, capture_output=True, text=True).stdout)
    hyps, dec_tokens, dec_s, dec_c = torch_greedy(model, dec_src, args.max_length, eos=args.vocab)
    losses, train_s, train_c = torch_train(model, batches)
    load1 = os.getloadavg()[0]
    train_tokens = sum(int((to != PAD).sum()) for _, _, to in batches)
    assert train_tokens == attn["train_tokens"], (train_tokens, attn["train_tokens"])
    same = sum(a == b for a, b in zip(attn["hypotheses"], hyps))
    n_params = sum(p.numel() for p in model.parameters())
    print(f"torch {torch.__version__}; model d_model {args.d_model}, {args.heads} heads, {args.layers}+{args.layers} "
          f"layers, FFN {args.ff}, vocab {args.vocab} ({n_params / 1e6:.2f}M params); threads {args.threads}; "
          f"OMP_WAIT_POLICY={os.environ.get('OMP_WAIT_POLICY', '(unset)')}; load average {load0:.1f} → {load1:.1f}")
    print(f"losses per step (warm-up first)  attn: {' '.join(f'{x:.4f}' for x in attn['losses'])}")
    print(f"                                torch: {' '.join(f'{x:.4f}' for x in losses)}")
    T = args.threads
    tr = [attn["train_tokens"] / attn["train_s"], train_tokens / train_s,
          attn["train_tokens"] / (attn["train_cpu_s"] / T), train_tokens / (train_c / T)]
    de = [attn["decode_tokens"] / attn["decode_s"], dec_tokens / dec_s,
          attn["decode_tokens"] / (attn["decode_cpu_s"] / T), dec_tokens / (dec_c / T)]
    print("tokens/s from wall time | from process CPU time / threads (the estimate for a machine to oneself)")
    print(f"training  {args.batches} batches x {args.batch} pairs, {train_tokens} target tokens: "
          f"attn {tr[0]:7.1f} | {tr[2]:7.1f}  torch {tr[1]:7.1f} | {tr[3]:7.1f}  "
          f"attn/torch {tr[0] / tr[1]:.2f} | {tr[2] / tr[3]:.2f}")
    print(f"greedy    {args.decode_batch} sentences x {args.max_length} tokens ({attn['decode_tokens']} attn, "
          f"{dec_tokens} torch): attn {de[0]:7.1f} | {de[2]:7.1f}  torch {de[1]:7.1f} | {de[3]:7.1f}  "
          f"attn/torch {de[0] / de[1]:.2f} | {de[2] / de[3]:.2f}  (identical outputs: {same}/{len(hyps)})")

if __name__ == "__main__":
    main()
