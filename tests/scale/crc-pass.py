#!/usr/bin/env python3
"""The floor an import is compared with: one pass over an .h212(.gz) capture that frames it by the
length field and checks every frame's HJ 212 CRC (DOMAIN.md 1.2), table-driven, in plain Python.
Prints frames, CRC-valid frames, seconds and frames/s (reading and decompressing excluded).
With --registry FILE it also writes a registry of every MN of a CRC-valid frame with the first
password it used (gas when the MN names it, else water), for the import to accept what it can.
Usage: crc-pass.py CAPTURE [--registry FILE]"""
import gzip
import json
import re
import sys
import time


def table():
    t = []
    for x in range(256):
        reg = x
        for _ in range(8):
            reg = (reg >> 1) ^ 0xA001 if reg & 1 else reg >> 1
        t.append(reg)
    return t


def main():
    path = sys.argv[1]
    registry = sys.argv[sys.argv.index("--registry") + 1] if "--registry" in sys.argv else None
    data = (gzip.open if path.endswith(".gz") else open)(path, "rb").read()
    t = table()
    frames = valid = 0
    passwords = {}
    start = time.perf_counter()
    at = data.find(b"##")
    while at >= 0 and at + 6 <= len(data):
        head = data[at + 2:at + 6]
        if not head.isdigit():
            at = data.find(b"##", at + 2)
            continue
        n = int(head)
        segment = data[at + 6:at + 6 + n]
        sent = data[at + 6 + n:at + 10 + n]
        frames += 1
        reg = 0xFFFF
        for b in segment:
            reg = t[(reg >> 8) ^ b]
        if len(segment) == n and sent.upper() == b"%04X" % reg:
            valid += 1
            if registry is not None:
                mn = re.search(rb"MN=([^;&]*)", segment)
                pw = re.search(rb"PW=([^;&]*)", segment)
                if mn and pw:
                    passwords.setdefault(mn.group(1).decode("latin-1"), pw.group(1).decode("latin-1"))
        at = data.find(b"##", at + 6 + n)
    seconds = time.perf_counter() - start
    print(f"{frames} frames, {valid} CRC-valid, {seconds:.2f} s, {frames / seconds:,.0f} frames/s")
    if registry is not None:
        outlets = [{"mn": mn, "password": pw, "kind": "gas" if "0131" in mn else "water"} for mn, pw in passwords.items()]
        with open(registry, "w", encoding="utf-8") as f:
            json.dump({"enterprises": [{"id": "FIELD", "name": "field day", "city": "test", "outlets": outlets}]}, f)


if __name__ == "__main__":
    main()
