package org.nettricks.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class FormatCountTest {
    @Test
    void countsNameTheirNounInTheRightNumber() {
        assertEquals("1 epoch", Format.count(1, "epoch"));
        assertEquals("2 epochs", Format.count(2, "epoch"));
        assertEquals("0 epochs", Format.count(0, "epoch"));
        assertEquals("1 pass", Format.count(1, "pass"));
        assertEquals("3 passes", Format.count(3, "pass"));
        assertEquals("10,000 test examples", Format.count(10_000, "test example"));
    }
}
