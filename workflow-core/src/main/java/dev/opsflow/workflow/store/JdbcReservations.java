package dev.opsflow.workflow.store;

import dev.opsflow.workflow.spi.Reservations;
import dev.opsflow.workflow.spi.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.WeakHashMap;
import javax.sql.DataSource;

/**
 * The reservations of a {@link JdbcExecutionStore}, in their own table {@code opsflow_reservations}
 * (created on first use with {@code CREATE TABLE IF NOT EXISTS}, which PostgreSQL and H2 both
 * know): its primary key {@code (pool, resource)} makes {@link #reserve} an insert that the
 * database refuses for a second holder, whatever the number of engines and JVMs. Each call is one
 * auto-committed statement (two for a reserve that lost). Thread-safe.
 */
final class JdbcReservations implements Reservations {
  static final String TABLE =
      "CREATE TABLE IF NOT EXISTS opsflow_reservations ("
          + " pool VARCHAR(200) NOT NULL,"
          + " resource VARCHAR(200) NOT NULL,"
          + " holder VARCHAR(200) NOT NULL,"
          + " PRIMARY KEY (pool, resource))";

  /** Databases whose table exists: a store makes a new instance per call. */
  private static final Set<DataSource> READY =
      Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));

  private final DataSource dataSource;

  JdbcReservations(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  @Override
  public String reserve(String pool, String resource, String holder) {
    Reservations.checkName("pool", pool);
    Reservations.checkName("resource", resource);
    Reservations.checkName("holder", holder);
    return sql(
        "reserve " + resource + " of pool " + pool,
        c -> {
          try (PreparedStatement insert =
              c.prepareStatement(
                  "INSERT INTO opsflow_reservations (pool, resource, holder) VALUES (?, ?, ?)")) {
            insert.setString(1, pool);
            insert.setString(2, resource);
            insert.setString(3, holder);
            insert.executeUpdate();
            return holder;
          } catch (SQLException e) {
            if (!JdbcRows.isConflict(e)) {
              throw e;
            }
          }
          // Held already (a release between the two statements leaves it free: say so).
          return select(c, pool, resource).orElseGet(() -> reserve(pool, resource, holder));
        });
  }

  @Override
  public Optional<String> holder(String pool, String resource) {
    return sql("read reservation " + resource + " of pool " + pool, c -> select(c, pool, resource));
  }

  @Override
  public Map<String, String> list(String pool) {
    return sql(
        "list the reservations of pool " + pool,
        c -> {
          var held = new TreeMap<String, String>();
          try (PreparedStatement q =
              c.prepareStatement(
                  "SELECT resource, holder FROM opsflow_reservations WHERE pool = ?")) {
            q.setString(1, pool);
            try (ResultSet rs = q.executeQuery()) {
              while (rs.next()) {
                held.put(rs.getString(1), rs.getString(2));
              }
            }
          }
          return Collections.unmodifiableMap(held);
        });
  }

  @Override
  public boolean release(String pool, String resource, String holder) {
    return sql(
        "release " + resource + " of pool " + pool,
        c -> {
          try (PreparedStatement d =
              c.prepareStatement(
                  "DELETE FROM opsflow_reservations WHERE pool = ? AND resource = ? AND holder = ?")) {
            d.setString(1, pool);
            d.setString(2, resource);
            d.setString(3, holder);
            return d.executeUpdate() == 1;
          }
        });
  }

  private static Optional<String> select(Connection c, String pool, String resource)
      throws SQLException {
    try (PreparedStatement q =
        c.prepareStatement(
            "SELECT holder FROM opsflow_reservations WHERE pool = ? AND resource = ?")) {
      q.setString(1, pool);
      q.setString(2, resource);
      try (ResultSet rs = q.executeQuery()) {
        return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
      }
    }
  }

  private interface Work<T> {
    T run(Connection c) throws SQLException;
  }

  private <T> T sql(String what, Work<T> work) {
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(true);
      if (!READY.contains(dataSource)) {
        try (Statement s = c.createStatement()) {
          s.execute(TABLE);
        } catch (SQLException e) {
          // Another engine created it at the same instant: PostgreSQL reports a duplicate key of
          // its catalog (23505), a duplicate table (42P07) or a duplicate type (42710), once the
          // other creation committed, so the table is there.
          if (!JdbcRows.isConflict(e)
              && !"42P07".equals(e.getSQLState())
              && !"42710".equals(e.getSQLState())) {
            throw e;
          }
        }
        READY.add(dataSource);
      }
      return work.run(c);
    } catch (SQLException e) {
      throw new StoreException(
          "JDBC store could not "
              + what
              + ": "
              + e.getMessage()
              + " (SQLState "
              + e.getSQLState()
              + ")",
          e);
    }
  }
}
