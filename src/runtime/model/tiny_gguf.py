"""Writes a tiny llama-architecture GGUF with random weights: a model Ollama loads in well under a second.

It answers with gibberish by design; what it proves is the serving path (cache, probes, chat API), never quality.
No weights come from anywhere: the tensors are drawn from a seeded generator, so the file is the same every run.
Usage: python tiny_gguf.py OUT.gguf
"""
import sys

import numpy as np
import gguf

EMBED, LAYERS, HEADS, FF, CONTEXT = 64, 2, 4, 128, 512
rng = np.random.default_rng(20261201)


def vocabulary():
    """Control tokens, the 256 byte-fallback tokens, then a few word pieces (SentencePiece style)."""
    tokens = ["<unk>", "<s>", "</s>"] + [f"<0x{b:02X}>" for b in range(256)]
    types = [gguf.TokenType.UNKNOWN, gguf.TokenType.CONTROL, gguf.TokenType.CONTROL] + [gguf.TokenType.BYTE] * 256
    words = ["\u2581", "\u2581the", "\u2581a", "\u2581is", "\u2581hello", "\u2581model", "\u2581tiny", "\u2581llm"]
    words += [f"\u2581{c}" for c in "bcdefghijklmnopqrstuvwxyz"] + list("abcdefghijklmnopqrstuvwxyz.,!?")
    assert len(set(words)) == len(words), "every token must be unique"
    tokens += words
    types += [gguf.TokenType.NORMAL] * len(words)
    scores = [0.0] * 259 + [-float(i) for i in range(len(words))]
    return tokens, scores, types


def weights(*shape):
    return (rng.standard_normal(shape) * 0.02).astype(np.float32)


def main(path):
    tokens, scores, types = vocabulary()
    w = gguf.GGUFWriter(path, "llama")
    w.add_name("llmcharts-tiny")
    w.add_context_length(CONTEXT)
    w.add_embedding_length(EMBED)
    w.add_block_count(LAYERS)
    w.add_feed_forward_length(FF)
    w.add_head_count(HEADS)
    w.add_head_count_kv(HEADS)
    w.add_rope_dimension_count(EMBED // HEADS)
    w.add_layer_norm_rms_eps(1e-5)
    w.add_file_type(gguf.LlamaFileType.ALL_F32)
    w.add_tokenizer_model("llama")
    w.add_token_list(tokens)
    w.add_token_scores(scores)
    w.add_token_types(types)
    w.add_bos_token_id(1)
    w.add_eos_token_id(2)
    w.add_unk_token_id(0)
    vocab = len(tokens)
    w.add_tensor("token_embd.weight", weights(vocab, EMBED))
    for i in range(LAYERS):
        w.add_tensor(f"blk.{i}.attn_norm.weight", np.ones(EMBED, dtype=np.float32))
        for name in ("attn_q", "attn_k", "attn_v", "attn_output"):
            w.add_tensor(f"blk.{i}.{name}.weight", weights(EMBED, EMBED))
        w.add_tensor(f"blk.{i}.ffn_norm.weight", np.ones(EMBED, dtype=np.float32))
        w.add_tensor(f"blk.{i}.ffn_gate.weight", weights(FF, EMBED))
        w.add_tensor(f"blk.{i}.ffn_up.weight", weights(FF, EMBED))
        w.add_tensor(f"blk.{i}.ffn_down.weight", weights(EMBED, FF))
    w.add_tensor("output_norm.weight", np.ones(EMBED, dtype=np.float32))
    w.add_tensor("output.weight", weights(vocab, EMBED))
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()


if __name__ == "__main__":
    main(sys.argv[1])
