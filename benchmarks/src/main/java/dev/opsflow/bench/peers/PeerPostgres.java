package dev.opsflow.bench.peers;

import dev.opsflow.workflow.store.TestPool;

/**
 * The PostgreSQL of the comparison: {@code -Dopsflow.bench.jdbc.url} and {@code .user}, the
 * password from the environment ({@code OPSFLOW_BENCH_JDBC_PASSWORD}), never the command line.
 */
final class PeerPostgres {
  private PeerPostgres() {}

  static TestPool pool(int size) {
    String url = java.lang.System.getProperty("opsflow.bench.jdbc.url");
    if (url == null) {
      throw new IllegalStateException(
          "pass -Dopsflow.bench.jdbc.url=jdbc:postgresql://127.0.0.1:PORT/DB (and .user, .password)");
    }
    return new TestPool(
        url,
        java.lang.System.getProperty("opsflow.bench.jdbc.user", "postgres"),
        java.util.Objects.requireNonNullElse(
            java.lang.System.getenv("OPSFLOW_BENCH_JDBC_PASSWORD"), ""),
        size);
  }
}
