package dev.opsflow.workflow.store;

import dev.opsflow.workflow.spi.Reservations;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The reservations of an {@link InMemoryExecutionStore}: lost with the JVM, like its runs.
 * Thread-safe.
 */
final class InMemoryReservations implements Reservations {
  private final Map<String, Map<String, String>> pools = new ConcurrentHashMap<>();

  @Override
  public String reserve(String pool, String resource, String holder) {
    Reservations.checkName("pool", pool);
    Reservations.checkName("resource", resource);
    Reservations.checkName("holder", holder);
    String held =
        pools.computeIfAbsent(pool, p -> new ConcurrentHashMap<>()).putIfAbsent(resource, holder);
    return held == null ? holder : held;
  }

  @Override
  public Optional<String> holder(String pool, String resource) {
    return Optional.ofNullable(pools.getOrDefault(pool, Map.of()).get(resource));
  }

  @Override
  public Map<String, String> list(String pool) {
    return Collections.unmodifiableMap(new TreeMap<>(pools.getOrDefault(pool, Map.of())));
  }

  @Override
  public boolean release(String pool, String resource, String holder) {
    Map<String, String> held = pools.get(pool);
    return held != null && held.remove(resource, holder);
  }
}
