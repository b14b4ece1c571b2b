#!/usr/bin/env python3
"""Writes two nginx access logs of the same shape and size for Benchmarks/cdn_flood.sh: one whose
URLs all share one value of the unkeyed hash scalectl's cdn key tables used before they were
keyed (a hash flood: every lookup walks one probe chain), and one of random URLs of the same
length. Deterministic (seeded).

The old hash, per 8-byte little-endian word w of the key (its length a multiple of 8):
    h = (h ^ w) * M mod 2^64;  h ^= h >> 29        (h starts at C ^ length; then a bijective finaliser)
Anyone who knows the state can make two 16-byte blocks end in the same state: pick first
words u0 != u1, and the second words must differ by D = g(h, u0) ^ g(h, u1). With --bit63 the
blocks differ in bit 63 of the first word and bits 63 and 34 of the second, which cancels
whatever the state (bit 63 passes the multiply unchanged; the shift copies it to bit 34) but
needs bytes >= 0x80, which nginx escapes in its logs. By default the blocks are searched for
among URL-safe characters ([A-Za-z0-9_-], logged verbatim): about one pair of first words in
a few hundred gives a D whose every byte is the XOR of two such characters. Either way, k
blocks with two variants each give 2^k distinct URLs with one hash (Joux's multicollisions).

Usage: cdn_flood_generate.py ADVERSARIAL_OUT RANDOM_OUT [LINES] [--bit63]
"""
import random, sys

M = 0xBF58476D1CE4E5B9
C = 0x9E3779B97F4A7C15
MASK = (1 << 64) - 1
SAFE = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
PREFIX = b"/flood/x"  # one word: the blocks start on a word boundary


def word(b):
    return int.from_bytes(b, "little")


def step(h, w):
    h = ((h ^ w) * M) & MASK
    return h ^ (h >> 29)


def old_hash(key):
    assert len(key) % 8 == 0
    h = C ^ len(key)
    for i in range(0, len(key), 8):
        h = step(h, word(key[i:i + 8]))
    h ^= h >> 33
    h = (h * 0xFF51AFD7ED558CCD) & MASK
    return h ^ (h >> 33)


def safe_word(rng):
    return bytes(rng.choice(SAFE) for _ in range(8))


# For each byte difference d, the pairs of URL-safe characters (x, x ^ d).
PAIRS = {d: [(x, x ^ d) for x in SAFE if (x ^ d) in SAFE] for d in range(256)}


def colliding_blocks(h, rng, bit63):
    """Two 16-byte blocks that take state h to the same state, and that state."""
    if bit63:
        u0 = safe_word(rng)
        v0 = bytearray(safe_word(rng))
        u1 = bytearray(u0); u1[7] ^= 0x80
        v1 = bytearray(v0); v1[7] ^= 0x80; v1[4] ^= 0x04
        blocks = (u0 + bytes(v0), bytes(u1) + bytes(v1))
    else:
        while True:
            u0, u1 = safe_word(rng), safe_word(rng)
            if u0 == u1:
                continue
            d = (step(h, word(u0)) ^ step(h, word(u1))).to_bytes(8, "little")
            if all(PAIRS[x] for x in d):
                picks = [rng.choice(PAIRS[x]) for x in d]
                blocks = (u0 + bytes(p[0] for p in picks), u1 + bytes(p[1] for p in picks))
                break
    ends = {step(step(h, word(b[:8])), word(b[8:])) for b in blocks}
    assert len(ends) == 1
    return blocks, ends.pop()


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    bit63 = "--bit63" in sys.argv
    adversarial_out, random_out = args[0], args[1]
    lines = int(args[2]) if len(args) > 2 else 160_000
    rng = random.Random(7)
    k = max(1, (lines - 1).bit_length())
    length = len(PREFIX) + 16 * k
    h = C ^ length
    h = step(h, word(PREFIX))
    pairs = []
    for _ in range(k):
        blocks, h = colliding_blocks(h, rng, bit63)
        pairs.append(blocks)
    urls = []
    for n in range(lines):
        urls.append(PREFIX + b"".join(pairs[b][n >> b & 1] for b in range(k)))
    target = old_hash(urls[0])
    assert all(old_hash(u) == target for u in urls[:1000] + urls[-1000:]), "not colliding"
    assert len(set(urls)) == lines
    randoms = [PREFIX + bytes(rng.choices(SAFE, k=16 * k)) for _ in range(lines)]
    for out, paths in ((adversarial_out, urls), (random_out, randoms)):
        with open(out, "wb") as f:
            for n, path in enumerate(paths):
                t = n // 10
                f.write(b'192.0.2.%d - - [01/Nov/2026:%02d:%02d:%02d +0000] "GET %s HTTP/1.1" 200 %d "-" "curl/8.5.0" 0.020 %s\n' % (
                    n % 250, t // 3600 % 24, t // 60 % 60, t % 60, path, 1000 + n % 5000, b"MISS" if n % 3 else b"HIT"))


main()
