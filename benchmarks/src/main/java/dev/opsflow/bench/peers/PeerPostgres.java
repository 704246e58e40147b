package dev.opsflow.bench.peers;

import dev.opsflow.workflow.store.TestPool;

/** A pool on the PostgreSQL of the comparison ({@link PeerDatabase}). */
final class PeerPostgres {
  private PeerPostgres() {}

  static TestPool pool(int size) {
    return new TestPool(PeerDatabase.url(), PeerDatabase.user(), PeerDatabase.password(), size);
  }
}
