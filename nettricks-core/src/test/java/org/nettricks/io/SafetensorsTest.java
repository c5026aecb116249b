package org.nettricks.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nettricks.InvalidInputException;
import org.nettricks.tensor.Matrix;
import org.nettricks.tensor.Precision;

class SafetensorsTest {
    @TempDir
    Path dir;

    private Path sample() throws IOException {
        Path p = dir.resolve("m.safetensors");
        Safetensors.write(p, Map.of("k", "v"), List.of(
                new Safetensors.Tensor("w", new int[] {2, 3}, Matrix.of(Precision.FLOAT32, 2, 3, 1, 2, 3, 4, 5, 6.5)),
                new Safetensors.Tensor("b", new int[] {2}, Matrix.of(Precision.FLOAT32, 1, 2, -1, 0.25))));
        return p;
    }

    @Test
    void layoutFollowsTheSpecificationByteForByte() throws IOException {
        byte[] bytes = Files.readAllBytes(sample());
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        long n = buf.getLong(0);
        assertEquals(0, (8 + n) % 8, "data starts 8-byte aligned");
        String header = new String(bytes, 8, (int) n, StandardCharsets.UTF_8);
        assertTrue(header.startsWith("{\"__metadata__\":{\"k\":\"v\"},"), header);
        assertTrue(header.contains("\"w\":{\"dtype\":\"F32\",\"shape\":[2,3],\"data_offsets\":[0,24]}"), header);
        assertTrue(header.contains("\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[24,32]}"), header);
        assertEquals(8 + n + 32, bytes.length);
        int data = (int) (8 + n);
        assertEquals(6.5f, buf.getFloat(data + 20));
        assertEquals(0.25f, buf.getFloat(data + 28));
    }

    @Test
    void readsBackWhatItWrote() throws IOException {
        Safetensors.Contents c = Safetensors.read(sample());
        assertEquals(Map.of("k", "v"), c.metadata());
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6.5f}, c.tensor("w").values().floats());
        assertArrayEquals(new int[] {2}, c.tensor("b").shape());
    }

    @Test
    void doublesAreStoredAsF64() throws IOException {
        Path p = dir.resolve("d.safetensors");
        Safetensors.write(p, Map.of(), List.of(new Safetensors.Tensor("x", new int[] {1},
                Matrix.of(Precision.FLOAT64, 1, 1, Math.PI))));
        assertEquals(Math.PI, Safetensors.read(p).tensor("x").values().doubles()[0]);
    }

    private String refusal(byte[] bytes) throws IOException {
        Path p = dir.resolve("bad.safetensors");
        Files.write(p, bytes);
        return assertThrows(InvalidInputException.class, () -> Safetensors.read(p)).getMessage();
    }

    @Test
    void corruptedHeaderLengthIsRefused() throws IOException {
        byte[] bytes = Files.readAllBytes(sample());
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putLong(0, 1L << 40);
        assertTrue(refusal(bytes).contains("header length 1099511627776 at byte offset 0 is impossible"));
    }

    @Test
    void corruptedHeaderJsonIsRefused() throws IOException {
        byte[] bytes = Files.readAllBytes(sample());
        bytes[8] = 'X';
        assertTrue(refusal(bytes).contains("header (byte offset 8) is not valid JSON"));
    }

    @Test
    void wrongOffsetIsRefused() throws IOException {
        byte[] bytes = Files.readAllBytes(sample());
        String s = new String(bytes, StandardCharsets.ISO_8859_1).replace("[24,32]", "[20,28]");
        String msg = refusal(s.getBytes(StandardCharsets.ISO_8859_1));
        assertTrue(msg.contains("tensor 'b' starts at data offset 20 but the previous tensor ends at 24"), msg);
    }

    @Test
    void truncatedTensorIsRefused() throws IOException {
        byte[] bytes = Files.readAllBytes(sample());
        String msg = refusal(Arrays.copyOf(bytes, bytes.length - 3));
        assertTrue(msg.contains("tensor 'b' has data_offsets [24, 32] outside the 29 bytes of data"), msg);
    }

    @Test
    void unsupportedDtypeAndShapeMismatchAreRefused() throws IOException {
        byte[] bytes = Files.readAllBytes(sample());
        String s = new String(bytes, StandardCharsets.ISO_8859_1);
        assertTrue(refusal(s.replace("\"F32\",\"shape\":[2]", "\"I32\",\"shape\":[2]")
                .getBytes(StandardCharsets.ISO_8859_1)).contains("tensor 'b' has dtype I32"));
        assertTrue(refusal(s.replace("[2,3]", "[3,3]").getBytes(StandardCharsets.ISO_8859_1))
                .contains("spanning 24 bytes, but its shape [3, 3] of F32 needs 36"));
    }

    @Test
    void tooShortFileIsRefused() throws IOException {
        assertTrue(refusal(new byte[] {1, 2, 3}).contains("shorter than the 8-byte header length"));
    }

    @Test
    void zeroSizeTensorAfterAnotherAtTheSameOffsetIsValid() throws Exception {
        // "a" [0, 8] then "e" [0, 0] in the header: the reference implementation orders by (begin, end)
        Path p = Path.of(SafetensorsTest.class.getResource("zero-size-tensor-second.safetensors").toURI());
        Safetensors.Contents c = Safetensors.read(p);
        assertEquals(List.of("a", "e"), c.tensors().stream().map(Safetensors.Tensor::name).toList());
        assertArrayEquals(new float[] {1, 2}, c.tensor("a").values().floats());
        assertArrayEquals(new int[] {0}, c.tensor("e").shape());
        assertEquals(0, c.tensor("e").values().size());
    }

    @Test
    void zeroSizeTensorsRoundTripAnywhere() throws IOException {
        Path p = dir.resolve("z.safetensors");
        Safetensors.write(p, Map.of(), List.of(
                new Safetensors.Tensor("first", new int[] {0}, Matrix.zeros(1, 0, Precision.FLOAT32)),
                new Safetensors.Tensor("w", new int[] {1, 2}, Matrix.of(Precision.FLOAT64, 1, 2, 3, 4)),
                new Safetensors.Tensor("middle", new int[] {0, 5}, Matrix.zeros(0, 5, Precision.FLOAT64)),
                new Safetensors.Tensor("b", new int[] {1}, Matrix.of(Precision.FLOAT32, 1, 1, 7)),
                new Safetensors.Tensor("last", new int[] {3, 0}, Matrix.zeros(3, 0, Precision.FLOAT32))));
        Safetensors.Contents c = Safetensors.read(p);
        assertEquals(List.of("first", "w", "middle", "b", "last"),
                c.tensors().stream().map(Safetensors.Tensor::name).toList());
        assertArrayEquals(new int[] {0, 5}, c.tensor("middle").shape());
        assertEquals(0, c.tensor("middle").values().size());
        assertArrayEquals(new int[] {3, 0}, c.tensor("last").shape());
        assertArrayEquals(new double[] {3, 4}, c.tensor("w").values().doubles());
        assertArrayEquals(new float[] {7}, c.tensor("b").values().floats());
    }

    @Test
    void nonEmptyTensorsSharingAnOffsetStillOverlap() throws IOException {
        byte[] bytes = Files.readAllBytes(sample());
        String overlap = new String(bytes, StandardCharsets.ISO_8859_1).replace("[24,32]", "[0, 8 ]");
        String msg = refusal(overlap.getBytes(StandardCharsets.ISO_8859_1));
        assertTrue(msg.contains("tensor 'w' starts at data offset 0 but the previous tensor ends at 8"), msg);
    }

    @Test
    void tensorTooLargeForTheHeapIsRefusedBeforeAllocating() throws IOException {
        long values = Runtime.getRuntime().maxMemory() / 4 + 1024;
        long rows = values / 1024 + 1;
        // a header announcing the tensor, and a sparse file of that size: nothing is really stored
        String json = "{\"big\":{\"dtype\":\"F32\",\"shape\":[" + rows + ",1024],\"data_offsets\":[0,"
                + rows * 1024 * 4 + "]}}";
        byte[] header = json.getBytes(StandardCharsets.US_ASCII);
        Path p = dir.resolve("huge.safetensors");
        try (var ch = java.nio.channels.FileChannel.open(p, java.nio.file.StandardOpenOption.CREATE_NEW,
                java.nio.file.StandardOpenOption.WRITE, java.nio.file.StandardOpenOption.SPARSE)) {
            ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, header.length);
            ch.write(len);
            ch.write(ByteBuffer.wrap(header));
            ch.write(ByteBuffer.wrap(new byte[1]), 8 + header.length + rows * 1024 * 4 - 1);
        }
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> Safetensors.read(p));
        assertTrue(e.getMessage().startsWith(p + ": the header's 1 tensors of " + rows * 1024 * 4 + " bytes would need"),
                e.getMessage());
        assertTrue(e.getMessage().contains("of memory but the JVM's maximum heap is"), e.getMessage());
    }

    @Test
    void headerThatIsNotUtf8IsRefused() throws IOException {
        byte[] bytes = Files.readAllBytes(sample());
        bytes[10] = (byte) 0xC3; // inside "__metadata__": a lead byte without its continuation
        assertTrue(refusal(bytes).contains("header (byte offset 8) is not valid UTF-8"));
    }
}
