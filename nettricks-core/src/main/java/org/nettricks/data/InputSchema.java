package org.nettricks.data;

import java.util.ArrayList;
import java.util.List;

/**
 * What the inputs of a data set are, as its source named them: the feature columns of a CSV file
 * (their names in the order of the network's inputs) and its label column, or the image shape of
 * an IDX file. A model keeps the schema of its training data, so that later files are read by
 * column name rather than by position (as scikit-learn's {@code feature_names_in_}).
 *
 * <p>Exactly one of {@code featureNames} and {@code imageShape} is non-null.
 *
 * @param featureNames the feature columns' names, in input order (CSV); null for images
 * @param labelColumn  the label column's name (CSV), or null (images, or a file without labels)
 * @param imageShape   the dimensions of one example, e.g. [28, 28] (IDX), each at least 1; null for CSV
 */
public record InputSchema(List<String> featureNames, String labelColumn, List<Integer> imageShape) {
    public InputSchema {
        if ((featureNames == null) == (imageShape == null)) {
            throw new IllegalArgumentException("a schema has either feature names or an image shape");
        }
        featureNames = featureNames == null ? null : List.copyOf(featureNames);
        if (imageShape != null) {
            imageShape = List.copyOf(imageShape);
            if (imageShape.isEmpty()) {
                throw new IllegalArgumentException("an image shape has at least one dimension");
            }
            long product = 1;
            for (int d : imageShape) {
                if (d < 1) {
                    throw new IllegalArgumentException("image dimensions must be at least 1, got " + imageShape);
                }
                product *= d;
                if (product > Integer.MAX_VALUE) {
                    throw new IllegalArgumentException("image shape " + imageShape + " has more than 2^31 values");
                }
            }
        }
    }

    /** The schema of a CSV file: its feature columns in input order and its label column (or null). */
    public static InputSchema columns(List<String> featureNames, String labelColumn) {
        return new InputSchema(featureNames, labelColumn, null);
    }

    /** The schema of images of the given dimensions, e.g. {@code image(28, 28)}. */
    public static InputSchema image(int... dimensions) {
        List<Integer> shape = new ArrayList<>();
        for (int d : dimensions) {
            shape.add(d);
        }
        return new InputSchema(null, null, shape);
    }

    /** Whether the features have names (a CSV file), so that other files can be matched by name. */
    public boolean hasNames() {
        return featureNames != null;
    }

    /** The number of inputs: the feature columns, or the product of the image dimensions. */
    public int featureCount() {
        if (featureNames != null) {
            return featureNames.size();
        }
        int n = 1;
        for (int d : imageShape) {
            n *= d;
        }
        return n;
    }

    /** The shape as messages give it: {@code 2 feature columns [x1, x2]} or {@code 28×28 images (784 features)}. */
    public String describe() {
        if (featureNames != null) {
            return featureNames.size() + " feature column" + (featureNames.size() == 1 ? "" : "s") + " "
                    + abbreviated(featureNames);
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < imageShape.size(); i++) {
            sb.append(i == 0 ? "" : "×").append(imageShape.get(i));
        }
        return sb + (imageShape.size() == 1 ? " values" : " images") + " (" + featureCount() + " features)";
    }

    /** {@code schema}'s {@link #describe()}, or {@code N features} for data without a schema. */
    public static String describe(InputSchema schema, int featureCount) {
        return schema == null ? featureCount + " features" : schema.describe();
    }

    /** Up to this many names are listed in messages; longer lists show their first and last ones. */
    private static final int LISTED = 10;

    /**
     * Names as messages list them: {@code [x1, x2]}, or for long lists (a header of 784 pixels) the
     * first eight and the last, {@code [p0, p1, …, p783]}.
     */
    public static String abbreviated(List<String> names) {
        if (names.size() <= LISTED) {
            return names.toString();
        }
        return "[" + String.join(", ", names.subList(0, LISTED - 2)) + ", …, " + names.get(names.size() - 1) + "]";
    }
}
