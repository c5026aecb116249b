package org.nettricks.io.internal;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nettricks.InvalidInputException;

class MemoryBudgetTest {
    @Test
    void moreThanTheMaximumHeapIsRefusedNamingTheSourceAndTheMemory() {
        long tooMuch = Runtime.getRuntime().maxMemory() + 1;
        String msg = assertThrows(InvalidInputException.class,
                () -> MemoryBudget.require("f.idx", "the header's [3, 4]", tooMuch)).getMessage();
        assertTrue(msg.startsWith("f.idx: the header's [3, 4] would need "), msg);
        assertTrue(msg.contains("MiB of memory but the JVM's maximum heap is"), msg);
        assertTrue(msg.contains("NETTRICKS_JAVA_OPTS=-Xmx"), msg);
        assertDoesNotThrow(() -> MemoryBudget.require("f.idx", "a few bytes", 1024));
    }
}
