# SPDX-License-Identifier: GPL-3.0-or-later
"""ext4-extent-loop.py IMG DEPTH BLOCK OFFSET: make the root directory of
the ext4 filesystem IMG (1 KiB blocks, made by the test) a damaged extent
tree DEPTH levels deep whose index entries all point at the one node
below, so that a reader that walks the tree reads the same blocks about
84^DEPTH times. BLOCK and OFFSET locate the root inode (debugfs's
"imap <2>"). Not a test: tests/e2e/ext4-read.sh runs it."""
import struct
import sys

img, depth, iblock, ioff = (sys.argv[1], int(sys.argv[2]),
                            int(sys.argv[3]), int(sys.argv[4], 0))
bs = 1024
leafdir = 4000                  # a directory block with '.' and '..'
nodes = [4001 + i for i in range(depth)]
per = (bs - 12) // 12           # extent entries in one block
with open(img, 'r+b') as f:
    def put(block, data):
        f.seek(block * bs)
        f.write(data.ljust(bs, b'\0'))
    put(leafdir, struct.pack('<IHBB', 2, 12, 1, 2) + b'.\0\0\0' +
        struct.pack('<IHBB', 2, bs - 12, 2, 2) + b'..\0\0')
    put(nodes[0], struct.pack('<HHHHI', 0xF30A, per, per, 0, 0) +
        b''.join(struct.pack('<IHHI', i, 1, 0, leafdir)
                 for i in range(per)))
    for lvl in range(1, depth):
        put(nodes[lvl], struct.pack('<HHHHI', 0xF30A, per, per, lvl, 0) +
            b''.join(struct.pack('<IIHH', i * per ** lvl, nodes[lvl - 1],
                                 0, 0) for i in range(per)))
    root = struct.pack('<HHHHI', 0xF30A, 4, 4, depth, 0) + b''.join(
        struct.pack('<IIHH', min(i * per ** depth, 2 ** 32 - 1),
                    nodes[depth - 1], 0, 0) for i in range(4))
    f.seek(iblock * bs + ioff + 40)  # i_block
    f.write(root.ljust(60, b'\0'))
