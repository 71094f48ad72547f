#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""genl.py - send one raw request to the evn generic netlink family.

For tests that need requests evnadm never sends (missing or malformed
attributes). Standard library only.

Usage: genl.py [-o ATTR=PATH] [-r RESERVED] CMD [TYPE:ATTR=VALUE ...]
  -o      write the payload of attribute ATTR of the reply to PATH
  -r      the reserved field of the generic netlink header (default 0)
  CMD     command number (see include/uapi/linux/evn.h)
  TYPE    u8, u16, u32, u64 or str (NUL-terminated); file: the bytes of the
          file VALUE; or extent: a nest (NLA_F_NESTED) of extent attributes
          from VALUE = TARGET,OFFSET,LENGTH[,COLUMN] (numbers as in C)
Prints "errno=N msg=<extack message>" for the ack and exits 0; exits 2 on a
usage or family lookup error, or when -o names an attribute the reply lacks.
"""
import os
import socket
import struct
import sys

NETLINK_GENERIC = 16
GENL_ID_CTRL = 0x10
CTRL_CMD_GETFAMILY = 3
CTRL_ATTR_FAMILY_ID = 1
CTRL_ATTR_FAMILY_NAME = 2
NLM_F_REQUEST = 1
NLM_F_ACK = 4
NLMSG_ERROR = 2
NLM_F_ACK_TLVS = 0x200
NLM_F_CAPPED = 0x100
NLMSGERR_ATTR_MSG = 1
SOL_NETLINK = 270
NETLINK_EXT_ACK = 11
NLA_F_NESTED = 0x8000
# enum evn_extent_attrs
EXTENT_TARGET, EXTENT_TARGET_OFFSET, EXTENT_LENGTH, EXTENT_COLUMN = 1, 2, 3, 6


def attr(atype, payload):
    length = 4 + len(payload)
    return struct.pack("HH", length, atype) + payload + b"\0" * (-length % 4)


def attrs(data):
    out = {}
    while len(data) >= 4:
        length, atype = struct.unpack_from("HH", data)
        if length < 4:
            break
        out[atype & 0x3fff] = data[4:length]
        data = data[(length + 3) & ~3:]
    return out


def request(sock, family, cmd, payload, seq, reserved=0):
    msg = struct.pack("BBH", cmd, 1, reserved) + payload
    hdr = struct.pack("IHHII", 16 + len(msg), family, NLM_F_REQUEST | NLM_F_ACK, seq, 0)
    sock.send(hdr + msg)
    replies = []
    while True:
        data = sock.recv(65536)
        while data:
            length, mtype, flags, _, _ = struct.unpack_from("IHHII", data)
            body = data[16:length]
            data = data[(length + 3) & ~3:]
            if mtype != NLMSG_ERROR:
                replies.append(body)
                continue
            err = -struct.unpack_from("i", body)[0]
            msg = ""
            if flags & NLM_F_ACK_TLVS:
                # the original request follows the error code: its header
                # only when capped, else all of it
                skip = 4 + 16
                if not flags & NLM_F_CAPPED:
                    skip = 4 + struct.unpack_from("I", body, 4)[0]
                tlv = attrs(body[(skip + 3) & ~3:])
                msg = tlv.get(NLMSGERR_ATTR_MSG, b"").rstrip(b"\0").decode()
            return err, msg, replies


def main(argv):
    save = None
    reserved = 0
    while len(argv) > 2 and argv[1] in ("-o", "-r"):
        if argv[1] == "-o":
            num, _, path = argv[2].partition("=")
            save = (int(num), path)
        else:
            reserved = int(argv[2], 0)
        argv = argv[:1] + argv[3:]
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    sock = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_GENERIC)
    sock.setsockopt(SOL_NETLINK, NETLINK_EXT_ACK, 1)
    sock.bind((0, 0))
    err, msg, replies = request(sock, GENL_ID_CTRL, CTRL_CMD_GETFAMILY,
                                attr(CTRL_ATTR_FAMILY_NAME, b"evn\0"), 1)
    if err or not replies:
        print(f"family evn not found (errno {err})", file=sys.stderr)
        return 2
    family = struct.unpack("H", attrs(replies[0][4:])[CTRL_ATTR_FAMILY_ID][:2])[0]

    payload = b""
    for word in argv[2:]:
        kind, _, rest = word.partition(":")
        num, _, value = rest.partition("=")
        if kind == "str":
            data = value.encode() + b"\0"
        elif kind in ("u8", "u16", "u32", "u64"):
            data = struct.pack({"u8": "B", "u16": "H", "u32": "I", "u64": "Q"}[kind], int(value, 0))
        elif kind == "file":
            with open(value, "rb") as f:
                data = f.read()
        elif kind == "extent" and value.count(",") in (2, 3):
            f = value.split(",")
            data = (attr(EXTENT_TARGET, f[0].encode() + b"\0") +
                    attr(EXTENT_TARGET_OFFSET, struct.pack("Q", int(f[1], 0))) +
                    attr(EXTENT_LENGTH, struct.pack("Q", int(f[2], 0))))
            if len(f) == 4:
                data += attr(EXTENT_COLUMN, struct.pack("I", int(f[3], 0)))
            num = str(int(num) | NLA_F_NESTED)
        else:
            print(f"bad attribute {word}", file=sys.stderr)
            return 2
        payload += attr(int(num), data)
    err, msg, replies = request(sock, family, int(argv[1]), payload, 2, reserved)
    print(f"errno={err} msg={msg}")
    if save:
        got = [attrs(r[4:]).get(save[0]) for r in replies]
        if not got or got[0] is None:
            print(f"no attribute {save[0]} in the reply", file=sys.stderr)
            return 2
        with open(save[1], "wb") as f:
            f.write(got[0])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
