package org.nettricks.cli;

import java.io.ByteArrayOutputStream;

/** The bytes of an IDX file of unsigned bytes (type 0x08) with the given dimensions, for test data. */
final class IdxBytes {
    private IdxBytes() {
    }

    static byte[] of(int[] dims, byte[] values) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        o.write(0);
        o.write(0);
        o.write(8); // unsigned bytes
        o.write(dims.length);
        for (int d : dims) {
            o.write(d >>> 24);
            o.write(d >>> 16);
            o.write(d >>> 8);
            o.write(d);
        }
        o.writeBytes(values);
        return o.toByteArray();
    }
}
