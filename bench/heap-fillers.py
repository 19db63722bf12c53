#!/usr/bin/env python3
"""Bytes of the int[] arrays that something references in a heap dump (`jcmd <pid> GC.heap_dump <file>`).

On JDK 17, G1 formats the unused tails of retired allocation buffers as int[] "filler" objects, and a heap walk
counts them: after a 1M sync the poller's class histogram held ~9 MB of int[] that a heap dump taken right after
either did not contain or showed referenced by nothing (docs/benchmarks.md, "Poller heap after 1M"). They grow
with the allocation buffers G1 resizes during a long run. bench/initial-sync.sh replaces the histogram's int[]
bytes by this figure to report what the run left reachable. Prints the bytes (an integer). Reads HPROF 1.0.2.
"""
import struct
import sys

BASIC = {2: None, 4: 1, 5: 2, 6: 4, 7: 8, 8: 1, 9: 2, 10: 4, 11: 8}


def main(path):
    data = open(path, 'rb').read()
    p = data.index(b'\0') + 1
    idsize = struct.unpack('>I', data[p:p + 4])[0]
    p += 12
    size = dict(BASIC)
    size[2] = idsize

    def ref(o):
        return int.from_bytes(data[o:o + idsize], 'big')

    classes, instances, object_arrays, int_arrays, referenced = {}, [], [], {}, set()
    while p < len(data):
        tag, length = data[p], struct.unpack('>I', data[p + 5:p + 9])[0]
        q, end, p = p + 9, p + 9 + length, p + 9 + length
        if tag not in (0x0c, 0x1c):
            continue
        while q < end:
            sub = data[q]
            q += 1
            if sub in (0x01,):
                referenced.add(ref(q)); q += 2 * idsize
            elif sub in (0x02, 0x03, 0x08):
                referenced.add(ref(q)); q += idsize + 8
            elif sub in (0x04, 0x06):
                referenced.add(ref(q)); q += idsize + 4
            elif sub in (0x05, 0x07, 0xff):
                referenced.add(ref(q)); q += idsize
            elif sub == 0x20:  # class dump
                cid = ref(q); q += idsize + 4
                superclass = ref(q); q += idsize * 6 + 4
                constants = struct.unpack('>H', data[q:q + 2])[0]; q += 2
                for _ in range(constants):
                    q += 3 + size[data[q + 2]]
                statics = struct.unpack('>H', data[q:q + 2])[0]; q += 2
                for _ in range(statics):
                    kind = data[q + idsize]
                    if kind == 2:
                        referenced.add(ref(q + idsize + 1))
                    q += idsize + 1 + size[kind]
                count = struct.unpack('>H', data[q:q + 2])[0]; q += 2
                fields = []
                for _ in range(count):
                    fields.append(data[q + idsize]); q += idsize + 1
                classes[cid] = (superclass, fields)
            elif sub == 0x21:  # instance
                q += idsize + 4
                cid = ref(q); q += idsize
                n = struct.unpack('>I', data[q:q + 4])[0]; q += 4
                instances.append((q, cid)); q += n
            elif sub == 0x22:  # object array
                q += idsize + 4
                n = struct.unpack('>I', data[q:q + 4])[0]; q += 4 + idsize
                object_arrays.append((q, n)); q += n * idsize
            elif sub == 0x23:  # primitive array
                oid = ref(q); q += idsize + 4
                n, kind = struct.unpack('>I', data[q:q + 4])[0], data[q + 4]; q += 5
                if kind == 10:
                    int_arrays[oid] = 16 + 4 * n  # header and length, as the JVM sizes it (8-byte aligned)
                q += n * size[kind]
            else:
                raise ValueError('unknown heap dump record 0x%x' % sub)
    layouts = {}

    def layout(cid):
        if cid not in layouts:
            kinds, c = [], cid
            while c in classes:
                kinds.extend(classes[c][1]); c = classes[c][0]
            layouts[cid] = kinds
        return layouts[cid]

    for q, cid in instances:
        for kind in layout(cid):
            if kind == 2:
                referenced.add(ref(q))
            q += size[kind]
    for q, n in object_arrays:
        for i in range(n):
            referenced.add(ref(q + i * idsize))
    print(sum((s + 7) // 8 * 8 for oid, s in int_arrays.items() if oid in referenced))


if __name__ == '__main__':
    main(sys.argv[1])
