package dev.opsflow.workflow.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

class SchedulerTest {

  @Test
  void aReservationRaisesTheJdk17PoolsCeilingUntilClosedOnce() {
    var pool = new DefaultExecutors.Pool();
    try {
      var scheduler = Scheduler.of(pool);
      var batch = scheduler.reserve(1_000);
      var group = scheduler.reserve(16);

      assertThat(pool.getMaximumPoolSize()).isEqualTo(DefaultExecutors.POOL_MAX + 1_016);
      batch.close();
      batch.close();
      assertThat(pool.getMaximumPoolSize()).isEqualTo(DefaultExecutors.POOL_MAX + 16);
      group.close();
      assertThat(pool.getMaximumPoolSize()).isEqualTo(DefaultExecutors.POOL_MAX);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void theCeilingNeverPassesItsLimit() {
    var pool = new DefaultExecutors.Pool();
    try {
      var huge = Scheduler.of(pool).reserve(1_000_000);
      assertThat(pool.getMaximumPoolSize()).isEqualTo(DefaultExecutors.POOL_CEILING);
      huge.close();
      assertThat(pool.getMaximumPoolSize()).isEqualTo(DefaultExecutors.POOL_MAX);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void otherExecutorsAreLeftAsTheyAre() {
    var host = (java.util.concurrent.ThreadPoolExecutor) Executors.newFixedThreadPool(2);
    try {
      Scheduler.of(host).reserve(100);
      assertThat(host.getMaximumPoolSize()).isEqualTo(2);
      assertThat(Scheduler.of(host).describe()).startsWith("host executor");
    } finally {
      host.shutdownNow();
    }
  }
}
