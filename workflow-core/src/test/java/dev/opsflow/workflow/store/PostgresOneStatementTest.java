package dev.opsflow.workflow.store;

import static dev.opsflow.workflow.store.StoreSamples.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opsflow.workflow.event.WorkflowEvent;
import dev.opsflow.workflow.spi.RunRecord;
import dev.opsflow.workflow.spi.StaleRunException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A lone commit and a creation with its events, each one statement on PostgreSQL, whatever their
 * number of events: none, a few (bound as rows of parameters, one statement text per count), and
 * more than the texts made ahead (bound as arrays). Every event is stored once, in order, and a
 * stale commit inserts none.
 */
class PostgresOneStatementTest {
  private TestPool pool;
  private JdbcExecutionStore store;

  @BeforeEach
  void store() {
    pool = TestDatabases.postgres();
    store = JdbcExecutionStore.create(pool);
  }

  @AfterEach
  void close() {
    store.close();
    pool.close();
  }

  /** {@code n} events of the run, numbered from {@code from}. */
  private static List<WorkflowEvent> events(String runId, long from, int n) {
    var out = new ArrayList<WorkflowEvent>();
    while (out.size() < n) {
      for (WorkflowEvent e : StoreSamples.events(runId, from + out.size(), T0)) {
        if (out.size() < n) {
          out.add(e);
        }
      }
    }
    return out;
  }

  @Test
  void commitsOfAnyNumberOfEventsStoreEachOnceInOrder() {
    RunRecord r = store.create(StoreSamples.run("many", T0)).run();
    int[] counts = {0, 1, 2, JdbcOneStatement.CACHED, JdbcOneStatement.CACHED + 1, 40, 0};
    var expected = new ArrayList<WorkflowEvent>();
    long next = 1;
    for (int i = 0; i < counts.length; i++) {
      List<WorkflowEvent> batch = events("many", next, counts[i]);
      next += counts[i];
      r = i % 2 == 0 ? store.commit(r, batch) : store.commitUnsynced(r, batch);
      expected.addAll(batch);
      assertThat(store.find("many")).contains(r);
    }
    assertThat(store.events("many")).containsExactlyElementsOf(expected);
    assertThat(store.groupCommit().statements()).isEqualTo(counts.length);
  }

  @Test
  void aStaleCommitInsertsNoneOfItsEventsWhateverTheirNumber() {
    RunRecord r = store.create(StoreSamples.run("stale", T0)).run();
    store.commit(r, List.of());
    for (int n : new int[] {0, 3, JdbcOneStatement.CACHED + 4}) {
      List<WorkflowEvent> batch = events("stale", 100, n);
      assertThatThrownBy(() -> store.commit(r, batch)).isInstanceOf(StaleRunException.class);
    }
    assertThat(store.events("stale")).isEmpty();
  }

  @Test
  void aCreationWithItsEventsStoresThemWhateverTheirNumber() {
    for (int n : new int[] {1, 2, JdbcOneStatement.CACHED, JdbcOneStatement.CACHED + 1, 33}) {
      String id = "created-" + n;
      List<WorkflowEvent> batch = events(id, 1, n);
      var created = store.createUnsynced(StoreSamples.run(id, T0), batch);
      assertThat(created.created()).isTrue();
      assertThat(store.find(id)).contains(created.run());
      assertThat(store.events(id)).containsExactlyElementsOf(batch);
      // The same id again: refused, and no event inserted twice.
      assertThatThrownBy(() -> store.createUnsynced(StoreSamples.run(id, T0), events(id, 500, n)))
          .hasMessageContaining("already exists");
      assertThat(store.events(id)).containsExactlyElementsOf(batch);
    }
  }
}
