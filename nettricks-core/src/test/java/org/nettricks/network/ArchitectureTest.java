package org.nettricks.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.nettricks.activations.Activation;
import org.nettricks.io.internal.Json;
import org.nettricks.layers.LayerSpec;
import org.nettricks.layers.LayerSpec.ActivationSpec;
import org.nettricks.layers.LayerSpec.BatchNormSpec;
import org.nettricks.layers.LayerSpec.DropoutSpec;
import org.nettricks.layers.LayerSpec.LinearSpec;

class ArchitectureTest {
    private static final List<HiddenLayer> HIDDEN = List.of(new HiddenLayer(5, Activation.SIGMOID, true, 0.4),
            new HiddenLayer(4, Activation.LINEAR, false, 0));

    @Test
    void theStandardStackSpelledAsLayerSpecs() {
        Architecture a = new Architecture(6, 0.2, HIDDEN, 3);
        assertEquals(List.of(new DropoutSpec(0.2), new LinearSpec(5, false), new BatchNormSpec(),
                new ActivationSpec(Activation.SIGMOID), new DropoutSpec(0.4), new LinearSpec(4, true),
                new ActivationSpec(Activation.LINEAR), new LinearSpec(3, true)), a.layers());
        assertTrue(a.isStandardStack());
        assertEquals(HIDDEN, a.hidden(), "read back");
        assertEquals(0.2, a.inputDropout());
        assertEquals(3, a.outputSize());
        assertEquals(List.of(5, 4), a.hiddenSizes());
        assertEquals(3, a.linearLayerCount());
        assertEquals("6-5-4-3", a.describe());
        assertEquals(a, new Architecture(6, a.layers()), "equal however it was spelled");
        Architecture softmaxRegression = Architecture.of(6, List.of(), Activation.RELU, 3);
        assertEquals(List.of(new LinearSpec(3)), softmaxRegression.layers());
        assertEquals(List.of(), softmaxRegression.hidden());
        assertEquals(0.0, softmaxRegression.inputDropout());
    }

    @Test
    void anyOtherListIsNotTheStandardStack() {
        for (List<LayerSpec> layers : List.of(
                List.<LayerSpec>of(new LinearSpec(5), new BatchNormSpec(), new ActivationSpec(Activation.RELU),
                        new LinearSpec(3)), // a bias before batch normalization
                List.<LayerSpec>of(new LinearSpec(5), new LinearSpec(3)), // no g between
                List.<LayerSpec>of(new LinearSpec(5), new ActivationSpec(Activation.RELU)), // ends with g
                List.<LayerSpec>of(new LinearSpec(3, false)))) { // an output layer without bias
            Architecture a = new Architecture(6, layers);
            assertFalse(a.isStandardStack(), layers.toString());
            String msg = assertThrows(IllegalStateException.class, a::hidden).getMessage();
            assertTrue(msg.contains("not the standard stack"), msg);
        }
    }

    @Test
    void invalidListsAreRefusedWithTheReason() {
        assertMessage("layer 0 (batch_norm) has no linear layer before it", 6, new BatchNormSpec(), new LinearSpec(3));
        assertMessage("second batch normalization after linear layer 0; its tensors layers.0.bn.* would clash", 6,
                new LinearSpec(4, false), new BatchNormSpec(), new ActivationSpec(Activation.TANH), new BatchNormSpec(),
                new LinearSpec(3));
        assertMessage("needs at least one linear layer", 6, new ActivationSpec(Activation.TANH));
        // one output is a network for one regression target (issue 17); a classifier's data has at least 2 classes
        assertEquals(1, new Architecture(6, List.of(new LinearSpec(1))).outputSize());
        assertMessage("inputSize must be at least 1, got 0", 0, new LinearSpec(3));
        assertEquals("dropout probability must be in (0, 1), got 1.0",
                assertThrows(IllegalArgumentException.class, () -> new DropoutSpec(1.0)).getMessage());
        assertEquals("input dropout probability must be in [0, 1), got 1.0", assertThrows(IllegalArgumentException.class,
                () -> new Architecture(6, 1.0, List.of(), 3)).getMessage());
    }

    @Test
    void everySpecRoundTripsThroughItsJson() {
        List<LayerSpec> specs = List.of(new LinearSpec(7, false), new BatchNormSpec(),
                new ActivationSpec(Activation.TANH), new DropoutSpec(0.25), new LinearSpec(3));
        List<String> json = List.of("{\"type\":\"linear\",\"size\":7,\"bias\":false}", "{\"type\":\"batch_norm\"}",
                "{\"type\":\"activation\",\"activation\":\"tanh\"}", "{\"type\":\"dropout\",\"probability\":0.25}",
                "{\"type\":\"linear\",\"size\":3,\"bias\":true}");
        for (int i = 0; i < specs.size(); i++) {
            assertEquals(json.get(i), Json.write(specs.get(i).toJson()));
            assertEquals(specs.get(i), LayerSpec.fromJson((Map<?, ?>) Json.parse(json.get(i))));
        }
        String unknown = assertThrows(IllegalArgumentException.class,
                () -> LayerSpec.fromJson(Map.of("type", "conv2d"))).getMessage();
        assertEquals("unknown layer type 'conv2d'; known: linear, batch_norm, activation, dropout", unknown);
        String missing = assertThrows(IllegalArgumentException.class,
                () -> LayerSpec.fromJson(Map.of("type", "linear", "bias", true))).getMessage();
        assertEquals("linear.size must be an integer, got null", missing);
    }

    private static void assertMessage(String expected, int inputSize, LayerSpec... layers) {
        String msg = assertThrows(IllegalArgumentException.class, () -> new Architecture(inputSize, List.of(layers)))
                .getMessage();
        assertTrue(msg.contains(expected), msg);
    }
}
