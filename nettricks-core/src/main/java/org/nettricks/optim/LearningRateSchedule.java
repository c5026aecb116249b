package org.nettricks.optim;

import java.util.Locale;

/**
 * How the learning rate α changes over the epochs e = 0, 1, …, E − 1 of a run (constant within an
 * epoch). Written on the command line as {@code --schedule NAME[:ARG[:ARG]]}.
 * <pre>
 * constant                α_e = α
 * step:S:F                α_e = α · F^⌊e / S⌋          (multiply by F every S epochs)
 * exponential:F           α_e = α · Fᵉ
 * inverse:K               α_e = α / (1 + K e)          (the 1/t decay of stochastic approximation)
 * cosine                  α_e = α · (1 + cos(π e / E)) / 2
 * </pre>
 */
public sealed interface LearningRateSchedule {
    /** α_e for epoch {@code epoch} (0-based) of {@code totalEpochs}. */
    double rate(double baseRate, int epoch, int totalEpochs);

    /** The textual form, parseable by {@link #parse}. */
    String describe();

    /** α throughout. */
    record Constant() implements LearningRateSchedule {
        @Override
        public double rate(double baseRate, int epoch, int totalEpochs) {
            return baseRate;
        }

        @Override
        public String describe() {
            return "constant";
        }
    }

    /** α · factor^⌊e / every⌋. */
    record Step(int every, double factor) implements LearningRateSchedule {
        public Step {
            if (every < 1) {
                throw new IllegalArgumentException("step schedule period must be at least 1 epoch, got " + every);
            }
            if (!(factor > 0 && factor <= 1)) {
                throw new IllegalArgumentException("step schedule factor must be in (0, 1], got " + factor);
            }
        }

        @Override
        public double rate(double baseRate, int epoch, int totalEpochs) {
            return baseRate * Math.pow(factor, epoch / every);
        }

        @Override
        public String describe() {
            return "step:" + every + ":" + factor;
        }
    }

    /** α · factorᵉ. */
    record Exponential(double factor) implements LearningRateSchedule {
        public Exponential {
            if (!(factor > 0 && factor <= 1)) {
                throw new IllegalArgumentException("exponential schedule factor must be in (0, 1], got " + factor);
            }
        }

        @Override
        public double rate(double baseRate, int epoch, int totalEpochs) {
            return baseRate * Math.pow(factor, epoch);
        }

        @Override
        public String describe() {
            return "exponential:" + factor;
        }
    }

    /** α / (1 + decay · e). */
    record Inverse(double decay) implements LearningRateSchedule {
        public Inverse {
            if (!(decay >= 0) || !Double.isFinite(decay)) {
                throw new IllegalArgumentException("inverse schedule decay must be a finite number >= 0, got " + decay);
            }
        }

        @Override
        public double rate(double baseRate, int epoch, int totalEpochs) {
            return baseRate / (1 + decay * epoch);
        }

        @Override
        public String describe() {
            return "inverse:" + decay;
        }
    }

    /** α · (1 + cos(π e / E)) / 2. */
    record Cosine() implements LearningRateSchedule {
        @Override
        public double rate(double baseRate, int epoch, int totalEpochs) {
            return baseRate * (1 + Math.cos(Math.PI * epoch / totalEpochs)) / 2;
        }

        @Override
        public String describe() {
            return "cosine";
        }
    }

    /** Parses {@code constant}, {@code step:S:F}, {@code exponential:F}, {@code inverse:K} or {@code cosine}. */
    static LearningRateSchedule parse(String text) {
        String[] parts = text.trim().toLowerCase(Locale.ROOT).split(":");
        try {
            switch (parts[0]) {
                case "constant":
                    if (parts.length == 1) {
                        return new Constant();
                    }
                    break;
                case "step":
                    if (parts.length == 3) {
                        return new Step(Integer.parseInt(parts[1]), Double.parseDouble(parts[2]));
                    }
                    break;
                case "exponential":
                    if (parts.length == 2) {
                        return new Exponential(Double.parseDouble(parts[1]));
                    }
                    break;
                case "inverse":
                    if (parts.length == 2) {
                        return new Inverse(Double.parseDouble(parts[1]));
                    }
                    break;
                case "cosine":
                    if (parts.length == 1) {
                        return new Cosine();
                    }
                    break;
                default:
                    break;
            }
        } catch (NumberFormatException e) {
            // fall through to the usage message
        }
        throw new IllegalArgumentException("schedule must be constant, step:EPOCHS:FACTOR, exponential:FACTOR,"
                + " inverse:DECAY or cosine; got '" + text + "'");
    }
}
