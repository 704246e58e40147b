package dev.opsflow.workflow.store;

import static dev.opsflow.workflow.store.StoreSamples.T0;
import static dev.opsflow.workflow.store.StoreSamples.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.opsflow.workflow.RunState;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The JDBC store never takes a second pooled connection while a thread holds one for an operation:
 * with N threads in N operations on a pool of N, a second one would wait for a connection that none
 * of them gives back. Only the owners' session connection, taken once and held for the store's
 * life, may be held while operations take theirs.
 */
class PostgresPoolUseTest {
  private final TestPool pool = TestDatabases.postgres();
  private final Tracking tracking = new Tracking(pool);

  @AfterEach
  void close() {
    pool.close();
  }

  @Test
  void noOperationTakesASecondConnectionWhileItHoldsOne() {
    var store = JdbcExecutionStore.create(tracking);

    var created = store.create(run("r1", "init-cluster", null, RunState.RUNNING, T0)).run();
    store.create(run("r2", "init-cluster", "key-2", RunState.RUNNING, T0));
    store.commit(created, List.of());
    // A new owner takes r2 over after its lease: its first registration comes with the claim.
    assertThat(store.claim("r2", "engine-b", T0.plusSeconds(60), Duration.ofSeconds(30)))
        .isPresent();

    assertThat(tracking.nested()).isEmpty();
    assertThat(tracking.taken()).isGreaterThan(3);
  }

  /**
   * A data source that records, for each connection taken, the connections the same thread held
   * open at that moment; one of those closed later was an operation's, held across the take.
   */
  private static final class Tracking extends ProxyingDataSource {
    private final DataSource target;
    private final Map<Thread, List<Connection>> open = new ConcurrentHashMap<>();
    private final Set<Connection> closed = ConcurrentHashMap.newKeySet();
    private final List<List<Connection>> heldAtTake =
        Collections.synchronizedList(new ArrayList<>());

    Tracking(DataSource target) {
      this.target = target;
    }

    /** The connections held across a take that were later given back (operations' ones). */
    List<Connection> nested() {
      var out = new ArrayList<Connection>();
      synchronized (heldAtTake) {
        for (List<Connection> held : heldAtTake) {
          held.stream().filter(closed::contains).forEach(out::add);
        }
      }
      return out;
    }

    int taken() {
      return heldAtTake.size();
    }

    @Override
    public Connection getConnection() throws SQLException {
      Thread me = Thread.currentThread();
      List<Connection> mine =
          open.computeIfAbsent(me, t -> Collections.synchronizedList(new ArrayList<>()));
      heldAtTake.add(List.copyOf(mine));
      Connection wrapped =
          proxy(
              target.getConnection(),
              (proxy, method, args) -> {
                switch (method) {
                  case "equals":
                    return proxy == args[0];
                  case "hashCode":
                    return System.identityHashCode(proxy);
                  case "close":
                    mine.remove(proxy);
                    closed.add(proxy);
                    break;
                  default:
                    break;
                }
                return FORWARD;
              });
      mine.add(wrapped);
      return wrapped;
    }

    @Override
    public Connection getConnection(String user, String password) throws SQLException {
      throw new SQLFeatureNotSupportedException("the store takes connections without credentials");
    }
  }
}
