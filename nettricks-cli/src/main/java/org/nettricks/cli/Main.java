package org.nettricks.cli;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import org.nettricks.InvalidInputException;
import org.nettricks.NetTricks;

/**
 * The {@code nettricks} command: a thin shell that parses flags into the library's records.
 *
 * <p>Exit status: 0 success; 1 the job ran and failed; 2 bad input or usage (one line on standard
 * error naming the file, line, byte offset or flag, and the fix; no stack trace unless
 * {@code --verbose}).
 */
public final class Main {
    static final String USAGE = """
            nettricks %s: train feed-forward neural networks with the tricks of the trade

            usage: nettricks <command> [flags]      (nettricks <command> --help for its flags)

            commands:
              train      train a classifier on a data set, evaluate it on the test set, save it
              evaluate   loss, error, accuracy and confusion matrix of a saved model on labelled data
              predict    predicted class and class probabilities of a saved model, as CSV
              gradcheck  check backpropagation against finite differences for any network
              diagnose   the debugging recipe: input scale, saturation, overfit 50 examples, learning rate
              bench      training and inference throughput (examples/s) and peak memory
              search     model selection: grid, random or TPE search on the validation set
              pretrain   greedy layer-wise unsupervised pre-training (ae, dae, rbm), saving the stack

            quick start:
              ./nettricks train --data digits --hidden 64 --epochs 20 --out digits.safetensors
            """;

    private Main() {
    }

    public static void main(String[] args) {
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true,
                StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.err), true,
                StandardCharsets.UTF_8);
        int status = run(args, out, err, System.console() != null);
        out.flush();
        err.flush();
        System.exit(status);
    }

    /** Runs one command; returns the exit status. */
    public static int run(String[] args, PrintStream out, PrintStream err, boolean interactive) {
        boolean verbose = Arrays.asList(args).contains("--verbose");
        String[] rest = Arrays.stream(args).filter(a -> !a.equals("--verbose")).toArray(String[]::new);
        if (rest.length == 0 || rest[0].equals("--help") || rest[0].equals("-h") || rest[0].equals("help")) {
            out.print(String.format(USAGE, NetTricks.VERSION));
            return rest.length == 0 ? 2 : 0;
        }
        if (rest[0].equals("--version")) {
            out.println("nettricks " + NetTricks.VERSION);
            return 0;
        }
        String command = rest[0];
        String[] flags = Arrays.copyOfRange(rest, 1, rest.length);
        try {
            return switch (command) {
                case "train" -> new TrainCommand(out, err, interactive).run(flags);
                case "evaluate" -> new EvaluateCommand(out, err).run(flags);
                case "predict" -> new PredictCommand(out, err).run(flags);
                case "gradcheck" -> new GradcheckCommand(out, err).run(flags);
                case "diagnose" -> new DiagnoseCommand(out, err).run(flags);
                case "bench" -> new BenchCommand(out, err).run(flags);
                case "search" -> new SearchCommand(out, err).run(flags);
                case "pretrain" -> new PretrainCommand(out, err).run(flags);
                default -> throw new UsageException("unknown command '" + command
                        + "'; the commands are train, evaluate, predict, gradcheck, diagnose, bench, search, pretrain (see nettricks --help)");
            };
        } catch (InvalidInputException e) {
            err.println("nettricks " + (isCommand(command) ? command + ": " : "") + "error: " + e.getMessage());
            if (verbose) {
                e.printStackTrace(err);
            }
            return 2;
        } catch (java.io.IOException e) {
            err.println("nettricks " + command + ": error: " + e.getMessage());
            return 2;
        } catch (RuntimeException | OutOfMemoryError e) {
            err.println("nettricks " + command + ": internal error: " + e + (verbose ? "" : " (rerun with --verbose"
                    + " for the stack trace)"));
            if (verbose) {
                e.printStackTrace(err);
            }
            return 1;
        }
    }

    private static boolean isCommand(String c) {
        return List.of("train", "evaluate", "predict", "gradcheck", "diagnose", "bench", "search", "pretrain").contains(c);
    }
}
