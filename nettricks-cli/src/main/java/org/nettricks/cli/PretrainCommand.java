package org.nettricks.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.nettricks.InvalidInputException;
import org.nettricks.NetTricks;
import org.nettricks.io.Json;
import org.nettricks.model.ModelFile;
import org.nettricks.io.Safetensors;
import org.nettricks.layers.DenseLayer;
import org.nettricks.tensor.Backend;
import org.nettricks.experiment.Experiment;
import org.nettricks.config.Recipe;

/** {@code nettricks pretrain}: greedy layer-wise unsupervised pre-training, saving the stack. */
final class PretrainCommand {
    private static final String INTRO = """
            usage: nettricks pretrain --data SOURCE --pretrain ae|dae|rbm [recipe flags] --out STACK.safetensors

            Pre-trains the hidden layers of the recipe's network one at a time, first to last, with an
            unsupervised criterion (the layers below fixed, their outputs computed once per layer),
            printing each layer's reconstruction error per epoch, and saves the stack: the hidden
            layers' layers.k.weight and layers.k.bias, with the architecture, normalization and recipe
            in __metadata__. 'nettricks train --pretrain ...' pre-trains and fine-tunes in one run.

            output:
              --out FILE                 the pre-trained stack (safetensors), written atomically
              --filters FILE.png         the first layer's filters as a PNG (one tile per hidden unit)
              --threads N                threads for the matrix products (default: all cores)
            """;

    private final PrintStream out;
    private final PrintStream err;

    PretrainCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    int run(String[] args) {
        RecipeArguments.Parsed parsed = RecipeArguments.parse("pretrain", args, Set.of("--backend", "--out", "--filters",
                "--threads"), Set.of());
        Flags flags = parsed.flags();
        if (flags.has("--help")) {
            out.print(INTRO + RecipeArguments.help());
            return 0;
        }
        Recipe recipe = parsed.recipe();
        if (!recipe.pretraining().enabled()) {
            throw new UsageException("--pretrain is required: ae, dae or rbm");
        }
        Path outPath = Path.of(flags.required("--out", "stack.safetensors"));
        int threads = flags.integer("--threads", Runtime.getRuntime().availableProcessors(), 1, "2");
        Backends.Opened opened = Backends.open(Backends.choice(flags), threads);
        try (Backend backend = opened.backend()) {
            Experiment experiment = Experiment.prepare(recipe, backend);
            opened.announce(err);
            out.println("pretrain " + recipe.pretraining().method().displayName() + " " + experiment.network().architecture()
                    .describe() + " " + recipe.network().activation().displayName() + " on "
                    + recipe.data().source());
            experiment.pretrain(new ConsoleReporter(out, null, recipe.epochs(), false, false, null));
            List<Safetensors.Tensor> tensors = new ArrayList<>();
            List<DenseLayer> layers = experiment.network().denseLayers();
            for (int k = 0; k < layers.size() - 1; k++) {
                DenseLayer layer = layers.get(k);
                tensors.add(new Safetensors.Tensor(layer.weight().name(), new int[] {layer.outputSize(),
                        layer.inputSize()}, layer.weight().value()));
                if (layer.bias() != null) {
                    tensors.add(new Safetensors.Tensor(layer.bias().name(), new int[] {layer.outputSize()},
                            layer.bias().value()));
                }
            }
            Map<String, String> meta = new LinkedHashMap<>();
            meta.put("format", "nettricks-pretrained-stack");
            meta.put("architecture", ModelFile.architectureJson(experiment.network().architecture()));
            meta.put("recipe", Json.write(recipe.toMap()));
            meta.put("nettricks_version", NetTricks.VERSION);
            try {
                Safetensors.write(outPath, meta, tensors);
            } catch (IOException e) {
                throw new InvalidInputException("--out " + outPath + ": cannot write: " + e.getMessage());
            }
            out.println("pre-trained stack saved to " + outPath);
            if (flags.has("--filters")) {
                TrainCommand.writeFilters(experiment, Path.of(flags.string("--filters", null)));
                out.println("first-layer filters written to " + flags.string("--filters", null));
            }
        }
        return 0;
    }
}
