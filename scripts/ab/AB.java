/** Alternates timed passes (inference: Pass; training: Train) of two NetTricks builds in one JVM; see scripts/inference-ab.sh and scripts/training-ab.sh. */
import java.net.*; import java.nio.file.*; import java.util.*;
public class AB {
    static String cls = "Pass";
    static Runnable load(String jar, String dir, String model) throws Exception {
        URLClassLoader cl = new URLClassLoader(new URL[]{Path.of(dir).toUri().toURL(), Path.of(jar).toUri().toURL()}, ClassLoader.getPlatformClassLoader());
        return (Runnable) cl.loadClass(cls).getConstructor(String.class).newInstance(model);
    }
    public static void main(String[] a) throws Exception {
        if (a.length > 6) cls = a[6];
        Runnable old = load(a[0], a[1], a[4]); Runnable neu = load(a[2], a[3], a[4]);
        int rounds = Integer.parseInt(a[5]);
        for (int w = 0; w < 5; w++) { old.run(); neu.run(); }
        double[] ratios = new double[rounds]; double so = 0, sn = 0;
        for (int r = 0; r < rounds; r++) {
            boolean oldFirst = r % 2 == 0; double to = 0, tn = 0;
            for (int k = 0; k < 2; k++) {
                if ((k == 0) == oldFirst) { long t = System.nanoTime(); old.run(); to = (System.nanoTime() - t) / 1e9; }
                else { long t = System.nanoTime(); neu.run(); tn = (System.nanoTime() - t) / 1e9; }
            }
            ratios[r] = to / tn; so += to; sn += tn;
        }
        Arrays.sort(ratios);
        System.out.printf("B/A speed: median %.3f (quartiles %.3f %.3f), totals A %.1f s B %.1f s -> %.3f%n", ratios[rounds/2], ratios[rounds/4], ratios[3*rounds/4], so, sn, so/sn);
    }
}
