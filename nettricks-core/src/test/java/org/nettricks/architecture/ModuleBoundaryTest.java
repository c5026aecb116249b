package org.nettricks.architecture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.spi.ToolProvider;
import java.util.stream.Collectors;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nettricks.layers.Parameter;
import org.snakeyaml.engine.v2.api.LoadSettings;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * The module descriptor is the API's boundary, judged by javac itself: a consumer module that
 * {@code requires org.nettricks} compiles against the exported packages (a custom optimizer
 * included), and does not compile when it touches the plumbing — an internal package ("is not
 * visible … does not export it") or a parameter's double buffer ("has private access"). javac runs
 * through {@link ToolProvider} with raw diagnostics, whose keys do not depend on the locale.
 */
class ModuleBoundaryTest {
    private static final String MODULE = "org.nettricks";
    /** A raw diagnostic: {@code File.java:line:column: compiler.err.key: arguments}. */
    private static final Pattern ERROR = Pattern.compile("(?m)^(?:.*[/\\\\])?(\\w+)\\.java:\\d+:\\d+: (compiler\\.err\\.[\\w.]+)(.*)$");

    @TempDir
    static Path dir;

    private static String modulePath;
    private static Path library;

    @BeforeAll
    static void locateTheLibraryAndItsDependencies() throws URISyntaxException {
        library = location(Parameter.class);
        modulePath = List.of(library, location(JsonFactory.class), location(JsonMapper.class),
                location(JsonProperty.class), location(LoadSettings.class)).stream().map(Path::toString)
                .collect(Collectors.joining(java.io.File.pathSeparator));
    }

    private static Path location(Class<?> c) throws URISyntaxException {
        return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    @Test
    void theDescriptorExportsEveryPackageButTheInternalOnes() {
        ModuleDescriptor descriptor = ModuleFinder.of(library).find(MODULE).orElseThrow().descriptor();
        Set<String> exported = descriptor.exports().stream().map(ModuleDescriptor.Exports::source)
                .collect(Collectors.toCollection(TreeSet::new));
        descriptor.exports().forEach(e -> assertTrue(!e.isQualified(), "qualified export " + e));
        Set<String> api = new TreeSet<>();
        Set<String> internal = new TreeSet<>();
        for (String p : descriptor.packages()) {
            (p.endsWith(".internal") || p.contains(".internal.") ? internal : api).add(p);
        }
        assertEquals(api, exported, "every API package is exported, and nothing else");
        assertTrue(internal.containsAll(Set.of("org.nettricks.io.internal", "org.nettricks.tensor.internal",
                "org.nettricks.data.internal", "org.nettricks.layers.internal")), internal.toString());
    }

    @Test
    void aConsumerOfTheApiCompiles() throws IOException {
        Map<String, List<String>> errors = compile("good", Map.of(
                "UsesTheApi", """
                        import java.util.List;
                        import org.nettricks.layers.Parameter;
                        import org.nettricks.optim.Adam;
                        import org.nettricks.optim.OptimizerState;
                        import org.nettricks.tensor.Matrix;
                        import org.nettricks.tensor.Precision;

                        public class UsesTheApi {
                            public static boolean step() {
                                Parameter p = new Parameter("w", Parameter.Role.WEIGHT, Matrix.zeros(1, 2, Precision.FLOAT64));
                                Adam adam = new Adam(0.9, 0.999, 1e-8);
                                OptimizerState state = adam.createState(List.of(p));
                                return adam.step(List.of(p), state, 0.1) && p.value().size() == 2;
                            }
                        }
                        """,
                "HalfStep", """
                        import java.util.List;
                        import java.util.Map;
                        import org.nettricks.layers.Parameter;
                        import org.nettricks.optim.Optimizer;
                        import org.nettricks.optim.OptimizerState;
                        import org.nettricks.tensor.Matrix;

                        /** A user's own rule, θ ← θ − α∇/2: what it needs of OptimizerState is public or protected. */
                        public record HalfStep() implements Optimizer {
                            @Override
                            public OptimizerState createState(List<Parameter> parameters) {
                                return new State(this, parameters);
                            }

                            @Override
                            public String name() {
                                return "half-step";
                            }

                            static final class State extends OptimizerState {
                                final Matrix[] unused = zerosLike(parameters());

                                State(HalfStep rule, List<Parameter> parameters) {
                                    super(rule, parameters);
                                }

                                @Override
                                public Map<String, Matrix[]> tensors() {
                                    return named("unused", unused);
                                }

                                @Override
                                protected boolean update(int k, int from, int to) {
                                    Matrix theta = parameter(k).value();
                                    Matrix grad = parameter(k).gradient();
                                    Matrix out = updated(k);
                                    boolean finite = true;
                                    for (int i = from; i < to; i++) {
                                        out.setFlat(i, theta.getFlat(i) - learningRate() * grad.getFlat(i) / 2);
                                        finite &= Double.isFinite(out.getFlat(i));
                                    }
                                    return finite;
                                }
                            }
                        }
                        """));
        assertEquals(Map.of(), errors, "the API must be usable from another module");
    }

    @Test
    void aConsumerOfThePlumbingDoesNotCompile() throws IOException {
        String parameter = "Parameter p = new Parameter(\"w\", Parameter.Role.WEIGHT, Matrix.zeros(1, 2, Precision.FLOAT64));";
        String imports = """
                import java.util.List;
                import org.nettricks.layers.Parameter;
                import org.nettricks.optim.OptimizerState;
                import org.nettricks.optim.Sgd;
                import org.nettricks.tensor.Matrix;
                import org.nettricks.tensor.Precision;
                """;
        Map<String, String> sources = new TreeMap<>();
        sources.put("UsesJson", "public class UsesJson { String s = org.nettricks.io.internal.Json.write(1); }");
        sources.put("UsesPerBatchSize", "public class UsesPerBatchSize {"
                + " Object w = new org.nettricks.tensor.internal.PerBatchSize<Object>(rows -> rows); }");
        sources.put("UsesBatches", "public class UsesBatches { org.nettricks.data.internal.Batches b; }");
        sources.put("UsesParameterAccess", "public class UsesParameterAccess {"
                + " Object a = org.nettricks.layers.internal.ParameterAccess.get(); }");
        for (String member : List.of("next", "commit", "revert")) {
            String name = "Calls" + Character.toUpperCase(member.charAt(0)) + member.substring(1);
            sources.put(name, imports + "public class " + name + " { void f() { " + parameter + " p." + member
                    + "(); } }");
        }
        sources.put("CallsApply", imports + "public class CallsApply { boolean f() { " + parameter
                + " OptimizerState s = new Sgd().createState(List.of(p)); return s.apply(List.of(p), 0.1); } }");

        Map<String, List<String>> errors = compile("bad", sources);

        Map<String, String> expected = new TreeMap<>();
        for (String name : List.of("UsesJson", "UsesPerBatchSize", "UsesBatches", "UsesParameterAccess")) {
            expected.put(name, "compiler.err.package.not.visible");
        }
        for (String name : List.of("CallsNext", "CallsCommit", "CallsRevert", "CallsApply")) {
            expected.put(name, "compiler.err.report.access");
        }
        assertEquals(expected.keySet(), errors.keySet(), "every consumer of plumbing fails, and only for that: " + errors);
        for (Map.Entry<String, String> e : expected.entrySet()) {
            List<String> found = errors.get(e.getKey());
            assertTrue(found.stream().anyMatch(d -> d.startsWith(e.getValue() + ":")),
                    e.getKey() + " should fail with " + e.getValue() + ", got " + found);
        }
        assertEquals(List.of("compiler.err.package.not.visible: org.nettricks.io.internal, "
                + "(compiler.misc.not.def.access.not.exported: org.nettricks.io.internal, org.nettricks)"),
                errors.get("UsesJson"));
        assertTrue(errors.get("CallsCommit").get(0).matches(
                "compiler.err.report.access: commit\\(\\), private, org.nettricks.layers.Parameter"),
                errors.get("CallsCommit").toString());
    }

    /** Compiles module {@code consumer} (requires org.nettricks) from these classes; the errors by class. */
    private static Map<String, List<String>> compile(String name,
            Map<String, String> classes) throws IOException {
        Path src = Files.createDirectories(dir.resolve(name).resolve("src"));
        Path out = Files.createDirectories(dir.resolve(name).resolve("out"));
        List<Path> files = new ArrayList<>();
        files.add(Files.writeString(src.resolve("module-info.java"), "module consumer { requires " + MODULE + "; }"));
        Files.createDirectories(src.resolve("consumer"));
        for (Map.Entry<String, String> c : classes.entrySet()) {
            files.add(Files.writeString(src.resolve("consumer").resolve(c.getKey() + ".java"),
                    "package consumer;\n" + c.getValue()));
        }
        ToolProvider javac = ToolProvider.findFirst("javac").orElse(null);
        assertNotNull(javac, "this test needs a JDK");
        List<String> arguments = new ArrayList<>(List.of("--release", "17", "--module-path", modulePath,
                "-d", out.toString(), "-proc:none", "-XDrawDiagnostics", "-XDshould-stop.ifError=FLOW"));
        files.forEach(f -> arguments.add(f.toString()));
        StringWriter text = new StringWriter();
        try (PrintWriter w = new PrintWriter(text)) {
            javac.run(w, w, arguments.toArray(String[]::new));
        }
        Map<String, List<String>> errors = new TreeMap<>();
        Matcher m = ERROR.matcher(text.toString());
        while (m.find()) {
            errors.computeIfAbsent(m.group(1), k -> new ArrayList<>()).add(m.group(2) + m.group(3));
        }
        return errors;
    }
}
