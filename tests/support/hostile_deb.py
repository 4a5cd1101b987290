#!/usr/bin/python3
"""Rewrites a .deb with a data.tar.gz of hand-made entries, for tests of hostile packages.

usage: hostile_deb.py ORIGINAL.deb OUT.deb ENTRIES_JSON
ENTRIES_JSON is a list of ["file", name, content], ["symlink", name, target], ["dir", name],
["fifo", name], ["chardev", name] (a /dev/null-like device node).
The control member is kept, so dpkg-scanpackages still indexes the package.
"""
import gzip
import io
import json
import sys
import tarfile


def read_ar(path):
    with open(path, "rb") as f:
        data = f.read()
    assert data[:8] == b"!<arch>\n", "not an ar archive"
    offset, members = 8, []
    while offset < len(data):
        header = data[offset:offset + 60]
        name = header[:16].decode().strip().rstrip("/")
        size = int(header[48:58].decode().strip())
        members.append((name, data[offset + 60:offset + 60 + size]))
        offset += 60 + size + (size % 2)
    return members


def ar_member(name, body):
    header = f"{name:<16}{0:<12}{0:<6}{0:<6}{'100644':<8}{len(body):<10}`\n".encode()
    return header + body + (b"\n" if len(body) % 2 else b"")


def data_tar(entries):
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.GNU_FORMAT) as tar:
        for entry in entries:
            info = tarfile.TarInfo(entry[1])
            info.mtime = 0
            if entry[0] == "file":
                content = entry[2].encode()
                info.size = len(content)
                info.mode = 0o644
                tar.addfile(info, io.BytesIO(content))
            elif entry[0] == "symlink":
                info.type = tarfile.SYMTYPE
                info.linkname = entry[2]
                tar.addfile(info)
            elif entry[0] == "dir":
                info.type = tarfile.DIRTYPE
                info.mode = 0o755
                tar.addfile(info)
            elif entry[0] in ("fifo", "chardev"):
                info.type = tarfile.FIFOTYPE if entry[0] == "fifo" else tarfile.CHRTYPE
                info.devmajor, info.devminor = (0, 0) if entry[0] == "fifo" else (1, 3)
                tar.addfile(info)
    return gzip.compress(buffer.getvalue(), mtime=0)


def main():
    original, out, entries = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
    members = [m for m in read_ar(original) if not m[0].startswith("data.tar")]
    members.append(("data.tar.gz", data_tar(entries)))
    with open(out, "wb") as f:
        f.write(b"!<arch>\n")
        for name, body in members:
            f.write(ar_member(name, body))


if __name__ == "__main__":
    main()
