package org.nettricks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class InvalidInputExceptionTest {
    @Test
    void controlCharactersFromTheInputAreEscapedSoTheMessageIsOneLine() {
        assertEquals("r.yaml line 2: found \\n (10) then \\t and \\u0007, not \\r",
                new InvalidInputException("r.yaml line 2: found \n (10) then \t and \u0007, not \r").getMessage());
        assertEquals("plain text, é and € kept", new InvalidInputException("plain text, é and € kept").getMessage());
    }
}
