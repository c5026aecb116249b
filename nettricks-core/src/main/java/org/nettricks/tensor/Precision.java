package org.nettricks.tensor;

/**
 * The floating-point precision of a {@link Matrix}.
 *
 * <p>Training runs in {@link #FLOAT32}; {@link #FLOAT64} exists so that the same network can be
 * checked against finite differences without rounding noise drowning the comparison.
 */
public enum Precision {
    /** IEEE 754 single precision, 4 bytes per value; safetensors dtype {@code F32}. */
    FLOAT32(4, "F32"),
    /** IEEE 754 double precision, 8 bytes per value; safetensors dtype {@code F64}. */
    FLOAT64(8, "F64");

    private final int bytes;
    private final String safetensorsDtype;

    Precision(int bytes, String safetensorsDtype) {
        this.bytes = bytes;
        this.safetensorsDtype = safetensorsDtype;
    }

    /** Bytes per stored value. */
    public int bytes() {
        return bytes;
    }

    /** The dtype string used in safetensors headers ({@code F32} or {@code F64}). */
    public String safetensorsDtype() {
        return safetensorsDtype;
    }

    /** Parses a user-facing name: {@code float32} or {@code float64}. */
    public static Precision parse(String name) {
        return switch (name) {
            case "float32", "f32" -> FLOAT32;
            case "float64", "f64" -> FLOAT64;
            default -> throw new IllegalArgumentException(
                    "precision must be float32 or float64, got '" + name + "'");
        };
    }

    /** The user-facing name, {@code float32} or {@code float64}. */
    public String displayName() {
        return this == FLOAT32 ? "float32" : "float64";
    }
}
