package io.github.emballoc.benchmarks.workload;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The request sizes a churn draws from, by the name a benchmark's {@code sizes} parameter gives.
 *
 * <p>Stateless; any thread (each caller brings its own generator).
 */
public enum SizeDistribution {

    /** {@code uniform}: 8 to 256 bytes, uniformly (mean 132). */
    UNIFORM("uniform", 132.0) {
        @Override
        public int draw(SplittableRandom random) {
            return random.nextInt(8, 257);
        }
    },

    /**
     * {@code mostly-small}: 95% uniformly from 16 to 64 bytes, 5% uniformly from 65 to 4,096 bytes (mean
     * {@code 0.95 * 40 + 0.05 * 2080.5}, about 142).
     */
    MOSTLY_SMALL("mostly-small", 0.95 * 40.0 + 0.05 * 2080.5) {
        @Override
        public int draw(SplittableRandom random) {
            return random.nextInt(100) < 95 ? random.nextInt(16, 65) : random.nextInt(65, 4097);
        }
    };

    private final String parameter;
    private final double mean;

    SizeDistribution(String parameter, double mean) {
        this.parameter = parameter;
        this.mean = mean;
    }

    /**
     * Draws one request size.
     *
     * @param random the generator
     * @return a size in bytes, 1 or more
     */
    public abstract int draw(SplittableRandom random);

    /**
     * Returns the expected request size.
     *
     * @return the mean of the distribution in bytes
     */
    public double mean() {
        return mean;
    }

    /**
     * Returns the name a benchmark parameter uses.
     *
     * @return for example {@code uniform}
     */
    public String parameter() {
        return parameter;
    }

    /**
     * Finds a distribution by its parameter name.
     *
     * @param parameter {@code uniform} or {@code mostly-small}
     * @return the distribution
     * @throws IllegalArgumentException naming the known names, if there is none of that name
     */
    public static SizeDistribution named(String parameter) {
        for (SizeDistribution distribution : values()) {
            if (distribution.parameter.equals(parameter)) {
                return distribution;
            }
        }
        throw new IllegalArgumentException("unknown size distribution '" + parameter + "'; known: "
                + Arrays.stream(values()).map(SizeDistribution::parameter).toList());
    }
}
