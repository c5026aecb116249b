package org.nettricks.architecture;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import com.tngtech.archunit.library.Architectures;

/**
 * The packages of the library form a DAG that reads as the training pipeline. Each package may
 * import only the packages listed before it in {@link #LAYERS_BOTTOM_UP}; any upward import, and so
 * any cycle, fails this test.
 * <pre>
 * diagnosis, experiment          orchestration: recipe → data → network → trainer → model
 * selection                      search strategies, search spaces, results files
 * config                         the typed recipe (composes the typed families below it)
 * report                         the reports: statistics callbacks (training, pre-training), the page (ChartPage) and its kinds
 * pretraining                    layer-wise criteria (AE, DAE, RBM) on the training loop
 * training                       the loop, its gradient transforms and callbacks
 * model                          an immutable trained classifier and its file mapping
 * debugging, monitoring, evaluation   gradient checks, saturation measures, metrics on predictions
 * network                        a list of layers
 * optim, regularization, losses, layers, init
 * data                           readers, splits, normalization, batches
 * io                             file formats only: safetensors, atomic files, JSON (io.internal)
 * tensor, activations            matrices, backends, the activation functions they fuse
 * random                         the random generator with a state that checkpoints save
 * org.nettricks                  the error type and version
 * </pre>
 * A layer's {@code .internal} subpackage (its plumbing, which the module descriptor does not export:
 * see {@link ModuleBoundaryTest}) belongs to that layer.
 */
class LayeringTest {
    /** Bottom to top: each may import only those before it. */
    static final List<String> LAYERS_BOTTOM_UP = List.of("", "random", "activations", "tensor", "io", "data", "init",
            "layers", "losses", "regularization", "optim", "network", "evaluation", "monitoring", "debugging", "model",
            "training", "pretraining", "report", "config", "selection", "experiment", "diagnosis");

    /** The layering rule for the packages under {@code base}. */
    static ArchRule layering(String base, List<String> layersBottomUp) {
        Architectures.LayeredArchitecture architecture = Architectures.layeredArchitecture()
                .consideringOnlyDependenciesInLayers();
        for (String layer : layersBottomUp) {
            architecture = architecture.layer(name(layer)).definedBy(layer.isEmpty() ? base : base + "." + layer + "..");
        }
        for (int i = 0; i < layersBottomUp.size(); i++) {
            List<String> below = new ArrayList<>();
            for (int j = 0; j < i; j++) {
                below.add(name(layersBottomUp.get(j)));
            }
            Architectures.LayeredArchitecture.LayerDependencySpecification where =
                    architecture.whereLayer(name(layersBottomUp.get(i)));
            architecture = below.isEmpty() ? where.mayNotAccessAnyLayer() : where.mayOnlyAccessLayers(below.toArray(String[]::new));
        }
        return architecture;
    }

    private static String name(String layer) {
        return layer.isEmpty() ? "root" : layer;
    }

    private static JavaClasses mainClasses() {
        return new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("org.nettricks");
    }

    @Test
    void packagesImportOnlyTheLayersBelowThem() {
        layering("org.nettricks", LAYERS_BOTTOM_UP).check(mainClasses());
    }

    @Test
    void packagesAreFreeOfCycles() {
        slices().matching("org.nettricks.(*)..").should().beFreeOfCycles().check(mainClasses());
    }

    @Test
    void everyPackageHasItsPlaceInTheLayering() {
        Set<String> unplaced = new TreeSet<>();
        for (JavaClass c : mainClasses()) {
            String pkg = c.getPackageName();
            String relative = pkg.equals("org.nettricks") ? "" : pkg.substring("org.nettricks.".length()).split("\\.")[0];
            if (!LAYERS_BOTTOM_UP.contains(relative)) {
                unplaced.add(pkg);
            }
        }
        assertEquals(Set.of(), unplaced, "add these packages to LAYERS_BOTTOM_UP where they belong");
    }

    @Test
    void theRuleFailsOnACyclicFixture() {
        String base = "org.nettricks.architecture.fixture.cyclic";
        JavaClasses fixture = new ClassFileImporter().importPackages(base);
        assertEquals(2, fixture.size());
        EvaluationResult layers = layering(base, Arrays.asList("tensor", "network")).evaluate(fixture);
        assertTrue(layers.hasViolation(), "the tensor → network import must be reported");
        assertTrue(layers.getFailureReport().toString().contains("Tensor"), layers.getFailureReport().toString());
        EvaluationResult cycles = slices().matching(base + ".(*)..").should().beFreeOfCycles().evaluate(fixture);
        assertTrue(cycles.hasViolation(), "the cycle must be reported");
    }

    @Test
    void theRuleFailsOnAnUpwardImportWithoutACycle() {
        String base = "org.nettricks.architecture.fixture.upward";
        JavaClasses fixture = new ClassFileImporter().importPackages(base);
        assertTrue(layering(base, List.of("tensor", "network")).evaluate(fixture).hasViolation());
        assertFalse(layering(base, List.of("network", "tensor")).evaluate(fixture).hasViolation(),
                "with the order reversed the same import is downward and allowed");
    }
}
