"""Uploads a sparse file into a volume of a directory pool with virStream.sparseSendAll and
downloads it back with sparseRecvAll (both with the SPARSE_STREAM flag), printing the sections
each direction saw and whether the bytes came back. test_libvirt_python_sparse_streams.py runs it
with libvirt-python and with virtkit and compares the transcripts.

    python3 sparse_stream_transcript.py URI POOL_DIR WORK_DIR
"""
import os
import sys

import libvirt

MIB = 1024 * 1024
# the source file: data, a hole, data, a hole up to the end
LAYOUT = ((0, b"a" * (64 * 1024)), (2 * MIB, b"b" * (128 * 1024)))
SIZE = 4 * MIB


def write_source(path):
    with open(path, "wb") as f:
        for offset, data in LAYOUT:
            f.seek(offset)
            f.write(data)
        f.truncate(SIZE)


def sections(fd):
    """(inData, sectionLen) at fd's position, as libvirt-python's sparseSendAll asks."""
    cur = os.lseek(fd, 0, os.SEEK_CUR)
    if cur >= SIZE:
        return True, 0       # the end: sparseSendAll reads nothing and stops
    try:
        data = os.lseek(fd, cur, os.SEEK_DATA)
    except OSError:          # no data after cur: the rest is a hole
        data = SIZE
    if data > cur:
        os.lseek(fd, cur, os.SEEK_SET)
        return False, data - cur
    end = os.lseek(fd, cur, os.SEEK_HOLE)
    os.lseek(fd, cur, os.SEEK_SET)
    return True, end - cur


def upload(conn, vol, path):
    fd = os.open(path, os.O_RDONLY)
    sent = []
    try:
        stream = conn.newStream(0)
        vol.upload(stream, 0, 0, libvirt.VIR_STORAGE_VOL_UPLOAD_SPARSE_STREAM)

        def read(st, nbytes, opaque):
            data = os.read(fd, nbytes)
            if data:
                sent.append(("data", len(data)))
            return data

        def hole(st, opaque):
            in_data, length = sections(fd)
            if not in_data:
                sent.append(("hole", length))
            return in_data, length

        stream.sparseSendAll(read, hole, lambda st, length, opaque: os.lseek(fd, length, os.SEEK_CUR), None)
        stream.finish()
    finally:
        os.close(fd)
    return sent


def download(conn, vol, path):
    received = []
    with open(path, "wb") as f:
        stream = conn.newStream(0)
        vol.download(stream, 0, 0, libvirt.VIR_STORAGE_VOL_DOWNLOAD_SPARSE_STREAM)

        def data(st, buf, opaque):
            received.append(("data", len(buf)))
            return f.write(buf)

        def hole(st, length, opaque):
            received.append(("hole", length))
            f.seek(length, os.SEEK_CUR)
            f.truncate()

        stream.sparseRecvAll(data, hole, None)
        stream.finish()
    return received


def merged(parts):
    """Adjacent sections of one kind as one: chunk sizes are the transport's, not the layout."""
    out = []
    for kind, length in parts:
        if out and out[-1][0] == kind:
            out[-1] = (kind, out[-1][1] + length)
        else:
            out.append((kind, length))
    return out


def main(uri, pool_dir, work_dir):
    conn = libvirt.open(uri)
    pool = conn.storagePoolCreateXML(
        "<pool type='dir'><name>sparse-transcript</name><target><path>%s</path></target></pool>" % pool_dir, 0)
    vol = pool.createXML("<volume><name>disk.raw</name><capacity>%d</capacity><allocation>0</allocation>"
                         "<target><format type='raw'/></target></volume>" % SIZE, 0)
    source, copy = os.path.join(work_dir, "source.raw"), os.path.join(work_dir, "copy.raw")
    write_source(source)
    try:
        print("sent:", merged(upload(conn, vol, source)))
        print("received:", merged(download(conn, vol, copy)))
        with open(source, "rb") as a, open(copy, "rb") as b:
            print("same bytes:", a.read() == b.read())
    finally:
        vol.delete(0)
        pool.destroy()
        conn.close()


if __name__ == "__main__":
    main(*sys.argv[1:4])
