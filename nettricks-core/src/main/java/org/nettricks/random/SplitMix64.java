package org.nettricks.random;

import java.util.random.RandomGenerator;

/**
 * The SplitMix64 generator of Steele, Lea and Flood ("Fast splittable pseudorandom number
 * generators", OOPSLA 2014), the algorithm of {@link java.util.SplittableRandom}, with its state
 * readable and settable so that a training run can be checkpointed and resumed exactly.
 *
 * <p>The state is two 64-bit words: the {@linkplain #seed() seed}, advanced by the
 * {@linkplain #gamma() gamma} (an odd constant) at every draw. For the same seed this class draws
 * the same values as {@code java.util.SplittableRandom} from {@link #nextLong()},
 * {@link #nextInt()} and {@link #split()}, and therefore from every method that
 * {@link RandomGenerator} derives from them ({@code nextInt(bound)}, {@code nextDouble()},
 * {@code nextDouble(origin, bound)}, {@code nextGaussian()}, …), which {@code SplittableRandom}
 * inherits too: {@code SplitMix64Test} compares the two over many draws and splits.
 *
 * <p>Not thread-safe: one generator belongs to one thread, as a {@code SplittableRandom} does.
 */
public final class SplitMix64 implements RandomGenerator {
    /** The gamma of a generator made from a seed: 2⁶⁴ divided by the golden ratio, made odd. */
    public static final long GOLDEN_GAMMA = 0x9e3779b97f4a7c15L;

    private long seed;
    private long gamma;

    /** The generator {@code new SplittableRandom(seed)} is. */
    public SplitMix64(long seed) {
        this(seed, GOLDEN_GAMMA);
    }

    /**
     * A generator in the state ({@code seed}, {@code gamma}), e.g. one read back from a checkpoint.
     *
     * @throws IllegalArgumentException when {@code gamma} is even (every gamma the algorithm makes is odd)
     */
    public SplitMix64(long seed, long gamma) {
        setState(seed, gamma);
    }

    /** The current seed: the next draw mixes {@code seed + gamma}. */
    public long seed() {
        return seed;
    }

    /** The increment added to the seed at every draw (odd). */
    public long gamma() {
        return gamma;
    }

    /**
     * Puts the generator in the state ({@code seed}, {@code gamma}), as {@link #seed()} and
     * {@link #gamma()} read it: the draws that follow are those that followed that state.
     *
     * @throws IllegalArgumentException when {@code gamma} is even
     */
    public void setState(long seed, long gamma) {
        if ((gamma & 1) == 0) {
            throw new IllegalArgumentException("a SplitMix64 gamma is odd, got " + Long.toHexString(gamma));
        }
        this.seed = seed;
        this.gamma = gamma;
    }

    /** A copy in the same state, drawing the same values as this one from here on. */
    public SplitMix64 copy() {
        return new SplitMix64(seed, gamma);
    }

    /**
     * A new generator, seeded from this one's next two draws (which advance this one), as
     * {@code SplittableRandom.split()}: the seed is the next {@code nextLong()}, the gamma is
     * mixed from the next seed.
     */
    public SplitMix64 split() {
        long s = nextLong();
        return new SplitMix64(s, mixGamma(nextSeed()));
    }

    @Override
    public long nextLong() {
        return mix64(nextSeed());
    }

    @Override
    public int nextInt() {
        return mix32(nextSeed());
    }

    private long nextSeed() {
        return seed += gamma;
    }

    /** Stafford's variant 13 of MurmurHash3's 64-bit finalizer. */
    private static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    /** Stafford's variant 4, the upper 32 bits. */
    private static int mix32(long z) {
        z = (z ^ (z >>> 33)) * 0x62a9d9ed799705f5L;
        return (int) (((z ^ (z >>> 28)) * 0xcb24d0a5c88c35b3L) >>> 32);
    }

    /** MurmurHash3's finalizer, made odd, with a gamma of too few bit transitions replaced. */
    private static long mixGamma(long z) {
        z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
        z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
        z = (z ^ (z >>> 33)) | 1L;
        int n = Long.bitCount(z ^ (z >>> 1));
        return (n < 24) ? z ^ 0xaaaaaaaaaaaaaaaaL : z;
    }
}
