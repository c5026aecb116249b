/**
 * NetTricks, the library: feed-forward networks with the tricks of the trade. The exported packages
 * are the API (see docs/library.md); the {@code org.nettricks.<layer>.internal} packages are its
 * plumbing (the JSON binding, per-batch-size workspaces, mini-batch buffers, a parameter's update
 * double buffer) and are not exported. The command line and the OpenBLAS backend are on the class
 * path, where module boundaries do not apply; if they become modules, give them the internal
 * packages they need with qualified exports ({@code exports ... to org.nettricks.cli}).
 *
 * <p>Named after the packages' common root, as module names are by convention (the OpenBLAS and
 * command-line packages, {@code org.nettricks.openblas} and {@code org.nettricks.cli}, already name
 * their own modules).
 */
module org.nettricks {
    requires com.fasterxml.jackson.core;
    requires com.fasterxml.jackson.databind;
    requires org.snakeyaml.engine.v2;
    requires de.siegmar.fastcsv; // RFC 4180 CSV, no dependencies of its own
    requires java.desktop; // javax.imageio, for FilterImage (PNG)
    requires jdk.management; // com.sun.management.ThreadMXBean, for AllocationMeter

    exports org.nettricks;
    exports org.nettricks.activations;
    exports org.nettricks.config;
    exports org.nettricks.data;
    exports org.nettricks.debugging;
    exports org.nettricks.diagnosis;
    exports org.nettricks.evaluation;
    exports org.nettricks.experiment;
    exports org.nettricks.init;
    exports org.nettricks.io;
    exports org.nettricks.layers;
    exports org.nettricks.losses;
    exports org.nettricks.model;
    exports org.nettricks.monitoring;
    exports org.nettricks.network;
    exports org.nettricks.optim;
    exports org.nettricks.pretraining;
    exports org.nettricks.random;
    exports org.nettricks.regularization;
    exports org.nettricks.report;
    exports org.nettricks.selection;
    exports org.nettricks.tensor;
    exports org.nettricks.training;
}
