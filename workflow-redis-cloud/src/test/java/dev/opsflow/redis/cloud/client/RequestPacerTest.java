package dev.opsflow.redis.cloud.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opsflow.workflow.spi.Sleeper;
import dev.opsflow.workflow.testing.ManualClock;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RequestPacerTest {

  @Test
  void onTheSystemClockFailsafeSpacesThePermitsInRealTime() {
    var pacer = new RequestPacer(600, Clock.systemUTC(), Sleeper.system());
    long start = System.nanoTime();
    for (int i = 0; i < 6; i++) {
      pacer.acquire();
    }
    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .isGreaterThanOrEqualTo(Duration.ofMillis(450));
  }

  @Test
  void onAManualClockThePermitsAreSpacedInSimulatedTimeAndCostNoRealTime() {
    var clock = new ManualClock();
    var pacer = new RequestPacer(60, clock, clock);
    Instant start = clock.instant();
    long real = System.nanoTime();
    for (int i = 0; i < 30; i++) {
      pacer.acquire();
    }
    assertThat(Duration.between(start, clock.instant()))
        .isBetween(Duration.ofSeconds(29), Duration.ofSeconds(31));
    assertThat(Duration.ofNanos(System.nanoTime() - real)).isLessThan(Duration.ofSeconds(2));
  }

  @Test
  void onAManualClockEachPermitIsOneIntervalAfterTheLastHoweverMuchRealTimePasses()
      throws InterruptedException {
    var clock = new ManualClock();
    var pacer = new RequestPacer(400, clock, clock);
    Instant start = clock.instant();
    var at = new java.util.ArrayList<Long>();
    for (int i = 0; i < 6; i++) {
      pacer.acquire();
      at.add(Duration.between(start, clock.instant()).toMillis());
      // Real time passing between requests (a slow machine) must not show in simulated time.
      Thread.sleep(20);
    }
    assertThat(at).containsExactly(0L, 150L, 300L, 450L, 600L, 750L);
  }
}
