package dev.opsflow.workflow.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opsflow.workflow.spi.ExecutionStore;
import dev.opsflow.workflow.spi.Reservations;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every store's {@link Reservations} must do. A subclass gives a fresh, empty store per test,
 * and a second store instance on the same data (another engine, or another JVM's view of it).
 */
abstract class ReservationsContract {
  protected ExecutionStore store;

  /** A fresh, empty store. */
  protected abstract ExecutionStore newStore() throws Exception;

  /** Another instance on the data of {@link #store}, as a second engine would open it. */
  protected abstract ExecutionStore sameData() throws Exception;

  @BeforeEach
  void openStore() throws Exception {
    store = newStore();
  }

  private Reservations reservations() {
    return store.reservations().orElseThrow();
  }

  @Test
  void aFreeResourceIsReservedForItsFirstHolder() {
    assertThat(reservations().reserve("10.0.0.0/24", "10.0.0.5", "node1")).isEqualTo("node1");
    assertThat(reservations().holder("10.0.0.0/24", "10.0.0.5")).contains("node1");
    assertThat(reservations().holder("10.0.0.0/24", "10.0.0.6")).isEmpty();
  }

  @Test
  void aHeldResourceIsRefusedToAnotherHolderAndKeptForItsOwn() {
    reservations().reserve("p", "10.0.0.5", "node1");
    assertThat(reservations().reserve("p", "10.0.0.5", "node2")).isEqualTo("node1");
    assertThat(reservations().reserve("p", "10.0.0.5", "node1")).isEqualTo("node1");
    assertThat(reservations().holder("p", "10.0.0.5")).contains("node1");
  }

  @Test
  void poolsAreSeparateAndListedByResource() {
    reservations().reserve("a", "10.0.0.7", "n7");
    reservations().reserve("a", "10.0.0.5", "n5");
    reservations().reserve("b", "10.0.0.5", "other");
    assertThat(reservations().list("a"))
        .containsExactly(Map.entry("10.0.0.5", "n5"), Map.entry("10.0.0.7", "n7"));
    assertThat(reservations().list("b")).containsExactly(Map.entry("10.0.0.5", "other"));
    assertThat(reservations().list("none")).isEmpty();
  }

  @Test
  void onlyTheHolderReleases() {
    reservations().reserve("p", "r", "node1");
    assertThat(reservations().release("p", "r", "node2")).isFalse();
    assertThat(reservations().holder("p", "r")).contains("node1");
    assertThat(reservations().release("p", "r", "node1")).isTrue();
    assertThat(reservations().release("p", "r", "node1")).isFalse();
    assertThat(reservations().reserve("p", "r", "node2")).isEqualTo("node2");
  }

  @Test
  void namesWithAnyCharacterRoundTrip() {
    String pool = "range 192.168.1.100-110/24 é";
    reservations().reserve(pool, "fe80::1%eth0", "holder/../x");
    assertThat(reservations().list(pool)).containsExactly(Map.entry("fe80::1%eth0", "holder/../x"));
  }

  @Test
  void badNamesAreRefusedNamingTheField() {
    assertThatThrownBy(() -> reservations().reserve(" ", "r", "h"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("pool");
    assertThatThrownBy(() -> reservations().reserve("p", "r", "x".repeat(201)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("holder");
    assertThatThrownBy(() -> reservations().reserve("p", "a\nb", "h"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("resource");
  }

  @Test
  void aSecondStoreOnTheSameDataSeesTheReservations() throws Exception {
    reservations().reserve("p", "r", "node1");
    ExecutionStore other = sameData();
    assertThat(other.reservations().orElseThrow().holder("p", "r")).contains("node1");
    assertThat(other.reservations().orElseThrow().reserve("p", "r", "node2")).isEqualTo("node1");
  }

  @Test
  void concurrentClaimantsOnTwoStoresNeverShareAResource() throws Exception {
    List<Reservations> sides = List.of(reservations(), sameData().reservations().orElseThrow());
    int claimants = 8;
    ExecutorService pool = Executors.newFixedThreadPool(claimants);
    try {
      var start = new CountDownLatch(1);
      var tasks = new ArrayList<Callable<List<String>>>();
      for (int i = 0; i < claimants; i++) {
        Reservations side = sides.get(i % 2);
        String holder = "node" + i;
        tasks.add(
            () -> {
              start.await();
              var won = new ArrayList<String>();
              for (int a = 0; a < 10; a++) {
                if (side.reserve("race", "10.0.0." + a, holder).equals(holder)) {
                  won.add("10.0.0." + a);
                }
              }
              return won;
            });
      }
      var futures = new ArrayList<Future<List<String>>>();
      tasks.forEach(t -> futures.add(pool.submit(t)));
      start.countDown();
      var all = new ArrayList<String>();
      for (Future<List<String>> f : futures) {
        all.addAll(f.get(60, TimeUnit.SECONDS));
      }
      assertThat(all).hasSize(10);
      assertThat(new HashSet<>(all)).hasSize(10);
      assertThat(reservations().list("race")).hasSize(10);
    } finally {
      pool.shutdownNow();
    }
  }
}
