package org.nettricks.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.EnumSet;

import org.nettricks.NetTricks;
import org.nettricks.io.internal.Json;
import org.nettricks.model.ModelFile;
import org.nettricks.io.Safetensors;
import org.nettricks.layers.DenseLayer;
import org.nettricks.experiment.Checkpoints;
import org.nettricks.experiment.Experiment;
import org.nettricks.config.Recipe;
import org.nettricks.report.PretrainingReport;
import org.nettricks.report.PretrainingStatistics;

/** {@code nettricks pretrain}: greedy layer-wise unsupervised pre-training, saving the stack. */
final class PretrainCommand extends Command {
    PretrainCommand() {
        super(new Definition("pretrain",
                "greedy layer-wise unsupervised pre-training (ae, dae, rbm), saving the stack",
                List.of("usage: nettricks pretrain --data SOURCE --pretrain ae|dae|rbm [recipe flags]"
                        + " --out STACK.safetensors"),
                """
                Pre-trains the hidden layers of the recipe's network one at a time, first to last, with an
                unsupervised criterion (the layers below fixed, their outputs computed once per layer),
                printing each layer's reconstruction error per epoch, and saves the stack: the hidden
                layers' layers.k.weight and layers.k.bias, with the architecture, normalization and recipe
                in __metadata__. 'nettricks train --pretrain ...' pre-trains and fine-tunes in one run.""",
                EnumSet.of(Shared.RECIPE, Shared.THREADS), List.of(
                Flag.value("output", "--out", "FILE", "the pre-trained stack (safetensors), written atomically"),
                Flag.value("output", "--filters", "FILE.png", "the first layer's filters as a PNG (one tile per hidden"
                        + " unit)"),
                Flag.value("checkpoints", "--resume", "DIR", "continue the pre-training whose checkpoints are in DIR"
                        + " from its latest complete checkpoint, ending with the stack the uninterrupted run would"
                        + " have saved (same recipe, backend and threads); keeps checkpointing into DIR"))));
    }

    @Override
    boolean writesReport() {
        return true;
    }

    @Override
    int run(Invocation invocation) {
        Flags flags = invocation.flags();
        PrintStream out = invocation.out();
        Recipe recipe = invocation.recipe();
        if (!recipe.pretraining().enabled()) {
            throw new UsageException("--pretrain is required: ae, dae or rbm");
        }
        OutputPaths outputs = OutputPaths.forRecipe(recipe, flags); // every output checked before the run
        Path outPath = outputs.file("--out", flags.required("--out", "stack.safetensors"));
        Path filtersPath = flags.has("--filters") ? outputs.file("--filters", flags.string("--filters", null)) : null;
        if (recipe.plots() != null) {
            throw new UsageException("`plots` " + recipe.plots() + ": pretrain writes no plots (train does); drop"
                    + " `plots`");
        }
        Path reportPath = recipe.report() == null ? null : outputs.file("`report`", recipe.report());
        Path resumeDir = flags.has("--resume") ? Path.of(flags.string("--resume", null)) : null;
        Path checkpointDir = TrainCommand.checkpointDirectory(recipe, resumeDir, outputs);
        Checkpoints[] opened = new Checkpoints[1]; // read and checked before anything is printed: one line if refused
        try (Invocation.Prepared prepared = invocation.prepare(recipe, e -> opened[0] = checkpointDir == null ? null
                : resumeDir != null ? Checkpoints.resumePretraining(e, checkpointDir, recipe.checkpointEvery())
                : Checkpoints.startPretraining(e, checkpointDir, recipe.checkpointEvery()))) {
            Experiment experiment = prepared.experiment();
            Checkpoints checkpoints = opened[0];
            out.println("pretrain " + recipe.pretraining().method().displayName() + " " + experiment.network().architecture()
                    .describe() + " " + recipe.network().activation().displayName() + " on "
                    + recipe.data().source());
            if (checkpoints != null) {
                for (String notice : checkpoints.notices()) {
                    invocation.err().println(SettingNames.asFlags(notice));
                }
            }
            ConsoleReporter console = new ConsoleReporter(out, null, recipe.epochs(), false, false, null);
            PretrainingReport[] page = new PretrainingReport[1];
            PretrainingStatistics statistics = new PretrainingStatistics(console, reportPath == null ? null
                    : () -> writeReport(page[0], reportPath));
            page[0] = new PretrainingReport(statistics, experiment.network().denseLayers().size() - 1,
                    Reports.provenance(experiment, recipe, prepared.backend(), "pretrain"), recipe.toMap(),
                    Reports.imageShape(experiment));
            try {
                experiment.pretrain(reportPath == null ? console : statistics, checkpoints);
            } catch (java.io.UncheckedIOException e) {
                if (checkpoints == null) {
                    throw e;
                }
                throw new org.nettricks.InvalidInputException("--checkpoint " + checkpoints.directory() + ": "
                        + e.getMessage());
            }
            if (reportPath != null) {
                statistics.finish(experiment.network());
                writeReport(page[0], reportPath);
            }
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
                throw OutputPaths.writeFailed("--out", outPath, e);
            }
            out.println("pre-trained stack saved to " + outPath);
            if (filtersPath != null) {
                TrainCommand.writeFilters(experiment, filtersPath);
                out.println("first-layer filters written to " + flags.string("--filters", null));
            }
            if (reportPath != null) {
                out.println("report written to " + reportPath);
            }
        }
        return 0;
    }

    private static void writeReport(PretrainingReport report, Path file) {
        try {
            report.write(file);
        } catch (java.io.IOException e) {
            throw OutputPaths.writeFailed("--report", file, e);
        }
    }
}
