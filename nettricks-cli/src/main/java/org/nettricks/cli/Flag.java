package org.nettricks.cli;

/**
 * One flag of a command, as its help lists it.
 *
 * @param name    e.g. {@code --threads}
 * @param label   the value's placeholder in the help, e.g. {@code N}; null for a switch, which takes no value
 * @param section the heading the help lists it under, e.g. {@code output}
 * @param help    what it does, with its default
 */
record Flag(String name, String label, String section, String help) {
    /** A flag that takes a value: {@code --name VALUE} or {@code --name=VALUE}. */
    static Flag value(String section, String name, String label, String help) {
        return new Flag(name, label, section, help);
    }

    /** A switch: {@code --name}, no value. */
    static Flag toggle(String section, String name, String help) {
        return new Flag(name, null, section, help);
    }

    boolean isSwitch() {
        return label == null;
    }
}
