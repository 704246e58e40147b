package dev.opsflow.bench.peers;

import java.util.Objects;

/**
 * The comparison's PostgreSQL, as the comparison and every driver find it: the URL from {@code
 * -Dopsflow.bench.jdbc.url}, the user from {@code -Dopsflow.bench.jdbc.user} (default postgres),
 * the password from the environment ({@code OPSFLOW_BENCH_JDBC_PASSWORD}, empty when unset), never
 * from the command line, where a process listing would show it.
 */
final class PeerDatabase {
  private PeerDatabase() {}

  /** The JDBC URL; fails, saying what to pass, when none was given. */
  static String url() {
    String url = System.getProperty("opsflow.bench.jdbc.url");
    if (url == null) {
      throw new IllegalStateException(
          "pass -Dopsflow.bench.jdbc.url=jdbc:postgresql://127.0.0.1:PORT/DB (and .user; the"
              + " password in OPSFLOW_BENCH_JDBC_PASSWORD)");
    }
    return url;
  }

  /** The user. */
  static String user() {
    return System.getProperty("opsflow.bench.jdbc.user", "postgres");
  }

  /** The password. */
  static String password() {
    return Objects.requireNonNullElse(System.getenv("OPSFLOW_BENCH_JDBC_PASSWORD"), "");
  }
}
