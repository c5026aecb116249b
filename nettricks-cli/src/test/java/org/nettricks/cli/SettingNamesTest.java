package org.nettricks.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

class SettingNamesTest {
    @Test
    void recipeKeysInBackquotesBecomeFlags() {
        assertEquals("decrease the learning rate (e.g. --lr divided by 10), or clip the gradients (--clip-norm)",
                SettingNames.asFlags("decrease the learning rate (e.g. `lr` divided by 10), or clip the gradients"
                        + " (`clip-norm`)"));
        assertEquals("--data fashion-mnist: /x does not exist",
                SettingNames.asFlags("`data` fashion-mnist: /x does not exist"));
        assertEquals(List.of("--l2 and --patience"), SettingNames.asFlags(List.of("`l2` and `patience`")));
    }

    @Test
    void otherTextIsLeftAsItIs() {
        assertEquals("a `Quoted Thing`, 'lr', --lr, lr", SettingNames.asFlags("a `Quoted Thing`, 'lr', --lr, lr"));
    }
}
