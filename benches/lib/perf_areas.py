#!/usr/bin/env python3
"""Groups a flat perf profile (lines of `perf report --no-children --sort symbol --stdio`) by area of work.

With fat LTO most of the code is inlined into a few large functions, so the groups go by the symbol that was
sampled: a symbol from ring's AES-GCM code is TLS record encryption, a `[k]` symbol is the kernel, and so on.
Prints a Markdown table, largest area first.
"""

import re
import sys

# First match wins; the order puts the specific before the general.
AREAS = [
    ("kernel: TCP, syscalls, scheduling, copies to and from user space", re.compile(r"^\[k\]")),
    ("TLS record encryption (AES-GCM, GHASH)", re.compile(r"aes|gcm|ghash|gfmul|clmul", re.I)),
    ("form token sealing (ChaCha20-Poly1305) and randomness",
     re.compile(r"chacha|poly1305|getrandom|fill_random|SystemRandom|rand_core", re.I)),
    ("hashing (SHA-2)", re.compile(r"sha256|sha512|sha2|block_data_order|digest", re.I)),
    ("TLS state machine (rustls)", re.compile(r"rustls", re.I)),
    ("memory: copies and allocation (libc)",
     re.compile(r"memcpy|memmove|memset|malloc|free|realloc|calloc|_int_|tcache|cfree|arena|sysmalloc", re.I)),
    ("page rendering (templates, Fluent, formatting, escaping)",
     re.compile(r"porten_templates|maud|fluent|intl_|unic_|icu|core::fmt|alloc::fmt|Display|escape|"
                r"String::push|push_str|Formatter|write_str|write_fmt|to_string|format", re.I)),
    ("porten (router, pages, tokens, headers)", re.compile(r"porten", re.I)),
    ("hash-map lookups and key comparisons (mostly Fluent messages by id)",
     re.compile(r"hashbrown|HashMap|memcmp|bcmp", re.I)),
    ("HTTP (hyper, header maps)", re.compile(r"hyper|httparse|http::|HeaderMap|HeaderValue|header", re.I)),
    ("async runtime (tokio, mio, wakers)", re.compile(r"tokio|mio|futures|waker|Waker|park|epoll", re.I)),
    ("libc: other", re.compile(r"libc|__GI_|pthread|__lll|syscall", re.I)),
]
LINE = re.compile(r"^\s*([0-9.]+)%\s+(\[[.k]\])\s+(.*?)(?:\s+-\s+-)?\s*$")


def main():
    totals = {}
    examples = {}
    with open(sys.argv[1], encoding="utf-8", errors="replace") as handle:
        for raw in handle:
            match = LINE.match(raw)
            if not match:
                continue
            percent, kind, symbol = float(match.group(1)), match.group(2), match.group(3)
            key = f"{kind} {symbol}"
            area = "other"
            for name, pattern in AREAS:
                if pattern.search(key if name.startswith("kernel") else symbol):
                    area = name
                    break
            totals[area] = totals.get(area, 0.0) + percent
            examples.setdefault(area, [])
            if len(examples[area]) < 2:
                examples[area].append(symbol[:60])
    print("| area | share of samples | largest symbols |")
    print("|---|---:|---|")
    for area, total in sorted(totals.items(), key=lambda item: -item[1]):
        if total < 0.1:
            continue
        sample = "; ".join(f"`{name}`" for name in examples[area])
        print(f"| {area} | {total:.1f} % | {sample} |")


if __name__ == "__main__":
    main()
