package dev.opsflow.bench;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * Two builds of Opsflow side by side in one JVM, for a change too small for the disk's weather on a
 * shared machine: each build's {@code benchmarks.jar} in a class loader of its own (with its own
 * driver, pool, store and engine on the same PostgreSQL database), and one lone 3-step {@code
 * engine.run} of each in turn, which goes first alternating, so that both see the same disk and the
 * same load. Prints each build's median, p10 and p90, and the median of the pairs' ratios (first
 * build over second). Each build is driven by {@link AbRound}, loaded into its loader from this jar
 * and calling only API that both builds have.
 *
 * <pre>
 * java -Dopsflow.bench.jdbc.url=jdbc:postgresql://127.0.0.1:55437/bench \
 *   -cp benchmarks/target/benchmarks.jar dev.opsflow.bench.PostgresRoundTripAb \
 *   /work/before5/benchmarks/target/benchmarks.jar benchmarks/target/benchmarks.jar 200 200
 * </pre>
 */
public final class PostgresRoundTripAb {
  private PostgresRoundTripAb() {}

  /**
   * Runs the comparison.
   *
   * @param args the first build's jar, the second's, the unmeasured runs of each, the measured
   * @throws Exception when a build cannot be loaded or a run fails
   */
  public static void main(String[] args) throws Exception {
    if (args.length != 4) {
      throw new IllegalArgumentException("usage: PostgresRoundTripAb <jar 1> <jar 2> <warm> <n>");
    }
    String url = BenchDatabases.url();
    String user = BenchDatabases.user();
    String password = BenchDatabases.password();
    int warm = Integer.parseInt(args[2]);
    int n = Integer.parseInt(args[3]);
    Runnable[] builds = new Runnable[2];
    for (int k = 0; k < 2; k++) {
      var loader = new BuildLoader(Path.of(args[k]).toUri().toURL());
      builds[k] =
          (Runnable)
              loader
                  .loadClass(AbRound.class.getName())
                  .getConstructor(String.class, String.class, String.class)
                  .newInstance(url, user, password);
    }
    long[][] t = new long[2][n];
    try {
      for (int i = -warm; i < n; i++) {
        for (int j = 0; j < 2; j++) {
          int k = (i & 1) == 0 ? j : 1 - j;
          long t0 = System.nanoTime();
          builds[k].run();
          long d = System.nanoTime() - t0;
          if (i >= 0) {
            t[k][i] = d;
          }
        }
      }
    } finally {
      for (Runnable b : builds) {
        ((AutoCloseable) b).close();
      }
    }
    double[] ratios = new double[n];
    for (int i = 0; i < n; i++) {
      ratios[i] = (double) t[0][i] / Math.max(1, t[1][i]);
    }
    for (int k = 0; k < 2; k++) {
      Arrays.sort(t[k]);
      System.out.printf(
          Locale.ROOT,
          "%s  median %.0f us  p10 %.0f  p90 %.0f  (%s)%n",
          k == 0 ? "first " : "second",
          t[k][n / 2] / 1e3,
          t[k][n / 10] / 1e3,
          t[k][n * 9 / 10] / 1e3,
          args[k]);
    }
    Arrays.sort(ratios);
    System.out.printf(
        Locale.ROOT,
        "first / second, pairwise: median %.3f (p25 %.3f, p75 %.3f)%n",
        ratios[n / 2],
        ratios[n / 4],
        ratios[n * 3 / 4]);
  }

  /**
   * A build's classes from its jar, except {@link AbRound}, defined here from this jar's bytes so
   * that it links against the build's classes.
   */
  private static final class BuildLoader extends URLClassLoader {
    BuildLoader(URL jar) {
      super(new URL[] {jar}, ClassLoader.getPlatformClassLoader());
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
      if (!name.equals(AbRound.class.getName())) {
        return super.loadClass(name, resolve);
      }
      synchronized (getClassLoadingLock(name)) {
        Class<?> c = findLoadedClass(name);
        if (c == null) {
          String resource = name.replace('.', '/') + ".class";
          try (InputStream in =
              PostgresRoundTripAb.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
              throw new ClassNotFoundException(name);
            }
            byte[] bytes = in.readAllBytes();
            c = defineClass(name, bytes, 0, bytes.length);
          } catch (IOException e) {
            throw new ClassNotFoundException(name, e);
          }
        }
        return c;
      }
    }
  }
}
