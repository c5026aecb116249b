package org.nettricks.openblas;

import java.util.Locale;

/**
 * Which OpenBLAS computes the products: the one bundled with org.bytedeco:openblas, or the
 * system's ({@code libopenblas.so.0} as the dynamic loader finds it, e.g. Debian's
 * {@code libopenblas0-pthread}, the library NumPy and PyTorch call on such a machine).
 *
 * <p>Chosen by the environment variable {@value #ENVIRONMENT} or the system property
 * {@value #PROPERTY} (which wins), one of:
 * <ul>
 *   <li>{@code auto} (the default): the system's OpenBLAS when one loads and runs its products on
 *       POSIX threads ({@code openblas_get_parallel() == 1}), else the bundled one. A sequential
 *       or OpenMP build is passed over: the first would ignore the thread count, the second's
 *       spinning pool would take the cores from NetTricks's own threads.</li>
 *   <li>{@code bundled}: always the bundled OpenBLAS (0.3.31), whatever the machine has.</li>
 *   <li>{@code system}: the system's OpenBLAS, whichever build it is; an error when none loads.</li>
 * </ul>
 * Set before the first backend opens: the library loads once per process. When
 * org.bytedeco:openblas's own property {@code org.bytedeco.openblas.load} is set, it decides and
 * this choice is not consulted. Without the zero-copy helper (built only where a C compiler
 * exists) {@code auto} cannot look at the system's library and means {@code bundled}.
 *
 * <p>Why {@code auto} prefers the system's: on this project's 2-core machine Debian's OpenBLAS
 * 0.3.21 runs the reference network's forward (x·Wᵀ) and input-gradient products at batch 128
 * 10–15% faster than the bundled build, and trains it about 7% faster (docs/benchmarks.md, "Which
 * OpenBLAS"). The two libraries add in different orders, so a seed gives the same bits only with
 * the same library: the backend's notice and a trained model's provenance ({@code blas}) name it.
 */
public final class BlasLibrary {
    /** The environment variable that chooses the library: auto, bundled or system. */
    public static final String ENVIRONMENT = "NETTRICKS_BLAS";
    /** The system property that chooses the library (wins over {@value #ENVIRONMENT}). */
    public static final String PROPERTY = "nettricks.blas";
    /** org.bytedeco:openblas's own property: the library it loads instead of the bundled one. */
    static final String BYTEDECO_PROPERTY = "org.bytedeco.openblas.load";
    /** The file name the dynamic loader resolves to the system's OpenBLAS. */
    static final String SYSTEM_SONAME = "libopenblas.so.0";

    /** The source of the bundled library, as recorded. */
    static final String BUNDLED = "bundled";
    /** The source of the system's library, as recorded. */
    static final String SYSTEM = "the system's";

    /** The user's choice. */
    enum Choice { AUTO, BUNDLED, SYSTEM }

    /** What probing the system's library found: whether it loads, its parallel mode (-1 unknown) and build. */
    record Probe(boolean loads, int parallel, String config) {
        static final Probe NONE = new Probe(false, -1, "");

        /** Parses the zero-copy helper's "P<tab>CONFIG" answer; null means the library does not load. */
        static Probe parse(String answer) {
            if (answer == null) {
                return NONE;
            }
            int tab = answer.indexOf('\t');
            int parallel;
            try {
                parallel = Integer.parseInt(tab < 0 ? answer : answer.substring(0, tab));
            } catch (NumberFormatException e) {
                parallel = -1;
            }
            return new Probe(true, parallel, tab < 0 ? "" : answer.substring(tab + 1).strip());
        }
    }

    /**
     * The outcome: whether to load the system's library; its source as a model's provenance and a
     * checkpoint record it ({@code bundled} or {@code the system's}: the library, not how it was
     * chosen); why, for the backend's notice (null when the default chose the obvious); and the
     * configuration error that must stop the program (null when none).
     */
    record Decision(boolean system, String source, String reason, String error) {
    }

    private BlasLibrary() {
    }

    /**
     * The choice from {@code property} (the system property's value, or null) else
     * {@code environment} (the variable's, or null); {@code auto} when neither is set.
     *
     * @throws IllegalArgumentException naming the setting and its allowed values when the value is another
     */
    static Choice choice(String property, String environment) {
        String name = property != null ? "-D" + PROPERTY : ENVIRONMENT;
        String value = property != null ? property : environment;
        if (value == null || value.isBlank()) {
            return Choice.AUTO;
        }
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "auto" -> Choice.AUTO;
            case "bundled" -> Choice.BUNDLED;
            case "system" -> Choice.SYSTEM;
            default -> throw new IllegalArgumentException(name + " must be auto, bundled or system, got '" + value
                    + "'");
        };
    }

    /** The name of the setting that chose: {@code -Dnettricks.blas} when the property is set, else {@value #ENVIRONMENT}. */
    static String settingName(String property) {
        return property != null ? "-D" + PROPERTY : ENVIRONMENT;
    }

    /** What {@code choice} means on a machine whose system library probed as {@code probe}, set by {@value #ENVIRONMENT}. */
    static Decision decide(Choice choice, Probe probe) {
        return decide(choice, probe, ENVIRONMENT);
    }

    /**
     * What {@code choice}, made by the setting named {@code setting} ({@link #settingName}), means on a
     * machine whose system library probed as {@code probe}.
     */
    static Decision decide(Choice choice, Probe probe, String setting) {
        return switch (choice) {
            case BUNDLED -> new Decision(false, BUNDLED, setting + "=bundled", null);
            case SYSTEM -> probe.loads() ? new Decision(true, SYSTEM, setting + "=system", null)
                    : new Decision(false, null, null, setting + "=system, but no system OpenBLAS (" + SYSTEM_SONAME
                            + ") loads here: install one (Debian: apt-get install libopenblas0-pthread) or set "
                            + setting + "=auto");
            case AUTO -> {
                if (!probe.loads()) {
                    yield new Decision(false, BUNDLED, null, null);
                }
                if (probe.parallel() != 1) {
                    String kind = switch (probe.parallel()) {
                        case 0 -> "sequential";
                        case 2 -> "OpenMP";
                        default -> "of unknown threading";
                    };
                    yield new Decision(false, BUNDLED, "the system's is " + kind, null);
                }
                yield new Decision(true, SYSTEM, null, null);
            }
        };
    }

    /**
     * How to resume a checkpoint whose {@code blas} provenance is {@code recorded} (e.g.
     * {@code OpenBLAS 0.3.31 …; bundled}): the setting and value that load that library again.
     */
    static String advice(String recorded) {
        String value = recorded.endsWith("; " + BUNDLED) ? "bundled" : recorded.endsWith("; " + SYSTEM) ? "system"
                : null;
        return value == null ? ENVIRONMENT + " or -D" + PROPERTY + " chooses the OpenBLAS library"
                : "to resume with the checkpoint's library, set " + ENVIRONMENT + "=" + value + ", or -D" + PROPERTY
                        + "=" + value + " where that property is set";
    }
}
