package org.nettricks.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nettricks.InvalidInputException;

class DataSourcesTest {
    @TempDir
    Path dir;

    @Test
    void missingFashionMnistSaysHowToInstallIt() {
        Path absent = dir.resolve("fashion-mnist");
        assertEquals("`data` fashion-mnist: " + absent + " does not exist; install it with 'apt-get install"
                        + " dataset-fashion-mnist', or pass `data` DIR holding the four IDX files",
                assertThrows(InvalidInputException.class, () -> DataSources.fashionMnistDirectory(absent)).getMessage());
    }

    @Test
    void anIdxDirectoryGivesTrainingAndTestSets() throws IOException {
        IdxFiles.directory(dir, 30, 10, 3, true);
        DataSources.Loaded loaded = DataSources.loadForTraining(dir.toString(), null);
        assertEquals(30, loaded.train().size());
        assertEquals(10, loaded.test().size());
        assertEquals(4, loaded.train().featureCount());
        assertEquals(java.util.List.of("0", "1", "2"), loaded.train().classNames());
    }

    /** A bare word one or two edits from a known data set's name is answered with that name; a path is not. */
    @Test
    void aMistypedBuiltInNameGetsTheRightOne() {
        String tail = "; pass a CSV file, a directory of IDX files, 'fashion-mnist' or 'digits'";
        assertEquals("`data` digit: no such file or directory (did you mean digits?)" + tail,
                assertThrows(InvalidInputException.class, () -> DataSources.requireSource("data", "digit"))
                        .getMessage());
        assertEquals("`test-data` fashion-mnst: no such file or directory (did you mean fashion-mnist?)" + tail, assertThrows(InvalidInputException.class,
                () -> DataSources.requireSource("test-data", "fashion-mnst")).getMessage());
        assertEquals("`data` digits.csv: no such file or directory" + tail,
                assertThrows(InvalidInputException.class, () -> DataSources.requireSource("data", "digits.csv"))
                        .getMessage());
        assertEquals("`data` zebra: no such file or directory" + tail,
                assertThrows(InvalidInputException.class, () -> DataSources.requireSource("data", "zebra"))
                        .getMessage());
    }

    @Test
    void theDigitsShipInsideTheJar() {
        Dataset d = DataSources.readDigits();
        assertEquals(1797, d.size());
        assertEquals(64, d.featureCount());
        assertEquals(10, d.classCount());
        assertEquals(new ValueRange(0, 16), d.valueRange());
    }
}
