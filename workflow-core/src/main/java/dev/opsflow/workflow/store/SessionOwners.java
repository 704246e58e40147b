package dev.opsflow.workflow.store;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;

/**
 * Which owners of a {@link JdbcExecutionStore} on PostgreSQL are alive, so that a dead owner's runs
 * are taken over at once rather than when their lease runs out.
 *
 * <p>The store holds one connection of its pool until it closes, on which it takes a session-level
 * advisory lock on a random 63-bit key; PostgreSQL releases it when the session ends, including
 * when the process is killed (its socket closes), and the store's close releases it before giving
 * the connection back. Each owner id that writes a run through the store is first recorded in
 * {@code opsflow_owners} with that key. An owner whose row names a key that no session holds (as
 * {@code pg_locks} shows) is dead; an owner without a row (written by an older version, or a store
 * without the table) is judged by its lease only. An owner alive but stuck keeps its session: its
 * runs wait for their lease.
 *
 * <p>A connection lost while the process lives (a network cut, a restarted server, a pool that
 * closes it) ends the session, so other engines may take its runs over at once: its own commits
 * then fail as stale, but a step running at that moment may run twice, as after a lease that
 * expired. Thread-safe.
 */
final class SessionOwners {
  /**
   * SQL true when the owner named by {@code ownerColumn} is recorded and its lock is held by no
   * session: it is dead.
   */
  static String deadOwner(String ownerColumn) {
    return "EXISTS (SELECT 1 FROM opsflow_owners o WHERE o.owner = "
        + ownerColumn
        + " AND NOT EXISTS (SELECT 1 FROM pg_locks l WHERE l.locktype = 'advisory'"
        + " AND l.granted AND l.objsubid = 1"
        + " AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())"
        + " AND l.classid::bigint = (o.lock_key >> 32)"
        + " AND l.objid::bigint = (o.lock_key & 4294967295)))";
  }

  private static final SecureRandom RANDOM = new SecureRandom();

  private final DataSource dataSource;
  private final Set<String> registered = ConcurrentHashMap.newKeySet();
  private Connection held;
  private long key;
  private boolean closed;

  SessionOwners(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /**
   * Records that {@code owner} lives in this store's session, before its first record is written:
   * takes the session's connection and advisory lock on first use.
   */
  void register(String owner) throws SQLException {
    if (owner == null || registered.contains(owner)) {
      return;
    }
    synchronized (this) {
      if (closed) {
        throw new SQLException("the store's owner session is closed");
      }
      if (registered.contains(owner)) {
        return;
      }
      if (held == null || !held.isValid(5)) {
        // First use, or the session ended (its lock with it): a new session, and every owner
        // recorded again under its key.
        if (held != null) {
          closeQuietly(held);
          held = null;
        }
        lockSession();
        for (String known : registered) {
          record(known);
        }
      }
      record(owner);
      registered.add(owner);
    }
  }

  /**
   * Ends the session's claim on its owners, once: releases its advisory lock, so that every owner
   * recorded under it reads as dead at once, and gives its connection back to the pool. A lock that
   * cannot be released (the connection is lost) went with its session. Later registrations fail.
   */
  synchronized void close() {
    closed = true;
    if (held == null) {
      return;
    }
    Connection c = held;
    held = null;
    try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_unlock(?)")) {
      c.setAutoCommit(true);
      ps.setLong(1, key);
      ps.execute();
    } catch (SQLException e) {
      // The session is gone, and its lock with it.
    } finally {
      closeQuietly(c);
    }
  }

  private void record(String owner) throws SQLException {
    try (PreparedStatement ps =
        held.prepareStatement(
            "INSERT INTO opsflow_owners (owner, lock_key) VALUES (?, ?) "
                + "ON CONFLICT (owner) DO UPDATE SET lock_key = EXCLUDED.lock_key")) {
      ps.setString(1, owner);
      ps.setLong(2, key);
      ps.executeUpdate();
    }
  }

  private static void closeQuietly(Connection c) {
    try {
      c.close();
    } catch (SQLException e) {
      // Its session is gone already.
    }
  }

  /** Whether {@code owner} is recorded with a lock that no session holds. */
  static boolean isDead(Connection c, String owner) throws SQLException {
    if (owner == null) {
      return false;
    }
    try (PreparedStatement ps = c.prepareStatement("SELECT " + deadOwner("?"))) {
      ps.setString(1, owner);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() && rs.getBoolean(1);
      }
    }
  }

  private void lockSession() throws SQLException {
    Connection c = dataSource.getConnection();
    try {
      c.setAutoCommit(true);
      for (int attempt = 0; ; attempt++) {
        // Non-negative, so that its halves compare as pg_locks shows them.
        long candidate = RANDOM.nextLong() & Long.MAX_VALUE;
        try (Statement s = c.createStatement();
            ResultSet rs = s.executeQuery("SELECT pg_try_advisory_lock(" + candidate + ")")) {
          if (rs.next() && rs.getBoolean(1)) {
            key = candidate;
            held = c;
            return;
          }
        }
        if (attempt == 3) {
          throw new SQLException("no free advisory lock key after 4 random tries");
        }
      }
    } catch (SQLException | RuntimeException e) {
      c.close();
      throw e;
    }
  }
}
