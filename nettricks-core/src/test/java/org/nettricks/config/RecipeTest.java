package org.nettricks.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nettricks.InvalidInputException;
import org.nettricks.activations.Activation;
import org.nettricks.experiment.Experiment;
import org.nettricks.optim.Adam;
import org.nettricks.optim.LearningRateSchedule;
import org.nettricks.optim.Momentum;
import org.nettricks.optim.RmsProp;
import org.nettricks.optim.Sgd;
import org.nettricks.pretraining.Autoencoder;
import org.nettricks.pretraining.PretrainingConfig;
import org.nettricks.tensor.Precision;
import org.nettricks.training.EarlyStopping;
import org.nettricks.training.TrainingConfig;

class RecipeTest {
    @TempDir
    Path dir;

    private static Recipe.Builder digits() {
        return Recipe.builder().data("digits");
    }

    private record Invalid(UnaryOperator<Recipe.Builder> change, String key, String message) {
    }

    @Test
    void everyRecordRejectsEachInvalidFieldNamingTheKey() {
        List<Invalid> cases = List.of(
                new Invalid(b -> b.data(null), "data", "data is required: digits, fashion-mnist, a directory of IDX"
                        + " files or a CSV file"),
                new Invalid(b -> b.data(" "), "data", "data is required: digits, fashion-mnist, a directory of IDX"
                        + " files or a CSV file"),
                new Invalid(b -> b.validationFraction(1), "validation-fraction",
                        "validation-fraction must be in [0, 1), got 1"),
                new Invalid(b -> b.testFraction(0), "test-fraction", "test-fraction must be in (0, 1), got 0"),
                new Invalid(b -> b.normalization(null), "normalize", "normalize must be given, got null"),
                new Invalid(b -> b.trainLimit(-1), "train-limit", "train-limit must be at least 0, got -1"),
                new Invalid(b -> b.hidden(64, 0), "hidden", "hidden must be layer sizes of at least 1, got 0 in [64, 0]"),
                new Invalid(b -> b.activation(null), "activation", "activation must be given, got null"),
                new Invalid(b -> b.dropout(1.0), "dropout", "dropout must be in [0, 1), got 1"),
                new Invalid(b -> b.hidden(8, 8, 8).dropout(0.5, 0.2), "dropout", "dropout gives 2 probabilities for 3"
                        + " hidden layers; give one for all or one per layer"),
                new Invalid(b -> b.inputDropout(-0.1), "input-dropout", "input-dropout must be in [0, 1), got -0.1"),
                new Invalid(b -> b.init(null), "init", "init must be given, got null"),
                new Invalid(b -> b.initGain(0), "init-gain", "init-gain must be in (0, ∞), got 0"),
                new Invalid(b -> b.initFrom(" "), "init-from", "init-from is empty; name a model file written by"
                        + " `nettricks train --out`, or leave init-from out to start from the initialization"),
                new Invalid(b -> b.initFrom("m.safetensors").pretrain(PretrainingMethod.AE), "init-from",
                        "init-from and pretrain ae both set the hidden layers' starting weights; drop `pretrain` to"
                        + " continue from the model, or drop `init-from` to pre-train"),
                new Invalid(b -> b.hidden(8, 8).freeze(3), "freeze",
                        "freeze must be between 0 and the number of hidden layers (2), got 3"),
                new Invalid(b -> b.freeze(-1), "freeze",
                        "freeze must be between 0 and the number of hidden layers (1), got -1"),
                new Invalid(b -> b.optimizer((UpdateRule) null), "optimizer", "optimizer must be given, got null"),
                new Invalid(b -> b.learningRate(-1), "lr", "lr must be in (0, ∞), got -1"),
                new Invalid(b -> b.learningRate(Double.POSITIVE_INFINITY), "lr", "lr must be in (0, ∞), got ∞"),
                new Invalid(b -> b.momentum(1), "momentum", "momentum must be in [0, 1), got 1"),
                new Invalid(b -> b.beta1(1.0), "beta1", "beta1 must be in [0, 1), got 1"),
                new Invalid(b -> b.optimizer("adam").beta2(1.5), "beta2", "beta2 must be in [0, 1), got 1.5"),
                new Invalid(b -> b.epsilon(0), "epsilon", "epsilon must be in (0, ∞), got 0"),
                new Invalid(b -> b.schedule(null), "schedule", "schedule must be given, got null"),
                new Invalid(b -> b.l1(-1e-5), "l1", "l1 must be in [0, ∞), got -1.0E-5"),
                new Invalid(b -> b.l2(Double.NaN), "l2", "l2 must be in [0, ∞), got NaN"),
                new Invalid(b -> b.clipNorm(-5), "clip-norm", "clip-norm must be in [0, ∞), got -5"),
                new Invalid(b -> b.patience(-1), "patience", "patience must be at least 0, got -1"),
                new Invalid(b -> b.minDelta(-0.5), "min-delta", "min-delta must be in [0, ∞), got -0.5"),
                new Invalid(b -> b.weightColumn(" "), "weight-column", "weight-column is empty; name the CSV column of"
                        + " example weights, or leave weight-column out"),
                new Invalid(b -> b.monitor(org.nettricks.evaluation.Metric.VAL_RMSE), "monitor", "monitor val-rmse is a"
                        + " metric of `task` regression, but the task is classification; its metrics are val-error"
                        + " (minimize), val-loss (minimize), val-accuracy (maximize), val-balanced-accuracy (maximize),"
                        + " val-f1-macro (maximize), val-f1-weighted (maximize), val-precision-macro (maximize),"
                        + " val-recall-macro (maximize), val-top-K-accuracy (maximize), val-log-loss (minimize),"
                        + " val-roc-auc-ovr (maximize)"),
                new Invalid(b -> b.bnStatistics(null), "bn-statistics", "bn-statistics must be given, got null"),
                new Invalid(b -> b.pretrain(null), "pretrain", "pretrain must be given, got null"),
                new Invalid(b -> b.pretrainEpochs(0), "pretrain-epochs", "pretrain-epochs must be at least 1 epoch per"
                        + " layer, got 0 in [0]"),
                new Invalid(b -> b.pretrainEpochs(), "pretrain-epochs", "pretrain-epochs must give epochs, one for all"
                        + " layers or one per layer"),
                new Invalid(b -> b.hidden(8, 8).pretrainEpochs(1, 2, 3), "pretrain-epochs", "pretrain-epochs gives 3"
                        + " values for 2 hidden layers; give one for all or one per layer"),
                new Invalid(b -> b.pretrainLearningRates(0), "pretrain-lr", "pretrain-lr must be in (0, ∞), got 0"),
                new Invalid(b -> b.hidden(8).pretrainLearningRates(0.1, 0.2), "pretrain-lr", "pretrain-lr gives 2 values"
                        + " for 1 hidden layers; give one for all or one per layer"),
                new Invalid(b -> b.noise(null), "noise", "noise must be given, got null"),
                new Invalid(b -> b.corruption(1), "corruption", "corruption must be in [0, 1), got 1"),
                new Invalid(b -> b.noise(Noise.GAUSSIAN).corruption(-0.1), "corruption",
                        "corruption must be in [0, ∞), got -0.1"),
                new Invalid(b -> b.cdK(0), "cd-k", "cd-k must be at least 1, got 0"),
                new Invalid(b -> b.classWeights(null), "class-weight", "class-weight must be given, got null"),
                new Invalid(b -> b.pretrainPatience(-2), "pretrain-patience", "pretrain-patience must be at least 0,"
                        + " got -2"),
                new Invalid(b -> b.pretrain(PretrainingMethod.RBM), "pretrain", "pretrain rbm needs sigmoid hidden"
                        + " units (binary units), but activation is relu; set `activation` to sigmoid, or pre-train"
                        + " with dae"),
                new Invalid(b -> b.patience(3).validationFraction(0), "patience", "patience needs a validation set,"
                        + " but validation-fraction is 0; give a validation fraction such as 0.1, or drop patience"),
                new Invalid(b -> b.batchSize(0), "batch-size", "batch-size must be at least 1, got 0"),
                new Invalid(b -> b.batchSize(1).batchNorm(true), "batch-size", "batch-size must be at least 2 with"
                        + " `batch-norm`: batch normalization of one example sets every unit to 0 (PyTorch refuses it"
                        + " too); a last, smaller batch of one is fine"),
                new Invalid(b -> b.epochs(0), "epochs", "epochs must be at least 1, got 0"),
                new Invalid(b -> b.precision(null), "precision", "precision must be given, got null"),
                new Invalid(b -> b.checkpoint(" "), "checkpoint", "checkpoint must name a directory, got an empty name"),
                new Invalid(b -> b.checkpointEvery(-1), "checkpoint-every", "checkpoint-every must be at least 0, got -1"),
                new Invalid(b -> b.report(" "), "report", "report must name a file, got an empty name"),
                new Invalid(b -> b.plots(""), "plots", "plots must name a directory, got an empty name"),
                new Invalid(b -> b.task("ranking"), "task", "task must be classification or regression, got"
                        + " 'ranking'"),
                new Invalid(b -> b.loss("huber"), "loss", "loss huber is a loss of `task` regression, but the task is"
                        + " classification, whose loss is cross-entropy; set `task` regression to fit numeric targets"),
                new Invalid(b -> b.task("regression").loss("cross-entropy"), "loss", "loss cross-entropy is the loss of"
                        + " `task` classification; regression minimizes squared-error (its default) or huber: drop `loss`, or"
                        + " use `loss` huber"),
                new Invalid(b -> b.task("regression").loss("huber").huberDelta(0), "huber-delta", "huber-delta must be"
                        + " a finite number > 0, got 0"),
                new Invalid(b -> b.task("regression").huberDelta(2), "huber-delta", "huber-delta applies to `loss`"
                        + " huber only, but the loss is squared-error; set `loss` huber, or drop `huber-delta`"),
                new Invalid(b -> b.task("regression").classWeights(org.nettricks.losses.ClassWeights.BALANCED),
                        "class-weight", "class-weight weighs classes, but `task` is regression (numeric targets, no"
                        + " classes); drop `class-weight`, or use `task` classification"),
                new Invalid(b -> b.delimiter('"'), "delimiter", "delimiter must not be a quote, line break, letter,"
                        + " digit, '.', '+' or '-' (they occur in fields), got '\"'; use auto, tab or a character such"
                        + " as ';'"));
        List<String> keysCovered = new ArrayList<>();
        for (Invalid c : cases) {
            RecipeException e = assertThrows(RecipeException.class, () -> c.change().apply(digits()).build(),
                    c.message());
            assertEquals(c.message(), e.getMessage());
            assertEquals(c.key(), e.key(), c.message());
            keysCovered.add(c.key());
        }
        // every key with a rule has a case; the rest take any value (paths, names, seeds, switches)
        List<String> free = List.of("test-data", "label", "split-seed", "batch-norm", "pretrain-on", "tied",
                "persistent", "seed");
        for (RecipeSettings.Key k : RecipeSettings.KEYS) {
            assertTrue(keysCovered.contains(k.name()) || free.contains(k.name()), "no invalid case for " + k.name());
        }
        // the boundaries themselves are valid
        digits().validationFraction(0).beta1(0).momentum(0).l1(0).trainLimit(0).noise(Noise.GAUSSIAN).corruption(5)
                .hidden().build();
        digits().activation(Activation.SIGMOID).pretrain(PretrainingMethod.RBM).hidden(8, 8).pretrainEpochs(1, 2)
                .build();
    }

    @Test
    void theCommandLineNamesWhereAValueCameFrom() throws IOException {
        String flag = assertThrows(InvalidInputException.class, () -> RecipeSettings.of("data", "digits",
                "beta1", "1.0")).getMessage();
        assertEquals("--beta1 must be in [0, 1), got 1; e.g. --beta1 0.9", flag);
        Path file = Files.writeString(dir.resolve("r.yaml"), "data: digits\noptimizer: adam\nbeta1: 1.0\n");
        String fromFile = assertThrows(InvalidInputException.class,
                () -> RecipeSettings.parse(RecipeFile.read(file))).getMessage();
        assertEquals(file + " line 3: beta1 must be in [0, 1), got 1; e.g. beta1: 0.9", fromFile);
        Path rbm = Files.writeString(dir.resolve("rbm.yaml"), "data: digits\npretrain: rbm\n");
        assertEquals(rbm + " line 2: pretrain rbm needs sigmoid hidden units (binary units), but activation is relu;"
                + " set `activation` to sigmoid, or pre-train with dae", // the message says the fix: no example
                assertThrows(InvalidInputException.class, () -> RecipeSettings.parse(RecipeFile.read(rbm)))
                        .getMessage());
        assertEquals("--optimizer must be one of sgd, momentum, nesterov, adagrad, rmsprop, adam, got 'adamw'; e.g."
                + " --optimizer sgd", assertThrows(InvalidInputException.class,
                () -> RecipeSettings.of("data", "digits", "optimizer", "adamw")).getMessage());
        assertEquals("--data is required: digits, fashion-mnist, a directory of IDX files or a CSV file; e.g. --data"
                + " digits", assertThrows(InvalidInputException.class, () -> RecipeSettings.of("lr", "0.1"))
                .getMessage());
        assertEquals("--tied must be true or false, got 'maybe'; e.g. --tied true", assertThrows(
                InvalidInputException.class, () -> RecipeSettings.of("data", "digits", "tied", "maybe")).getMessage());
    }

    @Test
    void familiesParseAndNameThemselves() {
        assertEquals(List.of("sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam"),
                List.of(UpdateRule.values()).stream().map(UpdateRule::displayName).toList());
        assertEquals(List.of("final-pass", "running"),
                List.of(BatchNormStatistics.values()).stream().map(BatchNormStatistics::displayName).toList());
        assertEquals(List.of("auto", "none", "scale", "standardize"),
                List.of(NormalizationChoice.values()).stream().map(NormalizationChoice::displayName).toList());
        assertEquals(List.of("none", "ae", "dae", "rbm"),
                List.of(PretrainingMethod.values()).stream().map(PretrainingMethod::displayName).toList());
        assertEquals(List.of("masking", "gaussian"), List.of(Noise.values()).stream().map(Noise::displayName).toList());
        assertEquals(List.of("glorot", "he"), List.of(InitScheme.values()).stream().map(InitScheme::displayName).toList());
        for (UpdateRule r : UpdateRule.values()) {
            assertEquals(r, UpdateRule.parse(r.displayName().toUpperCase(java.util.Locale.ROOT)));
        }
        for (BatchNormStatistics s : BatchNormStatistics.values()) {
            assertEquals(s, BatchNormStatistics.parse(s.toString()));
        }
        for (NormalizationChoice n : NormalizationChoice.values()) {
            assertEquals(n, NormalizationChoice.parse(n.displayName()));
        }
        for (PretrainingMethod m : PretrainingMethod.values()) {
            assertEquals(m, PretrainingMethod.parse(m.displayName()));
        }
        assertEquals(Noise.GAUSSIAN, Noise.parse("gaussian"));
        assertEquals(InitScheme.HE, InitScheme.parse("he"));
        RecipeException e = assertThrows(RecipeException.class, () -> BatchNormStatistics.parse("final"));
        assertEquals("bn-statistics must be one of final-pass, running, got 'final'", e.getMessage());
        assertEquals("bn-statistics", e.key());
        assertEquals("normalize must be one of auto, none, scale, standardize, got 'minmax'",
                assertThrows(RecipeException.class, () -> NormalizationChoice.parse("minmax")).getMessage());
        assertEquals("init must be one of glorot, he, got 'xavier'",
                assertThrows(RecipeException.class, () -> InitScheme.parse("xavier")).getMessage());
        assertEquals("pretrain must be one of none, ae, dae, rbm, got 'vae'",
                assertThrows(RecipeException.class, () -> PretrainingMethod.parse("vae")).getMessage());
        assertEquals("noise must be one of masking, gaussian, got 'salt'",
                assertThrows(RecipeException.class, () -> Noise.parse("salt")).getMessage());
        assertEquals(org.nettricks.data.Normalization.Kind.SCALE, NormalizationChoice.AUTO.kind(true));
        assertEquals(org.nettricks.data.Normalization.Kind.STANDARDIZE, NormalizationChoice.AUTO.kind(false));
        assertEquals(org.nettricks.data.Normalization.Kind.NONE, NormalizationChoice.NONE.kind(true));
    }

    @Test
    void builderFlagsAndFileGiveEqualRecipes() throws IOException {
        Recipe built = digits().hidden(64, 32).activation(Activation.TANH).batchNorm(true).dropout(0.5, 0.25)
                .init(InitScheme.HE).optimizer(new RmsProp(0.95, 1e-6)).learningRate(0.002)
                .schedule(new LearningRateSchedule.Step(2, 0.5)).l2(1e-4).patience(3).monitor(
                        org.nettricks.evaluation.Metric.VAL_LOSS).bnStatistics(BatchNormStatistics.RUNNING)
                .pretrain(PretrainingMethod.DAE).pretrainEpochs(2).noise(Noise.GAUSSIAN).corruption(0.3)
                .batchSize(32).epochs(5).seed(7).precision(Precision.FLOAT64).build();
        Recipe flags = RecipeSettings.of("data", "digits", "hidden", "64,32", "activation", "tanh", "batch-norm",
                "true", "dropout", "0.5,0.25", "init", "he", "optimizer", "rmsprop", "beta2", "0.95", "epsilon",
                "1e-6", "lr", "0.002", "schedule", "step:2:0.5", "l2", "1e-4", "patience", "3", "monitor",
                "val-loss", "bn-statistics", "running", "pretrain", "dae", "pretrain-epochs", "2", "noise",
                "gaussian", "corruption", "0.3", "batch-size", "32", "epochs", "5", "seed", "7", "precision",
                "float64");
        Path file = Files.writeString(dir.resolve("r.yaml"), """
                data: digits
                hidden:
                - 64
                - 32
                activation: tanh
                batch-norm: yes
                dropout: [0.5, 0.25]
                init: he
                optimizer: rmsprop
                beta2: 0.95
                epsilon: 1e-6
                lr: 0.002
                schedule: step:2:0.5
                l2: 1e-4
                patience: 3
                monitor: val-loss
                bn-statistics: running
                pretrain: dae
                pretrain-epochs: 2
                noise: gaussian
                corruption: 0.3
                batch-size: 32
                epochs: 5
                seed: 7
                precision: float64
                """);
        assertEquals(built, flags);
        assertEquals(built, RecipeSettings.parse(RecipeFile.read(file)));
        assertEquals(List.of(0.002), built.pretraining().learningRates(), "pre-training's rate defaults to lr");
        assertEquals(7, built.data().splitSeed(), "the split seed defaults to the seed");
        // the defaults that follow the optimizer
        assertEquals(0.001, digits().optimizer("adam").build().optimizer().learningRate());
        assertEquals(0.999, digits().optimizer("adam").build().optimizer().hyperparameter("beta2"));
        assertEquals(0.9, digits().optimizer("rmsprop").build().optimizer().hyperparameter("beta2"));
        assertEquals(0.01, digits().optimizer(UpdateRule.ADAGRAD).build().optimizer().learningRate());
        assertEquals(0.1, digits().build().optimizer().learningRate());
    }

    @Test
    void experimentUsesTheTypedValuesUnchanged() {
        Recipe adam = RecipeSettings.of("data", "digits", "optimizer", "adam", "schedule", "step:2:0.5",
                "patience", "4", "min-delta", "0.01", "monitor", "val-loss", "l1", "1e-5", "clip-norm", "5");
        assertEquals(new Adam(0.9, 0.999, 1e-8), Experiment.optimizer(adam));
        assertEquals(new RmsProp(0.9, 1e-8), Experiment.optimizer(RecipeSettings.of("data", "digits",
                "optimizer", "rmsprop")));
        assertEquals(new Momentum(0.5), Experiment.optimizer(RecipeSettings.of("data", "digits",
                "optimizer", "momentum", "momentum", "0.5")));
        assertEquals(new Sgd(), Experiment.optimizer(RecipeSettings.of("data", "digits")));
        TrainingConfig c = Experiment.trainingConfig(adam);
        assertEquals(new LearningRateSchedule.Step(2, 0.5), c.schedule());
        assertEquals(new EarlyStopping.Config(4, 0.01, org.nettricks.evaluation.Metric.VAL_LOSS), c.earlyStopping());
        assertEquals(0.001, c.learningRate());
        assertEquals(5.0, c.clipping().maxNorm());
        assertTrue(c.finalPass());
        TrainingConfig plain = Experiment.trainingConfig(RecipeSettings.of("data", "digits", "bn-statistics",
                "running"));
        assertNull(plain.earlyStopping());
        assertNull(plain.clipping());
        assertFalse(plain.finalPass());
        PretrainingConfig p = RecipeSettings.of("data", "digits", "pretrain", "dae", "corruption", "0.3",
                "pretrain-epochs", "3", "lr", "0.05").pretraining().config();
        assertEquals(new PretrainingConfig("dae", List.of(3), List.of(0.05), true,
                new Autoencoder.Corruption(Autoencoder.Corruption.Kind.MASKING, 0.3), 1, false, 0), p);
        assertEquals(Autoencoder.Corruption.NONE, RecipeSettings.of("data", "digits", "pretrain", "ae").pretraining()
                .config().corruption());
    }

    @Test
    void toMapIsTheProvenanceModelsHaveAlwaysRecorded() {
        // the map the hand-written Recipe.toMap() gave for this recipe, key by key, in its order
        Map<String, Object> before = new LinkedHashMap<>();
        before.put("data", "digits");
        before.put("test-data", null);
        before.put("label", null);
        before.put("task", "classification"); // issue 17: recorded since the keys exist (and loss, huber-delta)
        before.put("delimiter", "auto"); // issue 14: recorded since the key exists
        before.put("validation-fraction", 0.1);
        before.put("test-fraction", 0.2);
        before.put("normalize", "auto");
        before.put("train-limit", 0);
        before.put("split-seed", 3L);
        before.put("hidden", List.of(16, 8));
        before.put("activation", "sigmoid");
        before.put("batch-norm", false);
        before.put("dropout", List.of());
        before.put("input-dropout", 0.0);
        before.put("init", "glorot");
        before.put("init-gain", 1.0);
        before.put("init-from", null); // issue 16: recorded since the keys exist
        before.put("freeze", 0);
        before.put("optimizer", "nesterov");
        before.put("lr", 0.1);
        before.put("momentum", 0.9);
        before.put("beta1", 0.9);
        before.put("beta2", 0.999);
        before.put("epsilon", 1e-8);
        before.put("schedule", "cosine");
        before.put("class-weight", "none");
        before.put("loss", "cross-entropy");
        before.put("huber-delta", 1.0);
        before.put("l1", 0.0);
        before.put("l2", 0.0);
        before.put("clip-norm", 0.0);
        before.put("patience", 0);
        before.put("min-delta", 0.0);
        before.put("monitor", "val-error");
        before.put("bn-statistics", "final-pass");
        before.put("pretrain", "rbm");
        before.put("pretrain-epochs", List.of(2));
        before.put("pretrain-lr", List.of(0.1));
        before.put("pretrain-on", "labelled");
        before.put("noise", "masking");
        before.put("corruption", 0.25);
        before.put("tied", true);
        before.put("cd-k", 1);
        before.put("persistent", false);
        before.put("pretrain-patience", 0);
        before.put("batch-size", 64);
        before.put("epochs", 10);
        before.put("seed", 3L);
        before.put("precision", "float32");
        Recipe r = RecipeSettings.of("data", "digits", "hidden", "16,8", "activation", "sigmoid", "optimizer",
                "nesterov", "schedule", "cosine", "pretrain", "rbm", "pretrain-epochs", "2", "seed", "3");
        assertEquals(new ArrayList<>(before.entrySet()), new ArrayList<>(r.toMap().entrySet()));
        assertEquals(org.nettricks.io.internal.Json.write(before), org.nettricks.io.internal.Json.write(r.toMap()),
                "the same text in the model file");

        Recipe noPretraining = RecipeSettings.of("data", "digits");
        List<String> keys = new ArrayList<>(before.keySet());
        keys.removeAll(List.of("pretrain-epochs", "pretrain-lr", "pretrain-on", "noise", "corruption", "tied",
                "cd-k", "persistent", "pretrain-patience"));
        assertEquals(keys, new ArrayList<>(noPretraining.toMap().keySet()));
        // what a run writes besides the model is not part of the recorded recipe
        assertEquals(noPretraining.toMap(), RecipeSettings.of("data", "digits", "report", "r.html", "plots", "p")
                .toMap());
    }

    @Test
    void recipeToMapToSettingsToRecipeIsTheSameRecipe() {
        List<Recipe> recipes = List.of(
                RecipeSettings.of("data", "digits"),
                RecipeSettings.of("data", "digits", "hidden", "none", "optimizer", "adagrad", "test-data", "t.csv",
                        "label", "digit", "split-seed", "9", "train-limit", "100", "normalize", "standardize"),
                RecipeSettings.of("data", "digits", "hidden", "16,8", "dropout", "0.5,0.1", "activation", "sigmoid",
                        "pretrain", "rbm", "pretrain-lr", "0.01,0.02", "cd-k", "3", "persistent", "true",
                        "pretrain-on", "all", "schedule", "exponential:0.9", "epsilon", "1e-7"),
                digits().optimizer(new Adam(0.8, 0.99, 1e-7)).learningRate(3e-4).schedule(
                        new LearningRateSchedule.Inverse(0.5)).patience(2).minDelta(1e-3).l1(1e-6).clipNorm(1)
                        .inputDropout(0.2).initGain(0.5).pretrain(PretrainingMethod.DAE).noise(Noise.GAUSSIAN)
                        .corruption(1.5).tied(false).pretrainPatience(2).precision(Precision.FLOAT64).build());
        for (Recipe r : recipes) {
            assertEquals(r, RecipeSettings.parse(RecipeSettings.settings(r)), r.toString());
        }
    }

    @Test
    void anUnknownUpdateRuleIsRefused() {
        RecipeException e = assertThrows(RecipeException.class, () -> UpdateRule.parse("lbfgs"));
        assertEquals("optimizer", e.key());
        assertEquals("optimizer must be one of sgd, momentum, nesterov, adagrad, rmsprop, adam, got 'lbfgs'",
                e.getMessage());
    }

    @Test
    void hyperparametersComeFromTheRegistryOfUpdateRules() {
        for (UpdateRule.Hyperparameter h : UpdateRule.Hyperparameter.values()) {
            assertTrue(RecipeSettings.key(h.key()) != null, h.key() + " is a recipe key");
            assertTrue(digits().build().toMap().containsKey(h.key()), h.key() + " is recorded");
        }
        Recipe r = digits().optimizer(new RmsProp(0.95, 1e-6)).build();
        assertEquals(UpdateRule.RMSPROP, r.optimizer().rule());
        assertEquals(0.95, r.optimizer().hyperparameter("beta2"), "RMSProp's decay is the key beta2");
        assertEquals(new RmsProp(0.95, 1e-6), r.optimizer().create());
        assertEquals(new Adam(0.9, 0.99, 1e-7), digits().optimizer("adam").hyperparameter("beta2", 0.99)
                .hyperparameter("epsilon", 1e-7).build().optimizer().create());
        RecipeException unknown = assertThrows(RecipeException.class,
                () -> digits().hyperparameter("weight-decay", 0.1));
        assertEquals("weight-decay is not a hyperparameter of any optimizer", unknown.getMessage());
    }
}
