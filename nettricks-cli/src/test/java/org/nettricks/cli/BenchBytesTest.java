package org.nettricks.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** bench's allocation line: whole numbers as such, averages to two digits, and below 16 bytes (one object) said for what they are. */
class BenchBytesTest {
    @Test
    void bytesPerStepReadAsWhatTheyAre() {
        assertEquals("0 bytes", BenchCommand.describeBytesPerStep(0));
        assertEquals("48 bytes", BenchCommand.describeBytesPerStep(48));
        String note = " (less than one object per step: an allocation once per epoch or rarer, not in every step)";
        assertEquals("0.57 bytes on average" + note, BenchCommand.describeBytesPerStep(240.0 / 420));
        assertEquals("5.2 bytes on average" + note, BenchCommand.describeBytesPerStep(5.2));
        assertEquals("41 bytes on average", BenchCommand.describeBytesPerStep(40.75));
    }
}
