#!/usr/bin/env python3
"""Print the scalars (and list the images) of TensorBoard event files, with no packages beyond the standard library.

    python3 scripts/read_tfevents.py runs/my-run          # every events.out.tfevents.* in the folder, merged
    python3 scripts/read_tfevents.py path/to/events.out.tfevents.1700000000.host

Every record's two masked CRC-32C checksums are verified. Files in a folder are read in name order and, as
TensorBoard does, a SessionLog START at step s (written by a resumed run) drops earlier events at step >= s.
Output is CSV: step, then one column per scalar tag.
"""
import os
import struct
import sys

_TABLE = []
for _n in range(256):
    _c = _n
    for _ in range(8):
        _c = (0x82F63B78 ^ (_c >> 1)) if _c & 1 else _c >> 1
    _TABLE.append(_c)


def crc32c(data):
    crc = 0xFFFFFFFF
    for b in data:
        crc = _TABLE[(crc ^ b) & 0xFF] ^ (crc >> 8)
    return crc ^ 0xFFFFFFFF


def masked_crc32c(data):
    crc = crc32c(data)
    return (((crc >> 15) | (crc << 17)) + 0xA282EAD8) & 0xFFFFFFFF


def records(path):
    with open(path, "rb") as f:
        blob = f.read()
    at = 0
    while at < len(blob):
        if len(blob) - at < 12:
            raise ValueError(f"{path}: truncated record header at byte {at}")
        header = blob[at:at + 8]
        (length,) = struct.unpack("<Q", header)
        (length_crc,) = struct.unpack("<I", blob[at + 8:at + 12])
        if length_crc != masked_crc32c(header):
            raise ValueError(f"{path}: bad length CRC at byte {at}")
        data = blob[at + 12:at + 12 + length]
        if len(data) != length or len(blob) < at + 16 + length:
            raise ValueError(f"{path}: record at byte {at} overruns the file")
        (data_crc,) = struct.unpack("<I", blob[at + 12 + length:at + 16 + length])
        if data_crc != masked_crc32c(data):
            raise ValueError(f"{path}: bad data CRC in record at byte {at}")
        yield data
        at += 16 + length


def fields(data):
    """Yields (field number, wire type, value): ints for varint/fixed, bytes for length-delimited."""
    at = 0

    def varint():
        nonlocal at
        value, shift = 0, 0
        while True:
            b = data[at]
            at += 1
            value |= (b & 0x7F) << shift
            if b < 0x80:
                return value
            shift += 7

    while at < len(data):
        key = varint()
        number, wire = key >> 3, key & 7
        if wire == 0:
            yield number, wire, varint()
        elif wire == 1:
            yield number, wire, data[at:at + 8]
            at += 8
        elif wire == 5:
            yield number, wire, data[at:at + 4]
            at += 4
        elif wire == 2:
            length = varint()
            yield number, wire, data[at:at + length]
            at += length
        else:
            raise ValueError(f"unsupported wire type {wire}")


def decode_event(data):
    """tensorflow.Event (core/util/event.proto) and the parts of Summary (framework/summary.proto) we need."""
    event = {"wall_time": 0.0, "step": 0, "scalars": {}, "images": {}, "session_start": False}
    for number, _, value in fields(data):
        if number == 1:
            (event["wall_time"],) = struct.unpack("<d", value)
        elif number == 2:
            event["step"] = value - (1 << 64) if value >= 1 << 63 else value
        elif number == 3:
            event["file_version"] = value.decode()
        elif number == 5:  # Summary
            for vnum, _, v in fields(value):
                if vnum != 1:
                    continue
                tag, simple, image = None, None, None
                for n, _, x in fields(v):
                    if n == 1:
                        tag = x.decode()
                    elif n == 2:
                        (simple,) = struct.unpack("<f", x)
                    elif n == 4:
                        image = {k: x2 for k, _, x2 in fields(x)}
                if simple is not None:
                    event["scalars"][tag] = simple
                if image is not None:
                    event["images"][tag] = (image.get(2, 0), image.get(1, 0), image.get(3, 0), len(image.get(4, b"")))
        elif number == 7:  # SessionLog; status 1 = START
            event["session_start"] = any(n == 1 and x == 1 for n, _, x in fields(value))
    return event


def event_files(path):
    if os.path.isdir(path):
        return sorted(os.path.join(path, f) for f in os.listdir(path) if f.startswith("events.out.tfevents."))
    return [path]


def main(argv):
    if len(argv) != 2:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    files = event_files(argv[1])
    if not files:
        print(f"{argv[1]}: no events.out.tfevents.* files", file=sys.stderr)
        return 1
    scalars, images, tags = {}, [], []
    for path in files:
        for data in records(path):
            event = decode_event(data)
            if "file_version" in event:
                print(f"# {os.path.basename(path)}: {event['file_version']}", file=sys.stderr)
            if event["session_start"]:
                step = event["step"]
                scalars = {s: row for s, row in scalars.items() if s < step}
                images = [i for i in images if i[0] < step]
            for tag, value in event["scalars"].items():
                scalars.setdefault(event["step"], {})[tag] = value
                if tag not in tags:
                    tags.append(tag)
            for tag, (width, height, colorspace, size) in event["images"].items():
                images.append((event["step"], tag, width, height, colorspace, size))
    print(",".join(["step"] + tags))
    for step in sorted(scalars):
        row = scalars[step]
        print(",".join([str(step)] + [format(row[t], ".7g") if t in row else "" for t in tags]))
    for step, tag, width, height, colorspace, size in images:
        print(f"# image '{tag}' at step {step}: {width}x{height}, colorspace {colorspace}, {size} PNG bytes", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
